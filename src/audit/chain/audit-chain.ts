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
 * Each entry names its serialisation (`entry_format`). The serialisations are fixed forever:
 * entries written years ago must still verify. Change them only by adding a version beside these.
 * - `audit-entry/v1` (format 1): the fields of the first release (data plane only).
 * - `audit-entry/v2` (format 2, every entry written since): v1's fields, then who acted (actor and,
 *   under delegation, assistant), the action, its target, the SHA-256 of the request body and the
 *   details, then `prev_hash`.
 * A format-1 entry carrying any v2 field is serialised with those fields too, so it can never
 * match its hash: v2 fields added to an old entry show as an alteration.
 */
export const GENESIS_HASH = '0'.repeat(64);
export const ENTRY_FORMAT_V1 = 'audit-entry/v1';
export const ENTRY_FORMAT_V2 = 'audit-entry/v2';
/** The format of entries written now. */
export const CURRENT_ENTRY_FORMAT = 2;

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
  /** 1 or 2 (`audit-entry/v1`, `/v2`); absent in exports made before v2 existed: 1. */
  format?: number;
  /** From format 2 on (null otherwise): see {@link V2Fields}. */
  action?: string | null;
  actorAccountId?: string | null;
  actorUsername?: string | null;
  actorHolderName?: string | null;
  actorRole?: string | null;
  assistantAccountId?: string | null;
  assistantUsername?: string | null;
  assistantHolderName?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  payloadSha256?: string | null;
  /** A JSON object as text (keys sorted), hashed as the very string stored. */
  details?: string | null;
}

/** The fields format 2 adds, in their order in the hashed array. */
export const V2_FIELDS = [
  'action', 'actorAccountId', 'actorUsername', 'actorHolderName', 'actorRole',
  'assistantAccountId', 'assistantUsername', 'assistantHolderName',
  'targetType', 'targetId', 'payloadSha256', 'details',
] as const;
export type V2Fields = Pick<ChainedFields, (typeof V2_FIELDS)[number]>;

/** An entry as stored: its fields plus the chain columns and the row id (not hashed). */
export interface ChainedEntry extends ChainedFields {
  id: string;
  prevHash: string;
  entryHash: string;
}

/** The exact bytes hashed for an entry: a JSON array in a fixed field order. */
export function canonicalEntry(fields: ChainedFields, prevHash: string): string {
  const format = fields.format ?? 1;
  const common = [
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
  ];
  const v2 = V2_FIELDS.map((name) => {
    const value = fields[name] ?? null;
    return value !== null && (name === 'actorAccountId' || name === 'assistantAccountId') ? value.toLowerCase() : value;
  });
  if (format === 1 && v2.every((value) => value === null)) return JSON.stringify([ENTRY_FORMAT_V1, ...common, prevHash]);
  // Format 2, and anything else (a v1 entry given v2 fields, an unknown format): never equal to
  // the bytes of another format, so such an entry does not match its hash.
  return JSON.stringify([format === 2 ? ENTRY_FORMAT_V2 : `audit-entry/v${format}`, ...common, ...v2, prevHash]);
}

export function entryHash(fields: ChainedFields, prevHash: string): string {
  return sha256Hex(canonicalEntry(fields, prevHash));
}

export function sha256Hex(text: string | Buffer): string {
  // One-shot: half the time of createHash().update().digest() for an entry's few hundred bytes.
  return crypto.hash('sha256', text, 'hex');
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
    format: row.entry_format === undefined || row.entry_format === null ? 1 : Number(row.entry_format),
    action: text(row.action),
    actorAccountId: text(row.actor_account_id),
    actorUsername: text(row.actor_username),
    actorHolderName: text(row.actor_holder_name),
    actorRole: text(row.actor_role),
    assistantAccountId: text(row.assistant_account_id),
    assistantUsername: text(row.assistant_username),
    assistantHolderName: text(row.assistant_holder_name),
    targetType: text(row.target_type),
    targetId: text(row.target_id),
    payloadSha256: text(row.payload_sha256),
    details: text(row.details),
    prevHash: String(row.prev_hash),
    entryHash: String(row.entry_hash),
  };
}

function text(value: unknown): string | null {
  return value === undefined || value === null ? null : String(value);
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
