import crypto from 'node:crypto';

/** SHA-256 of a record's fields in a canonical form (sorted keys, absent = null). */
export function contentHash(fields: string[], record: Record<string, unknown>): string {
  const canonical = fields.map((f) => [f, record[f] ?? null]);
  return crypto.createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
