import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { ByteStringParser, byteStringQuery, toByteString } from './byte-string-rows.js';
import { ResilientPgClient } from './resilient-pg-client.js';

/**
 * byte-string-rows.ts reads inside pg and pg-protocol (a parser's reader and handlePacket, a
 * connection's attachListeners, a client's active query). This fails as soon as what it reads
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
function parseAll(parser: ByteStringParser, bytes: Buffer, chunk = bytes.length): Parsed[] {
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

describe('byte-string rows: the pg internals they rely on', () => {
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
    // What useByteStringParser's listener does with each message, word for word.
    expect(String(Connection.prototype.attachListeners).replace(/\s+/g, ' ')).toBe(
      "attachListeners(stream) { parse(stream, (msg) => { const eventName = msg.name === 'error' ? 'errorMessage' : msg.name if (this._emitMessage) { this.emit('message', msg) } this.emit(eventName, msg) }) }",
    );
    expect(new pg.Client().connection).toBeInstanceOf(Connection);
    expect(String(pg.Client.prototype['_handleDataRow' as keyof pg.Client]).replace(/\s+/g, ' ')).toContain('const activeQuery = this._getActiveQuery()');
  });

  it('decodes a row\'s columns as bytes when told to, and as UTF-8 otherwise', () => {
    let asBytes = false;
    const parser = new ByteStringParser(() => asBytes);
    expect(parseAll(parser, dataRow(text, null, '42'))[0].fields).toEqual([text, null, '42']);
    asBytes = true;
    const [row] = parseAll(parser, dataRow(text, null, '42'));
    expect(row.fields).toEqual([toByteString(text), null, '42']);
    expect(Buffer.from(row.fields![0] as string, 'latin1').toString('utf8')).toBe(text);
  });

  it('decodes everything but rows as UTF-8 (an error\'s message stays readable), and a row split across chunks alike', () => {
    const out = parseAll(new ByteStringParser(() => true), Buffer.concat([errorResponse('cú pháp sai: "Ủy"'), dataRow('Đà Nẵng')]), 30);
    expect(out.map((m) => m.name)).toEqual(['error', 'dataRow']);
    expect(out[0].message).toBe('cú pháp sai: "Ủy"');
    expect(out[1].fields).toEqual([toByteString('Đà Nẵng')]);
  });

  it('the gateway\'s client gives its connection the parser: a row comes as bytes only to a byte-string query', () => {
    const { internals, stream } = attachedClient();
    const rows: unknown[][] = [];
    internals.connection.on('dataRow', (msg: { fields: unknown[] }) => rows.push(msg.fields));

    internals._activeQuery = byteStringQuery({ text: 'SELECT' }, () => undefined);
    stream.emit('data', dataRow(text));
    internals._activeQuery = new pg.Query({ text: 'SELECT' });
    stream.emit('data', dataRow(text));
    internals._activeQuery = null;
    stream.emit('data', dataRow(text));
    expect(rows).toEqual([[toByteString(text)], [text], [text]]);
  });

  it('refuses a byte-string query when the server says it sends another encoding than UTF-8', async () => {
    const { client, stream } = attachedClient();
    stream.emit('data', message('S', Buffer.from('client_encoding\0LATIN1\0')));
    await expect(client.queryByteStrings({ text: 'SELECT 1' })).rejects.toThrow('Byte-string rows need client_encoding UTF8; the database reports LATIN1');
  });
});
