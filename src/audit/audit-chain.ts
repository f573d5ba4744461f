import crypto from 'node:crypto';

/**
 * The hash chain over audit entries (tamper evidence, guidance IV.4).
 *
 * Every entry carries `seq` (its gapless position in the one chain of the installation),
 * `prev_hash` (the `entry_hash` of entry `seq - 1`, or {@link GENESIS_HASH} for the first) and
 * `entry_hash` = SHA-256 over {@link canonicalEntry}. Editing, deleting, inserting or reordering a
 * row breaks the chain at that row; recomputing the whole chain after a change is caught by the
 * signed checkpoints (audit-checkpoint.ts).
 *
 * The serialisation is fixed forever for `audit-entry/v1`: entries written years ago must still
 * verify. Change it only by introducing a new version tag beside this one.
 */
export const GENESIS_HASH = '0'.repeat(64);
export const ENTRY_FORMAT = 'audit-entry/v1';

/** An audit entry's evidential fields, as they read back from PostgreSQL. */
export interface ChainedFields {
  /** Position in the chain, decimal (bigint). */
  seq: string;
  /** ISO 8601 in UTC with milliseconds (`Date.toISOString()`). */
  occurredAt: string;
  requestId: string;
  plane: string;
  environment: string | null;
  connectionId: string | null;
  certificateThumbprint: string | null;
  sourceAddress: string;
  method: string;
  path: string;
  statusCode: number;
  outcome: string;
  errorCode: string | null;
  durationMs: number;
}

/** An entry as stored: its fields plus the chain columns and the row id (not hashed). */
export interface ChainedEntry extends ChainedFields {
  id: string;
  prevHash: string;
  entryHash: string;
}

/** The exact bytes hashed for an entry: a JSON array in a fixed field order. */
export function canonicalEntry(fields: ChainedFields, prevHash: string): string {
  return JSON.stringify([
    ENTRY_FORMAT,
    fields.seq,
    fields.occurredAt,
    fields.requestId.toLowerCase(),
    fields.plane,
    fields.environment,
    fields.connectionId?.toLowerCase() ?? null,
    fields.certificateThumbprint,
    fields.sourceAddress,
    fields.method,
    fields.path,
    fields.statusCode,
    fields.outcome,
    fields.errorCode,
    fields.durationMs,
    prevHash,
  ]);
}

export function entryHash(fields: ChainedFields, prevHash: string): string {
  return sha256Hex(canonicalEntry(fields, prevHash));
}

export function sha256Hex(text: string | Buffer): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** A row of `audit_entries` (snake_case, as `pg` returns it) in chain form. */
export function entryFromRow(row: Record<string, unknown>): ChainedEntry {
  return {
    id: String(row.id),
    seq: String(row.seq),
    occurredAt: toIso(row.occurred_at),
    requestId: String(row.request_id),
    plane: String(row.plane),
    environment: (row.environment as string | null) ?? null,
    connectionId: (row.connection_id as string | null) ?? null,
    certificateThumbprint: (row.certificate_thumbprint as string | null) ?? null,
    sourceAddress: String(row.source_address),
    method: String(row.method),
    path: String(row.path),
    statusCode: Number(row.status_code),
    outcome: String(row.outcome),
    errorCode: (row.error_code as string | null) ?? null,
    durationMs: Number(row.duration_ms),
    prevHash: String(row.prev_hash),
    entryHash: String(row.entry_hash),
  };
}

export function toIso(value: unknown): string {
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}

/**
 * A string as PostgreSQL `text` will give it back: lone surrogates become U+FFFD (UTF-8 cannot
 * hold them) and NUL, which `text` refuses, becomes U+FFFD too. Hashing anything else would make
 * an honest entry look altered when read back.
 */
export function asStoredText(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8').replace(/\0/g, '\uFFFD');
}
