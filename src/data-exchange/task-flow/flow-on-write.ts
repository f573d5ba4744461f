import { fieldsOwnedBy, type FieldOwner } from '../authority/field-ownership.js';
import type { RecordSchema } from '../shared/record-schema.js';

/** The columns of the fields one side owns, including classification and attachments. */
function ownedColumns(schema: RecordSchema, owner: FieldOwner): string[] {
  return fieldsOwnedBy(schema.dataSet, owner).map((field) => schema.fields.find((f) => f.field === field)?.column ?? field);
}

/** `ROW(t.cols) IS DISTINCT FROM ROW(EXCLUDED.cols)` for one side's fields, in an upsert. */
function changedSql(schema: RecordSchema, owner: FieldOwner): string {
  const cols = ownedColumns(schema, owner);
  return `ROW(${cols.map((c) => `${schema.table}.${c}`).join(', ')}) IS DISTINCT FROM ROW(${cols.map((c) => `EXCLUDED.${c}`).join(', ')})`;
}

/**
 * What a rewrite of a record does to its task-flow state (SET items of the upsert's DO UPDATE):
 * - new result fields after a review make it PENDING again: an approval covers what was reviewed;
 *   the last explanation and review time stay, so the assigner sees what it asked for; so does
 *   restoring a revoked record (a new assignment is not approved by an old review);
 * - a changed assignment while a dispute is OPEN is the assigner's answer: ANSWERED.
 */
export function flowOnRewriteSql(schema: RecordSchema): string {
  const t = schema.table;
  return [
    `review_status = CASE WHEN ${t}.revoked OR ${changedSql(schema, 'REPORTER')} THEN 'PENDING' ELSE ${t}.review_status END`,
    `dispute_status = CASE WHEN ${t}.dispute_status = 'OPEN' AND ${changedSql(schema, 'ASSIGNER')} THEN 'ANSWERED' ELSE ${t}.dispute_status END`,
  ].join(', ');
}
