import { flowViewPairs } from '../task-flow/flow-view.js';
import { readSqlOf, type FieldColumn, type RecordSchema } from './record-schema.js';

/**
 * The consumer's view of a record as one JSON text: a tombstone when revoked; without the
 * restricted fields (description, evidence…) when classified (III.1.d); otherwise every field,
 * the version, timestamps and the flow state. Keys keep this order; timestamps come out as ISO
 * 8601 with offset.
 *
 * It depends on the row alone, so it is **stored** (`view_json`), written by a trigger whenever a
 * row is inserted or updated (migration 1798500000001): a page of the change feed then sends the
 * stored texts instead of building 100 JSON objects per request. Measured on the bench's records:
 * building took PostgreSQL ~6 µs a record at every read, keeping it ~7 µs a record once at write.
 * Fields computed at read time (the deadline signal, which depends on today) are appended by
 * `withComputedFields`.
 */

/** One key of the view: its JSON name, the SQL that reads it from the row, and that SQL's type. */
interface ViewKey {
  key: string;
  sql: string;
  type: string;
}

const SQL_TYPES: Record<FieldColumn['sqlType'], string> = { text: 'text', date: 'date', smallint: 'smallint', 'text[]': 'text[]' };

/** The columns of every record table that the view shows, beside the fields (types as stored). */
const META_TYPES: Record<string, string> = {
  attachments: 'text[]',
  version: 'integer',
  revoked: 'boolean',
  updated_at: 'timestamptz',
  revoked_at: 'timestamptz',
  classification: 'text',
  review_status: 'text',
  reviewed_at: 'timestamptz',
  received_at: 'timestamptz',
  dispute_status: 'text',
  disputed_at: 'timestamptz',
  review_explanation: 'text',
  dispute_reason: 'text',
};

/** The three shapes of the view, each as its keys in order. */
function recordViewShapes(schema: RecordSchema): { open: ViewKey[]; classified: ViewKey[]; tombstone: ViewKey[] } {
  const field = (name: string): ViewKey => {
    const column = schema.fields.find((f) => f.field === name)!;
    return { key: name, sql: readSqlOf(column), type: SQL_TYPES[column.sqlType] };
  };
  const meta = (key: string, column: string): ViewKey => ({ key, sql: column, type: META_TYPES[column] });
  const literal = (key: string, value: 'true' | 'false'): ViewKey => ({ key, sql: value, type: 'boolean' });
  const flow = (classified: boolean) => flowViewPairs(classified).map(([key, sql]) => meta(key, sql));
  const common = [meta('version', 'version'), literal('revoked', 'false'), meta('updatedAt', 'updated_at'), meta('classification', 'classification')];
  const all = schema.fields.map((f) => f.field);
  return {
    open: [...all.map(field), meta('attachments', 'attachments'), ...common, ...flow(false)],
    classified: [...all.filter((f) => !schema.restrictedFields.includes(f)).map(field), ...common, ...flow(true)],
    tombstone: [...schema.keyFields.map(field), literal('revoked', 'true'), meta('revokedAt', 'revoked_at')],
  };
}

/**
 * The view as SQL over the row's columns: what the stored `view_json` must equal, and what the
 * trigger's migration was written from (test/stored-record-view.e2e-spec.ts holds the two together).
 *
 * row_to_json over a sub-select whose columns are named as the JSON keys, not json_build_object:
 * json_build_object writes blanks around ':' and ',' (~10% of a page's bytes).
 */
export function recordViewSql(schema: RecordSchema): string {
  const object = (keys: ViewKey[]) => `row_to_json((SELECT v FROM (SELECT ${keys.map((k) => `${k.sql} AS "${k.key}"`).join(', ')}) v))`;
  const shapes = recordViewShapes(schema);
  return `(CASE WHEN revoked THEN ${object(shapes.tombstone)}
            WHEN classification <> 'UNCLASSIFIED' THEN ${object(shapes.classified)}
            ELSE ${object(shapes.open)} END)::text`;
}

/**
 * The DDL that keeps `<table>.view_json`: a composite type per shape, named by the JSON keys, and
 * a BEFORE INSERT OR UPDATE trigger setting the column from NEW. Not the sub-select of
 * recordViewSql: in PL/pgSQL a sub-select runs through SPI, which cost 17 µs a row against 7 µs
 * for this plain expression. Migrations keep the text this returned when they were written.
 */
export function storedViewDdl(schema: RecordSchema): string {
  const shapes = recordViewShapes(schema);
  const columns = new Set([...schema.fields.map((f) => f.column), ...Object.keys(META_TYPES)]);
  // The keys' SQL names bare columns (a field's readSql too); the trigger reads them from NEW.
  const fromNew = (sql: string) => sql.replace(/\b[a-z_]+\b/g, (word) => (columns.has(word) ? `NEW.${word}` : word));
  const type = (shape: string) => `${schema.table}_view_${shape}`;
  const typeDdl = (shape: keyof typeof shapes) =>
    `CREATE TYPE ${type(shape)} AS (${shapes[shape].map((k) => `"${k.key}" ${k.type}`).join(', ')});`;
  const value = (shape: keyof typeof shapes) => `row_to_json(ROW(${shapes[shape].map((k) => fromNew(k.sql)).join(', ')})::${type(shape)})::text`;
  return `${typeDdl('open')}
${typeDdl('classified')}
${typeDdl('tombstone')}
CREATE FUNCTION ${schema.table}_keep_view() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.view_json := CASE WHEN NEW.revoked THEN ${value('tombstone')}
                        WHEN NEW.classification <> 'UNCLASSIFIED' THEN ${value('classified')}
                        ELSE ${value('open')} END;
  RETURN NEW;
END
$$;
CREATE TRIGGER ${schema.table}_keep_view BEFORE INSERT OR UPDATE ON ${schema.table} FOR EACH ROW EXECUTE FUNCTION ${schema.table}_keep_view();`;
}

/**
 * Fields computed at read time (the deadline signal, which depends on today): one SQL expression,
 * `by`, whose value picks one of a few fixed sets of fields, `cases` (value → JSON name → value).
 *
 * Why a choice among constants rather than an SQL expression per field: each record's fields are
 * then one constant text picked by a CASE, where `to_json(…)::text` and `||` per field and record
 * cost PostgreSQL ~1 µs a record (measured with pgbench on a built page of 100 task results:
 * 0.44–0.53 ms with the per-field form, 0.38–0.40 ms with constants, 0.35–0.39 ms without the fields).
 */
export interface ComputedFieldsChoice {
  by: string;
  cases: Record<string, Record<string, string | number | boolean>>;
}

/**
 * The computed fields as the JSON text that ends a record's view in their place,
 * `,"name":value…}`; NULL for a tombstone, which carries none, and for a value of `by` that no case
 * names. NULL without computed fields.
 */
export function computedFieldsSql(choice?: ComputedFieldsChoice): string {
  if (!choice) return 'NULL::text';
  // Standard-conforming string literals (PostgreSQL's default since 9.1): only ' needs doubling.
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const tail = (fields: Record<string, unknown>) => `${Object.entries(fields).map(([name, value]) => `,${JSON.stringify(name)}:${JSON.stringify(value)}`).join('')}}`;
  const cases = Object.entries(choice.cases).map(([value, fields]) => `WHEN ${literal(value)} THEN ${literal(tail(fields))}`);
  return `CASE WHEN revoked THEN NULL ELSE CASE (${choice.by}) ${cases.join(' ')} END END`;
}

/** A stored view with its computed fields in place of its closing brace (computedFieldsSql). */
export function withComputedFields(view: string, computed: string | null): string {
  return computed === null ? view : view.slice(0, -1) + computed;
}

/**
 * computedFieldsSql by the computed fields, built once (their texts vary only with their
 * parameters' positions: a handful of entries), each with a short id for the page cache's keys.
 */
export class ComputedFields {
  private readonly byFields = new Map<string, { id: number; sql: string }>();
  /**
   * A number per `cases` object, which stands for its text in the key: the cases are frozen
   * constants (deadline-status.ts), and writing them out as JSON on every pull was 1.6% of a
   * cached pull's CPU (a V8 profile).
   */
  private readonly casesIds = new WeakMap<object, number>();
  private casesCount = 0;
  /** Never reused, also after the map is cleared: cached pages keyed by an old id stay apart. */
  private count = 0;

  of(choice?: ComputedFieldsChoice): { id: number; sql: string } {
    const key = choice ? `${this.casesId(choice.cases)}\u0000${choice.by}` : '';
    let computed = this.byFields.get(key);
    if (!computed) {
      if (this.byFields.size >= 1000) this.byFields.clear();
      this.byFields.set(key, (computed = { id: ++this.count, sql: computedFieldsSql(choice) }));
    }
    return computed;
  }

  private casesId(cases: ComputedFieldsChoice['cases']): number {
    let id = this.casesIds.get(cases);
    if (id === undefined) {
      // Checked once per object: freezing cannot be undone.
      if (!Object.isFrozen(cases) || !Object.values(cases).every(Object.isFrozen)) {
        throw new Error('Computed fields: cases must be a frozen constant, each case too (their text is keyed by identity)');
      }
      this.casesIds.set(cases, (id = ++this.casesCount));
    }
    return id;
  }
}
