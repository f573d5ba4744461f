import { jest } from '@jest/globals';
import pg from 'pg';
import { toByteString } from '../src/shared/database/byte-string-rows.js';
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

  it('hands a byte-string query\'s text columns over as their UTF-8 bytes, and decodes as before around it', async () => {
    const text = 'Ủy ban nhân dân tỉnh Đà Nẵng 😀 "trích dẫn" \\';
    const statement = { name: 'query_forms_bytes', text: 'SELECT $1::text AS t, NULL::text AS n, 7::text AS seven', values: [text], rowMode: 'array' as const };
    const rows = (await client.queryByteStrings(statement)).rows;
    expect(rows).toEqual([[toByteString(text), null, '7']]);
    expect(Buffer.from(rows[0][0], 'latin1').toString('utf8')).toBe(text);
    // The next query on the same connection, and the same statement run plainly, decode as UTF-8.
    expect((await client.query(statement)).rows).toEqual([[text, null, '7']]);
    expect((await client.query('SELECT $1::text AS t', ['Hà Nội'])).rows).toEqual([{ t: 'Hà Nội' }]);
  });

  it('keeps a byte-string query\'s error readable, and the connection answers in UTF-8 afterwards', async () => {
    await expect(client.queryByteStrings({ text: "SELECT 'Ủy ban'::int" })).rejects.toMatchObject({ code: '22P02', message: expect.stringContaining('"Ủy ban"') });
    expect((await client.query("SELECT 'Ủy ban' AS t")).rows).toEqual([{ t: 'Ủy ban' }]);
  });
});
