import { flowViewPairs } from '../task-flow/flow-view.js';
import { readSqlOf, type RecordSchema } from './record-schema.js';

/**
 * The consumer's view of a row as one JSON text, as SQL over the row's columns: a tombstone when
 * revoked; without the restricted fields (description, evidence…) when classified (III.1.d);
 * otherwise every field, the version, timestamps and the flow state, then the query's computed
 * fields (`extra`: JSON name → SQL). json_build_object keeps key order; timestamps come out as
 * ISO 8601 with offset.
 *
 * Without `extra` this is also what the `view_json` column stores, kept by a trigger at every write
 * (migration 1798500000000, storedViewSql below): a page of the feed is then assembled from stored
 * texts instead of building each one again on every pull. record-view.spec.ts fails when the
 * trigger's view and this one disagree, so a change here comes with a migration replacing it.
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

/**
 * The same text as recordViewSql(schema, extra), read from the stored `view_json`: the computed
 * fields are appended before its closing brace, written as json_build_object writes a pair
 * (`, "name" : value`), so the two are byte for byte the same. A tombstone has no computed fields.
 */
export function storedViewSql(extra: Record<string, string> = {}): string {
  const computed = Object.entries(extra);
  if (computed.length === 0) return 'view_json';
  const tail = computed.map(([name, sql]) => `', ${JSON.stringify(name)} : ' || coalesce(to_json(${sql})::text, 'null')`).join(' || ');
  return `(CASE WHEN revoked THEN view_json ELSE left(view_json, -1) || ${tail} || '}' END)`;
}
