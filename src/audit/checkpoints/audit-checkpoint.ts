import crypto from 'node:crypto';
import { toIso } from '../chain/audit-chain.js';
import type { TrustedKeys } from './audit-signing-key.js';

export const CHECKPOINT_FORMAT = 'audit-checkpoint/v1';

/** A checkpoint as stored and exported (bigints as decimal strings, times as ISO 8601). */
export interface CheckpointRecord {
  id: string;
  firstSeq: string;
  lastSeq: string;
  entryCount: number;
  periodStart: string;
  periodEnd: string;
  lastEntryHash: string;
  createdAt: string;
  keyId: string;
  signature: string;
}

/** The exact bytes signed for a checkpoint (everything but the row id and the signature). */
export function canonicalCheckpoint(c: Omit<CheckpointRecord, 'id' | 'signature'>): string {
  return JSON.stringify([
    CHECKPOINT_FORMAT,
    c.firstSeq,
    c.lastSeq,
    c.entryCount,
    c.periodStart,
    c.periodEnd,
    c.lastEntryHash,
    c.createdAt,
    c.keyId,
  ]);
}

/** Why the checkpoint's signature does not hold, or null when it does. */
export function checkpointSignatureProblem(c: CheckpointRecord, keys: TrustedKeys): string | null {
  const key = keys.get(c.keyId.trim());
  if (!key) return `it is signed with key ${c.keyId}, which is not a trusted audit signing key`;
  let valid = false;
  try {
    valid = crypto.verify(null, Buffer.from(canonicalCheckpoint(c), 'utf8'), key, Buffer.from(c.signature, 'base64'));
  } catch {
    valid = false;
  }
  return valid ? null : 'its signature does not match its contents (the checkpoint or its signature was altered)';
}

/** A row of `audit_checkpoints` as `pg` returns it. */
export function checkpointFromRow(row: Record<string, unknown>): CheckpointRecord {
  return {
    id: String(row.id),
    firstSeq: String(row.first_seq),
    lastSeq: String(row.last_seq),
    entryCount: Number(row.entry_count),
    periodStart: toIso(row.period_start),
    periodEnd: toIso(row.period_end),
    lastEntryHash: String(row.last_entry_hash),
    createdAt: toIso(row.created_at),
    keyId: String(row.key_id),
    signature: String(row.signature),
  };
}
