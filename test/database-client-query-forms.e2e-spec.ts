import { jest } from '@jest/globals';
import pg from 'pg';
import type { RawDataRow } from '../src/shared/database/raw-data-rows.js';
import { ResilientPgClient } from '../src/shared/database/resilient-pg-client.js';
import { testDatabaseUrl } from './support/test-database.js';

/**
 * The gateway's pool client runs awaited queries in pg's callback form (resilient-pg-client.ts
 * says why): every form a caller may use still answers as pg's own would.
 */
describe('database client: query forms', () => {
  let client: ResilientPgClient;

  beforeAll(async () => {
    client = new ResilientPgClient({ connectionString: testDatabaseUrl() });
    await client.connect();
  });
  afterAll(() => client.end());
  afterEach(() => jest.restoreAllMocks());

  it('answers an awaited query through pg\'s callback form', async () => {
    const spy = jest.spyOn(pg.Client.prototype, 'query');
    const result = await client.query('SELECT $1::int + 1 AS n', [41]);
    expect(result.rows).toEqual([{ n: 42 }]);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(typeof spy.mock.calls[0][2]).toBe('function');
  });

  it('takes a config object with a name and rowMode, as prepared statements send it', async () => {
    const result = await client.query({ name: 'query_forms_pair', text: 'SELECT $1::text AS a, 2 AS b', values: ['x'], rowMode: 'array' });
    expect(result.rows).toEqual([['x', 2]]);
    expect(result.fields.map((f: pg.FieldDef) => f.name)).toEqual(['a', 'b']);
  });

  it('rejects an awaited query with PostgreSQL\'s error, and the connection stays usable', async () => {
    await expect(client.query('SELECT * FROM no_such_table_here')).rejects.toMatchObject({ code: '42P01' });
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('passes a callback and a submittable query through untouched', async () => {
    const viaCallback = await new Promise<pg.QueryResult>((resolve, reject) => client.query('SELECT 3 AS three', (error: Error | null, result: pg.QueryResult) => (error ? reject(error) : resolve(result))));
    expect(viaCallback.rows).toEqual([{ three: 3 }]);
    const submittable = new pg.Query('SELECT 4 AS four');
    const rows: unknown[] = [];
    submittable.on('row', (row) => rows.push(row));
    expect(client.query(submittable)).toBe(submittable);
    await new Promise((resolve) => submittable.on('end', resolve));
    expect(rows).toEqual([{ four: 4 }]);
  });

  /** Each row's columns as the sink saw them: UTF-8 bytes copied out, read back as text. */
  const collect = (rows: Array<Array<string | null>>) => (row: RawDataRow) =>
    rows.push(Array.from({ length: row.columns }, (_, i) => {
      if (row.isNull(i)) return null;
      const copy = Buffer.alloc(row.byteLength(i));
      row.copy(i, copy, 0);
      return copy.toString('utf8');
    }));

  it('hands a raw-row query\'s rows to its sink as their UTF-8 bytes, and decodes as before around it', async () => {
    const text = 'Ủy ban nhân dân tỉnh Đà Nẵng 😀 "trích dẫn" \\';
    // Larger than a socket read (64 KB): rows arrive split across chunks.
    const long = 'Báo cáo kết quả thực hiện nhiệm vụ của Ủy ban nhân dân tỉnh. '.repeat(2000);
    const statement = { name: 'query_forms_raw', text: 'SELECT $1::text AS t, NULL::text AS n, g::text AS seq FROM generate_series(1, 3) g', values: [text], rowMode: 'array' as const };
    const rows: Array<Array<string | null>> = [];
    const result = await client.queryRawRows(statement, collect(rows));
    expect(rows).toEqual([[text, null, '1'], [text, null, '2'], [text, null, '3']]);
    expect([result.rows, result.rowCount]).toEqual([[], 3]);
    const longRows: Array<Array<string | null>> = [];
    await client.queryRawRows({ text: 'SELECT $1::text || g AS t FROM generate_series(1, 4) g', values: [long] }, collect(longRows));
    expect(longRows).toEqual([1, 2, 3, 4].map((g) => [long + g]));
    // The next query on the same connection, and the same statement run plainly, decode as pg does.
    expect((await client.query(statement)).rows).toEqual([[text, null, '1'], [text, null, '2'], [text, null, '3']]);
    expect((await client.query('SELECT $1::text AS t', ['Hà Nội'])).rows).toEqual([{ t: 'Hà Nội' }]);
  });

  it('keeps a raw-row query\'s error readable, and the connection answers in UTF-8 afterwards', async () => {
    await expect(client.queryRawRows({ text: "SELECT 'Ủy ban'::int" }, () => undefined)).rejects.toMatchObject({ code: '22P02', message: expect.stringContaining('"Ủy ban"') });
    expect((await client.query("SELECT 'Ủy ban' AS t")).rows).toEqual([{ t: 'Ủy ban' }]);
  });

  it('ends a raw-row query whose sink throws with that error, and the connection stays usable', async () => {
    let calls = 0;
    const failing = () => {
      calls++;
      throw new Error('the sink refused a row');
    };
    await expect(client.queryRawRows({ text: 'SELECT g FROM generate_series(1, 5) g' }, failing)).rejects.toThrow('the sink refused a row');
    expect(calls).toBe(1);
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });
});
