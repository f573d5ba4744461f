import type { EventEmitter } from 'node:events';
import pg from 'pg';
import type { ParameterStatusMessage } from 'pg-protocol/dist/messages.js';
import { type MessageCallback, Parser } from 'pg-protocol/dist/parser.js';

const EMPTY = Buffer.alloc(0);

/**
 * One row (DataRow message) as PostgreSQL sent it, read in place in the connection's receive
 * buffer. Valid only while the sink it is handed to runs: that buffer is reused for the next
 * bytes from the socket, so a sink copies out what it keeps (`copy`, `ascii`).
 */
export class RawDataRow {
  private bytes: Buffer = EMPTY;
  private starts: number[] = [];
  /** Each column's length in bytes; -1 for NULL. */
  private lengths: number[] = [];

  /** Reads the column table of the DataRow whose body starts at `offset` (after its length). */
  read(bytes: Buffer, offset: number): this {
    this.bytes = bytes;
    const count = bytes.readInt16BE(offset);
    let at = offset + 2;
    for (let i = 0; i < count; i++) {
      const length = bytes.readInt32BE(at);
      at += 4;
      this.starts[i] = at;
      this.lengths[i] = length;
      if (length > 0) at += length;
    }
    this.starts.length = this.lengths.length = count;
    return this;
  }

  /** Lets go of the receive buffer once the sink is done with the row. */
  release(): void {
    this.bytes = EMPTY;
  }

  get columns(): number {
    return this.lengths.length;
  }

  isNull(column: number): boolean {
    return this.lengths[column] === -1;
  }

  /** The column's length in bytes (0 for NULL). */
  byteLength(column: number): number {
    return Math.max(this.lengths[column], 0);
  }

  /** Copies the column's bytes, without its last `dropLast`, into `target` at `at`; returns the bytes copied. */
  copy(column: number, target: Buffer, at: number, dropLast = 0): number {
    const start = this.starts[column];
    return this.bytes.copy(target, at, start, start + this.byteLength(column) - dropLast);
  }

  /** The column as text, for ASCII values (numbers as text); null for NULL. */
  ascii(column: number): string | null {
    if (this.isNull(column)) return null;
    const start = this.starts[column];
    return this.bytes.toString('latin1', start, start + this.lengths[column]);
  }
}

/** Called with each row of a raw-row query, synchronously, as it arrives. */
export type RowSink = (row: RawDataRow) => void;

const SINK = Symbol('rowSink');
const SINK_ERROR = Symbol('rowSinkError');
type SinkQuery = pg.Query & { [SINK]?: RowSink; [SINK_ERROR]?: unknown };

/**
 * A pg query whose rows go to `sink` as they arrive, in place (RawDataRow), instead of being
 * decoded into the result: its result has no rows. If the sink throws, the rest of the rows are
 * dropped and the query ends with that error.
 */
export function rawRowQuery(config: pg.QueryConfig | pg.QueryArrayConfig, sink: RowSink, callback: (error: Error | undefined, result: pg.QueryResult) => void): pg.Query {
  const query: SinkQuery = new pg.Query(config, undefined, (error: Error | undefined, result: pg.QueryResult) => {
    const sinkError = query[SINK_ERROR];
    callback(error ?? (sinkError as Error | undefined), result);
  });
  query[SINK] = sink;
  return query;
}

// pg-protocol's Parser as it is inside (its typings mark these private): handlePacket turns one
// message's bytes into its fields; parse() calls it for each complete message in its buffer.
interface ParserInternals {
  handlePacket(offset: number, code: number, length: number, bytes: Buffer): unknown;
  parse(buffer: Buffer, callback: MessageCallback): void;
}
const ParserWithInternals = Parser as unknown as new () => ParserInternals;
const DATA_ROW = 0x44; // 'D'
/** What the parser hands on for a row that went to a sink: an event nobody listens to. */
const SUNK_ROW = { name: 'rowToSink', length: 0 } as const;

/**
 * pg-protocol's parser, which hands a row (DataRow) straight to the active query's sink when it
 * has one, and parses everything else as pg does.
 *
 * Why by hand: pg decodes every text column into a string, and a built pull page (100 stored JSON
 * views, ~90 KB of Vietnamese text) went through it twice: decoded into strings (UTF-8, later
 * latin1 "byte strings"), then written back into the page's bytes. A sink copies each view's bytes
 * from the receive buffer into the page once (page-body.ts). pg-protocol 1.16.1 has no option for
 * it: its binary mode throws, and the change that hands columns over as bytes
 * (brianc/node-postgres#3495) is not released. raw-data-rows.spec.ts pins the versions and
 * internals this was verified with.
 */
export class RawRowParser extends ParserWithInternals {
  /** The server's client_encoding, as its ParameterStatus last reported it. */
  clientEncoding: string | undefined;
  private readonly row = new RawDataRow();

  constructor(private readonly activeQuery: () => SinkQuery | null) {
    super();
  }

  override handlePacket(offset: number, code: number, length: number, bytes: Buffer): unknown {
    const query = code === DATA_ROW ? this.activeQuery() : null;
    const sink = query?.[SINK];
    if (!query || !sink) return super.handlePacket(offset, code, length, bytes);
    // After a sink failed, the query's remaining rows are dropped; it ends with that error.
    if (query[SINK_ERROR] === undefined) {
      try {
        sink(this.row.read(bytes, offset));
      } catch (error) {
        query[SINK_ERROR] = error ?? new Error('A row sink failed');
      } finally {
        this.row.release();
      }
    }
    return SUNK_ROW;
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
  _getActiveQuery(): SinkQuery | null;
}

/**
 * Gives a client's connection a RawRowParser, in place of the one pg-protocol's parse() would
 * make; what the listener does with each message is pg's own attachListeners (pg 8.23.1,
 * lib/connection.js). A row goes to a sink when the query pg would hand it to is a rawRowQuery:
 * the same lookup, in the same synchronous step, as pg's own routing of the row.
 * Called before the client connects.
 */
export function useRawRowParser(client: pg.Client): RawRowParser {
  const internals = client as unknown as ClientInternals;
  const parser = new RawRowParser(() => internals._getActiveQuery());
  const connection = internals.connection;
  connection.attachListeners = (stream) => {
    stream.on('data', (buffer: Buffer) =>
      parser.parse(buffer, (msg) => {
        if ((msg as unknown) === SUNK_ROW) return;
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
