import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/shared/database/data-source.js';
import { testDatabaseUrl } from './support/test-database.js';

/** The checked-in migrations produce exactly the schema the entities describe: nothing to generate. */
describe('database schema', () => {
  it('has no drift between the migrations and the entities', async () => {
    const url = new URL(testDatabaseUrl());
    const name = `${url.pathname.slice(1)}_drift`;
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    url.pathname = `/${name}`;
    const db = new DataSource({ ...dataSourceOptions(url.toString(), 2), migrationsRun: true, logging: false });
    try {
      await db.initialize();
      const pending = await db.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await db.destroy();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  }, 60_000);
});
