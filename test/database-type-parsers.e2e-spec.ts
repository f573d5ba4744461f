import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/shared/database/data-source.js';
import '../src/shared/database/database.module.js';
import { testDatabaseUrl } from './support/test-database.js';

/**
 * DATE columns are read as the calendar day written ('YYYY-MM-DD'), by every DataSource built from
 * dataSourceOptions (gateway, CLI, tests); and loading the database module changes nothing for other
 * pg clients in the process (no process-wide parser table edited on import).
 */
describe('database type parsers', () => {
  const previousZone = process.env.TZ;

  beforeAll(() => {
    process.env.TZ = 'Asia/Ho_Chi_Minh'; // a zone where a local-midnight Date would shift the day in UTC
  });
  afterAll(() => {
    process.env.TZ = previousZone;
  });

  it('reads DATE values as YYYY-MM-DD strings through the gateway\'s connections', async () => {
    const db = new DataSource({ ...dataSourceOptions(testDatabaseUrl(), 1), logging: false });
    await db.initialize();
    try {
      const [row] = (await db.query(`SELECT DATE '2025-07-01' AS day, NULL::date AS none, TIMESTAMPTZ '2025-07-01T00:00:00Z' AS at, 42::int AS n`)) as Array<Record<string, unknown>>;
      expect(row.day).toBe('2025-07-01');
      expect(row.none).toBeNull();
      // Other types keep pg's parsers.
      expect(row.at).toBeInstanceOf(Date);
      expect((row.at as Date).toISOString()).toBe('2025-07-01T00:00:00.000Z');
      expect(row.n).toBe(42);
    } finally {
      await db.destroy();
    }
  });

  it('leaves pg\'s process-wide parsers alone', async () => {
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      const { rows } = await client.query<{ day: unknown }>(`SELECT DATE '2025-07-01' AS day`);
      expect(rows[0].day).toBeInstanceOf(Date);
    } finally {
      await client.end();
    }
  });
});
