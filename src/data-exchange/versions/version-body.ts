import { readSqlOf, type RecordSchema } from '../shared/record-schema.js';
import { flowViewPairs } from '../task-flow/flow-view.js';

/**
 * A record as it is after a change, as one json_build_object over the row's columns (usable in
 * RETURNING, where the columns are the new row's): every field under its JSON name, then
 * classification, evidence, revocation and the task-flow state. This is the body a version keeps,
 * and what the authority checks compare an incoming write with.
 */
export function recordBodySql(schema: RecordSchema): string {
  return `json_build_object(${bodyPairs(schema).map(([key, sql]) => `'${key}', ${sql}`).join(', ')})`;
}

/** A version's body keys in the order recordBodySql writes them: the field catalogue's, then the record's state. */
export function recordBodyKeys(schema: RecordSchema): string[] {
  return bodyPairs(schema).map(([key]) => key);
}

function bodyPairs(schema: RecordSchema): Array<[key: string, sql: string]> {
  const state: Array<[string, string]> = [['classification', 'classification'], ['attachments', 'attachments'], ['revoked', 'revoked'], ['revokedAt', 'revoked_at']];
  return [...schema.fields.map((f): [string, string] => [f.field, readSqlOf(f)]), ...state, ...flowViewPairs(false)];
}

/** The record key as versions store it: key fields joined by '/'. */
export function recordKeySql(schema: RecordSchema): string {
  return schema.keyFields.map((f) => schema.fields.find((c) => c.field === f)!.column).join(` || '/' || `);
}

/**
 * What a version of a classified record leaves out (III.1.d: only its status): the data set's
 * restricted fields and the narrative of the review flow (flow-view.ts). The data plane's versions
 * and the people's record history both withhold these.
 */
export function withheldWhenClassified(schema: RecordSchema): string[] {
  const statuses = new Set(flowViewPairs(true).map(([key]) => key));
  return [...schema.restrictedFields, ...flowViewPairs(false).map(([key]) => key).filter((key) => !statuses.has(key))];
}
