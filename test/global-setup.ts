import pg from 'pg';

/**
 * Creates a fresh, empty test database once per run; each app applies the migrations to it.
 * (Self-contained: Jest loads global setup outside its module mapper.)
 */
export default async function globalSetup(): Promise<void> {
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gateway_e2e');
  const name = url.pathname.slice(1);
  if (!/(test|e2e)/.test(name)) throw new Error(`Refusing to run tests against database "${name}": its name must contain "test" or "e2e"`);
  process.env.TEST_DATABASE_URL = url.toString();
  const admin = new URL(url);
  admin.pathname = '/test';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
