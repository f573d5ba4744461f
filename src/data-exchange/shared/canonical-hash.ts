import crypto from 'node:crypto';

/**
 * SHA-256 of a record's fields in a canonical form (sorted keys, absent = null). Stored digests
 * were made this way: the canonical text must never change, or re-pushed items stop being
 * `unchanged`. The one-shot crypto.hash gives the digest createHash().update().digest() gives,
 * with less CPU per call (bench/validation.ts).
 */
export function contentHash(fields: readonly string[], record: Record<string, unknown>): string {
  return crypto.hash('sha256', canonicalText(fields, record), 'hex');
}

function canonicalText(fields: readonly string[], record: Record<string, unknown>): string {
  return JSON.stringify(fields.map((f) => [f, record[f] ?? null]));
}
