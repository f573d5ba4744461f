import type { DataSource, EntityManager } from 'typeorm';
import { PreparedStatement } from '../../shared/database/prepared-statement.js';
import type { RecordSchema } from './record-schema.js';

/**
 * How writers of a data set and readers of its change feed agree, so that paging by `change_seq`
 * never skips a row while writers run side by side.
 *
 * The problem: a `change_seq` is taken when a row is written but becomes visible when its
 * transaction commits, so a reader could pass a number whose transaction commits later and never
 * see that row. Writers used to queue behind one exclusive lock per data set until commit, which
 * made the numbers visible in order and capped the whole data set at one writer at a time (a
 * deadline burst queued for seconds behind it).
 *
 * Now each writer, as the first statement of its transaction, **announces a floor**: a *shared*
 * advisory lock (writers never wait for one another) whose key carries `floor`, the last change
 * number handed out at that moment. Every number the writer then takes is higher. A reader that
 * builds a page first reads the **horizon** (`<table>_feed_horizon`, migration 1798400000001):
 * the last number handed out, lowered to the lowest floor of a writer still in flight; then, in a
 * later statement (a later snapshot), it reads only rows with `change_seq <= horizon`.
 *
 * Why no row at or below the horizon can still appear: its writer either committed before the
 * page's snapshot (visible), or was in flight when the horizon was read (then its floor, below
 * its numbers, bounds the horizon), or announced itself after that (then its numbers were taken
 * after the horizon's "last handed out", so they exceed it). An advisory lock is released only
 * after its transaction's commit is visible, so a writer never drops out of the floors before its
 * rows can be seen.
 *
 * For `updatedSince` the argument covers writers still in flight: `updated_at` is the write
 * statement's `statement_timestamp()`, after the floor was announced, so such a writer's rows are
 * stamped after every row at or below the horizon. It does not cover a row already committed above
 * the horizon (held back by a slower writer): its statement may have started before a
 * lower-numbered row's. Pulls with `updatedSince` lower their bound for that case
 * (ChangeFeedPages.stampSafeBound); then a poller using the largest `updatedAt` it has seen (with
 * `>=`) misses nothing.
 *
 * What it costs: a page waits for the slowest writer in flight (a batch, milliseconds), and
 * reading the horizon scans `pg_locks` (page builds only: a cached page is checked against the
 * latest change number, feed-page-cache.ts). A transaction elsewhere in the database does not
 * hold the feed back: only writers of this data set announce floors.
 */

/** A lock space per data set, far from the gateway's other advisory-lock keys (hashtext's int4, the audit log's). */
const LOCK_SPACES: Record<string, number> = { task_results: 4097, kpi_results: 4098 };

function lockSpaceOf(schema: RecordSchema): number {
  const space = LOCK_SPACES[schema.table];
  if (!space) throw new Error(`${schema.table} has no change-feed lock space`);
  return space;
}

/**
 * Announces this transaction as a writer of the data set, with its floor. The first statement of
 * every transaction that takes a number from the data set's change sequence, before it does.
 */
export async function joinChangeFeedWriters(manager: EntityManager, schema: RecordSchema): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock_shared(($1::bigint << 40) | coalesce(pg_sequence_last_value($2::regclass), 0))`, [
    lockSpaceOf(schema),
    schema.changeSequence,
  ]);
}

/** Reads how far a data set's feed may be read (one round trip, a prepared statement). */
export function feedHorizonReader(db: DataSource, schema: RecordSchema): () => Promise<string> {
  const read = new PreparedStatement<{ horizon: string }>(db, `${schema.table}_feed_horizon`, `SELECT ${schema.table}_feed_horizon($1)::text AS horizon`);
  const space = lockSpaceOf(schema);
  return async () => (await read.rows([space]))[0].horizon;
}
