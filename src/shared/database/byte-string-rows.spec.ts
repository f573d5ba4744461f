import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { ByteStringParser, toByteString } from './byte-string-rows.js';

/**
 * byte-string-rows.ts reads inside pg and pg-protocol (a parser's reader and handlePacket, a
 * connection's attachListeners). This fails as soon as what it reads moves; the e2e half (real
 * PostgreSQL) is test/database-client-query-forms.e2e-spec.ts.
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

function parseAll(parser: ByteStringParser, bytes: Buffer): Array<{ name: string; fields?: unknown[]; message?: string }> {
  const out: Array<{ name: string }> = [];
  parser.parse(bytes, (msg) => out.push(msg));
  return out;
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

  it('pg connects its stream through attachListeners, which byte-string-rows.ts replaces', () => {
    const Connection = require('pg/lib/connection.js');
    expect(typeof Connection.prototype.attachListeners).toBe('function');
    expect(String(Connection.prototype.connect)).toContain('attachListeners(');
    // What useByteStringParser's listener does with each message, word for word.
    expect(String(Connection.prototype.attachListeners).replace(/\s+/g, ' ')).toBe(
      "attachListeners(stream) { parse(stream, (msg) => { const eventName = msg.name === 'error' ? 'errorMessage' : msg.name if (this._emitMessage) { this.emit('message', msg) } this.emit(eventName, msg) }) }",
    );
    expect(new pg.Client().connection).toBeInstanceOf(Connection);
  });

  it('decodes a row\'s columns as bytes while switched on, and as UTF-8 otherwise', () => {
    const parser = new ByteStringParser();
    const text = 'Ủy ban nhân dân 😀 "x"';
    expect(parseAll(parser, dataRow(text, null, '42'))[0].fields).toEqual([text, null, '42']);
    parser.byteStrings = true;
    const [row] = parseAll(parser, dataRow(text, null, '42'));
    expect(row.fields).toEqual([toByteString(text), null, '42']);
    expect(Buffer.from(row.fields![0] as string, 'latin1').toString('utf8')).toBe(text);
  });

  it('decodes everything but rows as UTF-8 while switched on (an error\'s message stays readable), and a row split across chunks alike', () => {
    const parser = new ByteStringParser();
    parser.byteStrings = true;
    const bytes = Buffer.concat([errorResponse('cú pháp sai: "Ủy"'), dataRow('Đà Nẵng')]);
    const out: Array<{ name: string; fields?: unknown[]; message?: string }> = [];
    parser.parse(bytes.subarray(0, 30), (msg) => out.push(msg));
    parser.parse(bytes.subarray(30), (msg) => out.push(msg));
    expect(out.map((m) => m.name)).toEqual(['error', 'dataRow']);
    expect(out[0].message).toBe('cú pháp sai: "Ủy"');
    expect(out[1].fields).toEqual([toByteString('Đà Nẵng')]);
  });
});
