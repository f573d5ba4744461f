import type { EventEmitter } from 'node:events';
import pg from 'pg';
import type { ParameterStatusMessage } from 'pg-protocol/dist/messages.js';
import { type MessageCallback, Parser } from 'pg-protocol/dist/parser.js';

/**
 * A column's value as the bytes PostgreSQL sent, one character per byte (latin1): a UTF-8 text
 * stays UTF-8 bytes, written back unchanged by `buffer.write(value, at, 'latin1')`. Never shown or
 * compared as text: 'Ủy' arrives as six characters.
 */
export type ByteString = string & { readonly __utf8Bytes: unique symbol };

/** The bytes of a text as a ByteString (what a byte-string query hands over for that text). */
export const toByteString = (text: string): ByteString => Buffer.from(text, 'utf8').toString('latin1') as ByteString;

const BYTE_STRINGS = Symbol('byteStrings');

/**
 * A pg query whose rows' columns come as ByteStrings. The mark is on the query, not the
 * connection: a row is decoded as bytes only while this query is the one pg hands rows to.
 */
export function byteStringQuery(config: pg.QueryConfig | pg.QueryArrayConfig, callback: (error: Error | undefined, result: pg.QueryResult) => void): pg.Query {
  const query = new pg.Query(config, undefined, callback);
  (query as pg.Query & { [BYTE_STRINGS]?: true })[BYTE_STRINGS] = true;
  return query;
}

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
 * pg-protocol's parser, which decodes the columns of a row (DataRow) as latin1 when `rowsAsBytes()`
 * says so, and everything else as pg does (UTF-8), errors and notices included.
 *
 * Why by hand: pg decodes every text column into a UTF-8 string, and a built pull page (100 stored
 * JSON views, ~90 KB with Vietnamese text) spent ~25% of the gateway's CPU decoding them
 * (V8's Utf8Decoder) and encoding them back into the page's bytes (String::WriteUtf8), `perf` on
 * `npm run bench:pull` (bench/README.md). latin1 copies the bytes instead. pg-protocol 1.16.1 has no
 * option for it: its binary mode throws, and the change that hands columns over as bytes
 * (brianc/node-postgres#3495) is not released. When it is, this file goes.
 * byte-string-rows.spec.ts pins the versions and internals this was verified with.
 */
export class ByteStringParser extends ParserWithInternals {
  /** The server's client_encoding, as its ParameterStatus last reported it. */
  clientEncoding: string | undefined;

  constructor(private readonly rowsAsBytes: () => boolean) {
    super();
  }

  override handlePacket(offset: number, code: number, length: number, bytes: Buffer): unknown {
    if (code !== DATA_ROW || !this.rowsAsBytes()) return super.handlePacket(offset, code, length, bytes);
    this.reader.encoding = 'latin1';
    try {
      return super.handlePacket(offset, code, length, bytes);
    } finally {
      this.reader.encoding = 'utf-8';
    }
  }
}

// pg's Connection and Client as they are inside: attachListeners wires the stream to pg-protocol's
// parse(), which makes a Parser no caller can reach; _emitMessage is set when someone listens to
// 'message'; _getActiveQuery() is the query pg hands the next row to (Client._handleDataRow).
interface ConnectionInternals extends EventEmitter {
  attachListeners(stream: NodeJS.ReadableStream): void;
  _emitMessage: boolean;
}
interface ClientInternals {
  connection: ConnectionInternals;
  _getActiveQuery(): (pg.Query & { [BYTE_STRINGS]?: true }) | null;
}

/**
 * Gives a client's connection a ByteStringParser, in place of the one pg-protocol's parse() would
 * make; what the listener does with each message is pg's own attachListeners (pg 8.23.1,
 * lib/connection.js). A row is decoded as bytes when the query pg will hand it to is a
 * byteStringQuery: the same lookup, in the same synchronous step, as pg's own routing of the row.
 * Called before the client connects.
 */
export function useByteStringParser(client: pg.Client): ByteStringParser {
  const internals = client as unknown as ClientInternals;
  const parser = new ByteStringParser(() => internals._getActiveQuery()?.[BYTE_STRINGS] === true);
  const connection = internals.connection;
  connection.attachListeners = (stream) => {
    stream.on('data', (buffer: Buffer) =>
      parser.parse(buffer, (msg) => {
        if (msg.name === 'parameterStatus' && (msg as ParameterStatusMessage).parameterName === 'client_encoding') {
          parser.clientEncoding = (msg as ParameterStatusMessage).parameterValue;
        }
        const eventName = msg.name === 'error' ? 'errorMessage' : msg.name;
        if (connection._emitMessage) connection.emit('message', msg);
        connection.emit(eventName, msg);
      }),
    );
  };
  return parser;
}
