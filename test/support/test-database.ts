import pg from 'pg';

/**
 * The database end-to-end tests own. Refuses anything whose name does not say it is for tests:
 * the suite truncates tables.
 */
export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gateway_e2e';
  const name = new URL(url).pathname.slice(1);
  if (!/(test|e2e)/.test(name)) throw new Error(`Refusing to run tests against database "${name}": its name must contain "test" or "e2e"`);
  return url;
}

/** Empties every table the gateway writes, between suites. */
export async function resetDatabase(): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`,
    );
    // The audit tables refuse TRUNCATE except in a session that says so (see the audit-chain migration).
    await client.query('SET gateway.allow_audit_truncate = on');
    if (rows.length) await client.query(`TRUNCATE ${rows.map((r) => `"${r.tablename}"`).join(', ')} CASCADE`);
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

