import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { RawDataRow, RawRowParser, rawRowQuery } from './raw-data-rows.js';
import { ResilientPgClient } from './resilient-pg-client.js';

/**
 * raw-data-rows.ts reads inside pg and pg-protocol (a parser's handlePacket, a connection's
 * attachListeners, a client's active query). This fails as soon as what it reads
 * moves; the e2e half (real PostgreSQL) is test/database-client-query-forms.e2e-spec.ts.
 */
const require = createRequire(import.meta.url);

/** One backend message: its code, its length (itself included), its body. */
const message = (code: string, body: Buffer) => {
  const head = Buffer.alloc(5);
  head.write(code, 0, 'latin1');
  head.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
};
const int16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const int32 = (n: number) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
const dataRow = (...values: Array<string | null>) =>
  message('D', Buffer.concat([int16(values.length), ...values.map((v) => (v === null ? int32(-1) : Buffer.concat([int32(Buffer.byteLength(v)), Buffer.from(v)])))]));
// An ErrorResponse: severity, code and message fields, then a zero byte.
const errorResponse = (text: string) => message('E', Buffer.concat([Buffer.from(`SERROR\0C22P02\0M${text}\0`), Buffer.from([0])]));

type Parsed = { name: string; fields?: unknown[]; message?: string };
/** Parses the bytes in chunks of at most `chunk` bytes, as a socket may deliver them. */
function parseAll(parser: RawRowParser, bytes: Buffer, chunk = bytes.length): Parsed[] {
  const out: Parsed[] = [];
  for (let at = 0; at < bytes.length; at += chunk) parser.parse(bytes.subarray(at, at + chunk), (msg) => out.push(msg));
  return out;
}

const text = 'Ủy ban nhân dân 😀 "x"';

/** The gateway's pool client, its connection listening to a stream the test writes to. */
function attachedClient() {
  const client = new ResilientPgClient();
  const internals = client as unknown as { _activeQuery: pg.Query | null; connection: EventEmitter & { attachListeners(stream: EventEmitter): void } };
  const stream = new EventEmitter();
  internals.connection.attachListeners(stream);
  return { client, internals, stream };
}

describe('raw data rows: the pg internals they rely on', () => {
  it('runs against the versions it was verified with, pg using this very pg-protocol (an upgrade must re-run this and bench:pull)', () => {
    expect(require('pg/package.json').version).toBe('8.23.1');
    // pg-protocol's exports leave out its package.json: read beside its main module (dist/index.js).
    const protocolPackage = path.resolve(path.dirname(require.resolve('pg-protocol')), '..', 'package.json');
    expect(JSON.parse(fs.readFileSync(protocolPackage, 'utf8')).version).toBe('1.16.1');
    // No copy of its own under pg: pg parses with the Parser class this imports.
    expect(fs.existsSync(path.join(path.dirname(require.resolve('pg/package.json')), 'node_modules', 'pg-protocol'))).toBe(false);
  });

  it('pg connects its stream, plain or TLS, through attachListeners, and routes a row to _getActiveQuery()', () => {
    const Connection = require('pg/lib/connection.js');
    expect(String(Connection.prototype.connect)).toContain('attachListeners(');
    expect(String(Connection.prototype.upgradeToSSL)).toContain('attachListeners(self.stream)');
    // What useRawRowParser's listener does with each message, word for word.
    expect(String(Connection.prototype.attachListeners).replace(/\s+/g, ' ')).toBe(
      "attachListeners(stream) { parse(stream, (msg) => { const eventName = msg.name === 'error' ? 'errorMessage' : msg.name if (this._emitMessage) { this.emit('message', msg) } this.emit(eventName, msg) }) }",
    );
    expect(new pg.Client().connection).toBeInstanceOf(Connection);
    expect(String(pg.Client.prototype['_handleDataRow' as keyof pg.Client]).replace(/\s+/g, ' ')).toContain('const activeQuery = this._getActiveQuery()');
  });

  /** A query whose rows go to a sink that keeps a copy of each column (bytes, as UTF-8 text here). */
  const sinkQuery = () => {
    const rows: Array<Array<string | null>> = [];
    const query = rawRowQuery({ text: 'SELECT' }, (row) => {
      rows.push(Array.from({ length: row.columns }, (_, i) => {
        if (row.isNull(i)) return null;
        const copy = Buffer.alloc(row.byteLength(i));
        row.copy(i, copy, 0);
        return copy.toString('utf8');
      }));
    }, () => undefined);
    return { query, rows };
  };

  it('hands a row to the active query\'s sink, in place, and parses it as pg does for any other query', () => {
    let active: pg.Query | null = null;
    const parser = new RawRowParser(() => active);
    const { query, rows } = sinkQuery();
    active = query;
    expect(parseAll(parser, dataRow(text, null, '42'))).toEqual([expect.objectContaining({ name: 'rowToSink' })]);
    expect(rows).toEqual([[text, null, '42']]);
    active = new pg.Query({ text: 'SELECT' });
    expect(parseAll(parser, dataRow(text, null, '42'))[0].fields).toEqual([text, null, '42']);
    active = null;
    expect(parseAll(parser, dataRow(text))[0].fields).toEqual([text]);
  });

  it('reads a row split across chunks whole, and everything but rows as pg does (an error\'s message stays readable)', () => {
    const { query, rows } = sinkQuery();
    const out = parseAll(new RawRowParser(() => query), Buffer.concat([errorResponse('cú pháp sai: "Ủy"'), dataRow('Đà Nẵng', 'Ủy ban nhân dân tỉnh '.repeat(5))]), 7);
    expect(out.map((m) => m.name)).toEqual(['error', 'rowToSink']);
    expect(out[0].message).toBe('cú pháp sai: "Ủy"');
    expect(rows).toEqual([['Đà Nẵng', 'Ủy ban nhân dân tỉnh '.repeat(5)]]);
  });

  it('a row gives its columns\' lengths, bytes (less a last few on request) and ASCII text', () => {
    const bytes = dataRow('{"a":"Ủy"}', null, '', '123');
    const row = new RawDataRow().read(bytes, 5);
    expect([row.columns, row.isNull(1), row.byteLength(1), row.byteLength(2), row.ascii(3), row.ascii(1)]).toEqual([4, true, 0, 0, '123', null]);
    const target = Buffer.alloc(20, 0x2e);
    expect(row.copy(0, target, 1, 1)).toBe(Buffer.byteLength('{"a":"Ủy"}') - 1);
    expect(target.toString('utf8', 1, Buffer.byteLength('{"a":"Ủy"}'))).toBe('{"a":"Ủy"');
  });

  it('a sink that throws ends its query with that error, and its later rows are dropped', async () => {
    let calls = 0;
    const failed = new Promise<Error | undefined>((resolve) => {
      const query = rawRowQuery({ text: 'SELECT' }, () => {
        calls++;
        throw new Error('sink failed');
      }, (error) => resolve(error));
      const parser = new RawRowParser(() => query);
      parseAll(parser, Buffer.concat([dataRow('a'), dataRow('b')]));
      // What pg's client does when the query's statement completes.
      const internals = query as unknown as { handleCommandComplete(msg: object, connection?: unknown): void; handleReadyForQuery(connection?: unknown): void };
      internals.handleCommandComplete({ name: 'commandComplete', length: 0, text: 'SELECT 2' });
      internals.handleReadyForQuery();
    });
    expect((await failed)?.message).toBe('sink failed');
    expect(calls).toBe(1);
  });

  it('the gateway\'s client gives its connection the parser: a row goes to a sink only for a raw-row query', () => {
    const { internals, stream } = attachedClient();
    const rows: unknown[][] = [];
    internals.connection.on('dataRow', (msg: { fields: unknown[] }) => rows.push(msg.fields));
    const sunk = sinkQuery();

    internals._activeQuery = sunk.query;
    stream.emit('data', dataRow(text));
    internals._activeQuery = new pg.Query({ text: 'SELECT' });
    stream.emit('data', dataRow(text));
    internals._activeQuery = null;
    stream.emit('data', dataRow(text));
    expect(sunk.rows).toEqual([[text]]);
    expect(rows).toEqual([[text], [text]]);
  });

  it('refuses a raw-row query when the server says it sends another encoding than UTF-8', async () => {
    const { client, stream } = attachedClient();
    stream.emit('data', message('S', Buffer.from('client_encoding\0LATIN1\0')));
    await expect(client.queryRawRows({ text: 'SELECT 1' }, () => undefined)).rejects.toThrow('Raw rows need client_encoding UTF8; the database reports LATIN1');
  });
});
