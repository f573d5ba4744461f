import type { EventEmitter } from 'node:events';
import type pg from 'pg';
import { type MessageCallback, Parser } from 'pg-protocol/dist/parser.js';

/**
 * A column's value as the bytes PostgreSQL sent, one character per byte (latin1): a UTF-8 text
 * stays UTF-8 bytes, written back unchanged by `buffer.write(value, at, 'latin1')`. Never shown or
 * compared as text: 'Ủy' arrives as six characters.
 */
export type ByteString = string & { readonly __utf8Bytes: unique symbol };

/** The bytes of a text as a ByteString (what a byte-string query hands over for that text). */
export const toByteString = (text: string): ByteString => Buffer.from(text, 'utf8').toString('latin1') as ByteString;

// pg-protocol's Parser as it is inside (its typings mark these private): handlePacket turns one
// message's bytes into its fields, with `reader`, whose `encoding` decodes every text value.
interface ParserInternals {
  reader: { encoding: BufferEncoding };
  handlePacket(offset: number, code: number, length: number, bytes: Buffer): unknown;
  parse(buffer: Buffer, callback: MessageCallback): void;
}
const ParserWithInternals = Parser as unknown as new () => ParserInternals;
const DATA_ROW = 0x44; // 'D'

/**
 * pg-protocol's parser, which decodes the columns of a row (DataRow) as latin1 while
 * `byteStrings` is set, and everything else as pg does (UTF-8), errors and notices included.
 *
 * Why by hand: pg decodes every text column into a UTF-8 string, and a built pull page (100 stored
 * JSON views, ~90 KB with Vietnamese text) spent ~25% of the gateway's CPU decoding them
 * (V8's Utf8Decoder) and encoding them back into the page's bytes (String::WriteUtf8), `perf` on
 * `npm run bench:pull` (bench/README.md). latin1 copies the bytes instead. pg-protocol 1.16.1 has no
 * option for it: its binary mode throws, and the change that hands columns over as bytes
 * (brianc/node-postgres#3495) is not released. When it is, this file goes.
 * byte-string-rows.spec.ts pins the versions this was verified with.
 */
export class ByteStringParser extends ParserWithInternals {
  byteStrings = false;

  override handlePacket(offset: number, code: number, length: number, bytes: Buffer): unknown {
    if (!this.byteStrings || code !== DATA_ROW) return super.handlePacket(offset, code, length, bytes);
    this.reader.encoding = 'latin1';
    try {
      return super.handlePacket(offset, code, length, bytes);
    } finally {
      this.reader.encoding = 'utf-8';
    }
  }
}

// pg's Connection as it is inside: attachListeners wires its stream to pg-protocol's parse(), which
// makes a Parser no caller can reach; _emitMessage is set when someone listens to 'message'.
interface ConnectionInternals extends EventEmitter {
  attachListeners(stream: NodeJS.ReadableStream): void;
  _emitMessage: boolean;
}

/**
 * Gives a client's connection a ByteStringParser, in place of the one pg-protocol's parse() would
 * make; what the listener does with each message is pg's own attachListeners (pg 8.23.1,
 * lib/connection.js). Called before the client connects; returns the parser, to switch.
 */
export function useByteStringParser(client: pg.Client): ByteStringParser {
  const parser = new ByteStringParser();
  const connection = client.connection as unknown as ConnectionInternals;
  connection.attachListeners = (stream) => {
    stream.on('data', (buffer: Buffer) =>
      parser.parse(buffer, (msg) => {
        const eventName = msg.name === 'error' ? 'errorMessage' : msg.name;
        if (connection._emitMessage) connection.emit('message', msg);
        connection.emit(eventName, msg);
      }),
    );
  };
  return parser;
}
