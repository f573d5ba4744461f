import type { DataSource, QueryRunner } from 'typeorm';
import type { Queryable } from '../archive/audit-log-reader.js';

/**
 * Runs `work` on one connection while it holds the session-level `pg_advisory_lock(key)`, so that
 * every gateway instance on the database takes its turn. Each statement of `work` commits on its
 * own, before the lock is released.
 *
 * Deliberately not a transaction with `pg_advisory_xact_lock`: behind the embedded database's
 * socket server (PGlite), a transaction pins PGlite's single session to one connection, and a
 * query another connection was halfway through sending (Parse sent, Bind not yet) then fails
 * ("bind message supplies 7 parameters, but prepared statement requires 1") and stalls that
 * server's queue. Audit appends run on every request, so they must not open transactions.
 */
export async function withAdvisoryLock<T>(db: DataSource, key: string, work: (connection: Queryable) => Promise<T>): Promise<T> {
  const runner = db.createQueryRunner() as QueryRunner & { releasePostgresConnection?(error?: Error): Promise<void> };
  let unlocked = false;
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [key]);
    try {
      return await work(runner);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [key]);
      unlocked = true;
    }
  } finally {
    // A connection that may still hold the lock is closed, not pooled: closing releases it.
    if (unlocked || !runner.releasePostgresConnection) await runner.release();
    else await runner.releasePostgresConnection(new Error('advisory lock not released'));
  }
}
