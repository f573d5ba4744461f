/**
 * Where PostgreSQL's time goes during a measured window (BENCH_PG_STATEMENTS=1, own cluster only):
 * pg_stat_statements is reset when the window starts and its top statements by total execution
 * time are logged when it ends, per request of the run.
 */
import type pg from 'pg';

export async function resetStatements(monitor: pg.Client): Promise<void> {
  await monitor.query('SELECT pg_stat_statements_reset()');
}

export async function topStatements(monitor: pg.Client, requests: number, top = 8): Promise<string> {
  const { rows } = await monitor.query<{ calls: string; total: number; mean: number; rows: string; query: string }>(
    `SELECT calls, total_exec_time AS total, mean_exec_time AS mean, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 140) AS query
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      ORDER BY total_exec_time DESC LIMIT $1`,
    [top],
  );
  return rows
    .map((r) => `  ${((r.total * 1000) / requests).toFixed(0).padStart(5)} µs/req  ${(Number(r.calls) / requests).toFixed(2)} calls/req  ${(r.mean * 1000).toFixed(0)} µs/call  ${r.query}`)
    .join('\n');
}
