import pg from 'pg';

export const DEFAULT_BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/gateway_bench';

/**
 * Drops and recreates the benchmark database (as test/global-setup.ts does for the e2e one). The
 * name must say "bench": this destroys whatever it holds. The DROP/CREATE runs in an admin
 * database of the same server: `postgres`, or `test` where `postgres` is not reachable.
 */
export async function recreateDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/bench/.test(name)) throw new Error(`Refusing to drop database "${name}": its name must contain "bench"`);
  let lastError: unknown;
  for (const adminName of [process.env.BENCH_ADMIN_DATABASE, 'postgres', 'test'].filter(Boolean) as string[]) {
    const admin = new URL(url);
    admin.pathname = `/${adminName}`;
    const client = new pg.Client({ connectionString: admin.toString() });
    try {
      await client.connect();
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      continue;
    }
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${name}"`);
      return;
    } finally {
      await client.end();
    }
  }
  throw new Error(`Could not reach an admin database next to ${name}: ${(lastError as Error)?.message}`);
}

/** One query on a short-lived connection. */
export async function sql<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}
