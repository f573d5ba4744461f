import { readSqlOf, type RecordSchema } from '../shared/record-schema.js';
import { flowViewPairs } from '../task-flow/flow-view.js';

/**
 * A record as it is after a change, as one json_build_object over the row's columns (usable in
 * RETURNING, where the columns are the new row's): every field under its JSON name, then
 * classification, evidence, revocation and the task-flow state. This is the body a version keeps,
 * and what the authority checks compare an incoming write with.
 */
export function recordBodySql(schema: RecordSchema): string {
  const fields = schema.fields.map((f) => `'${f.field}', ${readSqlOf(f)}`);
  const rest = [`'classification', classification`, `'attachments', attachments`, `'revoked', revoked`, `'revokedAt', revoked_at`, ...flowViewPairs(false).map(([key, sql]) => `'${key}', ${sql}`)];
  return `json_build_object(${[...fields, ...rest].join(', ')})`;
}

/** The record key as versions store it: key fields joined by '/'. */
export function recordKeySql(schema: RecordSchema): string {
  return schema.keyFields.map((f) => schema.fields.find((c) => c.field === f)!.column).join(` || '/' || `);
}
