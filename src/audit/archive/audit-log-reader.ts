import { type ChainedEntry, entryFromRow } from '../chain/audit-chain.js';
import { type CheckpointRecord, checkpointFromRow } from '../checkpoints/audit-checkpoint.js';
import { AuditChainVerifier, type VerificationReport } from '../chain/audit-verifier.js';
import type { TrustedKeys } from '../checkpoints/audit-signing-key.js';

/** A DataSource, EntityManager or QueryRunner. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/** What a verification or export covers: whole checkpoints, so that each can be checked. */
export interface AuditRange {
  startSeq: string;
  /** Null when the log holds nothing at or after `startSeq`. */
  endSeq: string | null;
  /** The checkpoints overlapping the range, plus the one ending just before it (the anchor). */
  checkpoints: CheckpointRecord[];
  /** Entries up to this seq were archived (`audit:archive`): the range starts after them. */
  archivedThroughSeq?: string;
}

/** The action of the entry `audit:archive` writes (its details name the archived range). */
export const ARCHIVE_ACTION = 'audit.archive';

/**
 * The last chain position archived out of the database, from the newest archival entry (itself
 * in the chain, and always younger than what it archived). Null when nothing was archived.
 *
 * The entry is a claim written into the log, so it is believed only if the database agrees: the
 * archived month's partition is no longer attached, and no entry up to the claimed position that
 * occurred before the next month is still there. A forged claim (to make verification skip
 * entries that were edited) is thus ignored, and verification covers those entries again.
 */
export async function archivedThroughSeq(db: Queryable): Promise<bigint | null> {
  const [row] = await db.query(
    `SELECT details FROM audit_entries WHERE action = $1 AND plane = 'control' AND method = 'CLI' ORDER BY seq DESC LIMIT 1`,
    [ARCHIVE_ACTION],
  );
  if (!row) return null;
  const claim = JSON.parse(row.details) as { archivedThroughSeq?: string; period?: string; partition?: string };
  if (!claim.archivedThroughSeq || !/^\d+$/.test(claim.archivedThroughSeq) || !claim.period || !/^\d{4}-\d{2}$/.test(claim.period) || !claim.partition) return null;
  const [year, month] = claim.period.split('-').map(Number);
  const nextMonth = new Date(Date.UTC(year, month, 1));
  const [{ attached, left }] = await db.query(
    `SELECT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
                     WHERE p.relname = 'audit_entries' AND c.relname = $1) AS attached,
            (SELECT count(*) FROM audit_entries WHERE seq <= $2 AND occurred_at < $3)::int AS left`,
    [claim.partition, claim.archivedThroughSeq, nextMonth],
  );
  return attached || left > 0 ? null : BigInt(claim.archivedThroughSeq);
}

/** Every hashed column (both formats), the chain columns and the row id. */
export const ENTRY_COLUMNS = `id, seq, occurred_at, request_id, plane, environment, connection_id, certificate_thumbprint,
  source_address, method, path, status_code, outcome, error_code, duration_ms, entry_format, action, actor_account_id,
  actor_username, actor_holder_name, actor_role, assistant_account_id, assistant_username, assistant_holder_name,
  target_type, target_id, payload_sha256, details, prev_hash, entry_hash`;

/**
 * Chooses the chain positions for a time range: from the first entry that occurred at or after
 * `from` to the last that occurred at or before `to`, widened to whole checkpoints. Without
 * `from` the range starts at the beginning of the chain; without `to`, it runs to its end.
 */
export async function resolveRange(db: Queryable, bounds: { from?: Date; to?: Date } = {}): Promise<AuditRange> {
  const [{ max_seq: maxSeq, max_sealed: maxSealed }] = await db.query(
    `SELECT (SELECT max(seq) FROM audit_entries) AS max_seq, (SELECT max(last_seq) FROM audit_checkpoints) AS max_sealed`,
  );
  const lastKnown = [maxSeq, maxSealed].filter((v) => v !== null).map(BigInt).reduce((a, b) => (a > b ? a : b), 0n);
  let start = 1n;
  if (bounds.from) {
    const [{ seq }] = await db.query(`SELECT min(seq) AS seq FROM audit_entries WHERE occurred_at >= $1`, [bounds.from]);
    start = seq === null ? lastKnown + 1n : await checkpointBoundary(db, BigInt(seq), 'first_seq');
  }
  // Archived entries are in their export files; the checkpoint ending at the last of them
  // (archives end on one) anchors what follows.
  const archived = await archivedThroughSeq(db);
  if (archived !== null && start <= archived) start = archived + 1n;
  const note = archived === null ? {} : { archivedThroughSeq: String(archived) };
  let end = lastKnown;
  if (bounds.to) {
    const [{ seq }] = await db.query(`SELECT max(seq) AS seq FROM audit_entries WHERE occurred_at <= $1`, [bounds.to]);
    end = seq === null ? 0n : await checkpointBoundary(db, BigInt(seq), 'last_seq');
  }
  if (end < start) return { startSeq: String(start), endSeq: null, checkpoints: [], ...note };
  const rows = await db.query(
    `SELECT * FROM audit_checkpoints WHERE last_seq >= $1 AND first_seq <= $2 ORDER BY last_seq`,
    [String(start - 1n), String(end)],
  );
  return { startSeq: String(start), endSeq: String(end), checkpoints: rows.map(checkpointFromRow), ...note };
}

async function checkpointBoundary(db: Queryable, seq: bigint, edge: 'first_seq' | 'last_seq'): Promise<bigint> {
  const [row] = await db.query(
    `SELECT ${edge} AS edge FROM audit_checkpoints WHERE first_seq <= $1 AND last_seq >= $1 ORDER BY id LIMIT 1`,
    [String(seq)],
  );
  return row ? BigInt(row.edge) : seq;
}

/** The entries `startSeq..endSeq` in chain order, read in batches (keyset pagination on seq). */
export async function* readEntries(db: Queryable, startSeq: string, endSeq: string, batchSize = 5000): AsyncGenerator<ChainedEntry> {
  let after = BigInt(startSeq) - 1n;
  for (;;) {
    const rows: Record<string, unknown>[] = await db.query(
      `SELECT ${ENTRY_COLUMNS} FROM audit_entries WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT ${batchSize}`,
      [String(after), endSeq],
    );
    for (const row of rows) yield entryFromRow(row);
    if (rows.length < batchSize) return;
    after = BigInt(String(rows[rows.length - 1].seq));
  }
}

/** Verifies the stored log over a range against the trusted signing keys. */
export async function verifyStoredLog(db: Queryable, range: AuditRange, keys: TrustedKeys): Promise<VerificationReport> {
  const verifier = new AuditChainVerifier({
    startSeq: range.startSeq,
    endSeq: range.endSeq ?? undefined,
    checkpoints: range.checkpoints,
    trustedKeys: keys,
  });
  if (range.endSeq !== null) {
    for await (const entry of readEntries(db, range.startSeq, range.endSeq)) verifier.add(entry);
  }
  return verifier.finish();
}
