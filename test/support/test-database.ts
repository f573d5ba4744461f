import pg from 'pg';

/**
 * The database this Jest worker's end-to-end tests own: TEST_DATABASE_URL's name plus
 * `_w<JEST_WORKER_ID>`, created empty by test/global-setup.ts, so that suites running side by side
 * never truncate each other's tables. Refuses anything whose name does not say it is for tests.
 */
export function testDatabaseUrl(): string {
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gateway_e2e');
  const name = url.pathname.slice(1);
  if (!/(test|e2e)/.test(name)) throw new Error(`Refusing to run tests against database "${name}": its name must contain "test" or "e2e"`);
  url.pathname = `/${name}_w${process.env.JEST_WORKER_ID ?? '1'}`;
  return url.toString();
}

/** Reference data the migrations ship (the working-calendar and unit registers): kept; tests that edit them undo their edits or add only their own entries. */
export const REFERENCE_TABLES = ['migrations', 'calendar_days', 'units'];

/** The tables the gateway writes (every one but the reference data). */
export async function writtenTables(): Promise<string[]> {
  const rows = await sql<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> ALL($1::text[])`, [REFERENCE_TABLES]);
  return rows.map((r) => r.tablename);
}

/** Empties every table the gateway writes, between suites. */
export async function resetDatabase(): Promise<void> {
  const names = await writtenTables();
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    // The audit tables refuse TRUNCATE except in a session that says so (see the audit-chain migration).
    await client.query('SET gateway.allow_audit_truncate = on');
    if (names.length) await client.query(`TRUNCATE ${names.map((n) => `"${n}"`).join(', ')} CASCADE`);
  } finally {
    await client.end();
  }
}

export async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Archived (detached) months another suite left behind: resetDatabase() empties them, it does not drop them. */
export async function dropDetachedAuditMonths(): Promise<void> {
  const rows = await sql<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c WHERE c.relkind = 'r' AND c.relname ~ '^audit_entries_[0-9]{4}_[0-9]{2}$'
        AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid)`);
  for (const r of rows) await sql(`DROP TABLE "${r.name}"`);
}

