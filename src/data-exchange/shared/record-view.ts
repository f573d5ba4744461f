import { flowViewPairs } from '../task-flow/flow-view.js';
import { readSqlOf, type RecordSchema } from './record-schema.js';

/**
 * The consumer's view of a row as one JSON text, as SQL over the row's columns: a tombstone when
 * revoked; without the restricted fields (description, evidence…) when classified (III.1.d);
 * otherwise every field, the version, timestamps and the flow state, then the query's computed
 * fields (`extra`: JSON name → SQL). json_build_object keeps key order; timestamps come out as
 * ISO 8601 with offset.
 */
export function recordViewSql(schema: RecordSchema, extra: Record<string, string> = {}): string {
  const pairs = (fields: string[]) => fields.map((f) => `'${f}', ${readSqlOf(schema.fields.find((c) => c.field === f)!)}`);
  const meta = [`'version', version`, `'revoked', false`, `'updatedAt', updated_at`, `'classification', classification`];
  const computed = Object.entries(extra).map(([name, sql]) => `'${name}', ${sql}`);
  const all = schema.fields.map((f) => f.field);
  const open = [...pairs(all), `'attachments', attachments`, ...meta, ...flowViewPairs(false), ...computed];
  const classified = [...pairs(all.filter((f) => !schema.restrictedFields.includes(f))), ...meta, ...flowViewPairs(true), ...computed];
  const tombstone = [...pairs(schema.keyFields), `'revoked', true`, `'revokedAt', revoked_at`];
  return `(CASE WHEN revoked THEN json_build_object(${tombstone.join(', ')})
            WHEN classification <> 'UNCLASSIFIED' THEN json_build_object(${classified.join(', ')})
            ELSE json_build_object(${open.join(', ')}) END)::text`;
}
