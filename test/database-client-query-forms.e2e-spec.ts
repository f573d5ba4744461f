import { jest } from '@jest/globals';
import pg from 'pg';
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
});
