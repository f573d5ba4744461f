import { getMetadataArgsStorage } from 'typeorm';
import type { DataSet } from '../../connections/connection-scope.js';
import type { UnitField } from '../../units/record-units.js';

/** One exchanged field: its JSON name, its column and the column's SQL type. */
export interface FieldColumn {
  field: string;
  column: string;
  sqlType: 'text' | 'date' | 'smallint' | 'text[]';
  /** How the field is read when it differs from the bare column (e.g. a key column's '' read as null). */
  readSql?: string;
}

/** The SQL that reads a field's value (its column, unless the field says otherwise). */
export function readSqlOf(field: FieldColumn): string {
  return field.readSql ?? field.column;
}

/**
 * Describes one data set's table so that one RecordStore serves tasks and KPIs alike:
 * the key, the field that says which unit owns a record, and the fields a classified record
 * may not carry.
 */
export interface RecordSchema {
  dataSet: DataSet;
  table: string;
  /** Sequence that orders the data set's changes across transactions: the change feed's position (pull-cursor.ts). */
  changeSequence: string;
  keyFields: string[];
  /**
   * The key fields a client names in the path (and in batch outcome keys): all of `keyFields` for
   * tasks; for KPI results indicator code and period, the reporting agency selecting among the
   * records that share them (CONTRACT.md additions).
   */
  pathKeyFields: string[];
  /** The unit that owns a record: its name as sent, and its register code, which scopes match. */
  ownerField: string;
  ownerCodeField: string;
  /** Unit names resolved through the register to the codes stored beside them. */
  unitFields: UnitField[];
  fields: FieldColumn[];
  /** Withheld from classified records (III.1.d): description and evidence. */
  restrictedFields: string[];
}

/** An entity class, as TypeORM's decorators record it. */
type EntityClass = abstract new (...args: never[]) => object;

/** Columns every record table has that are not fields a client sends (the key's environment). */
const NOT_EXCHANGED = new Set(['environment']);

/**
 * The table and exchanged fields of a record entity, read from its TypeORM decorators: the entity
 * is the one place a field's column and type are written (with the DTO a client sees and the
 * migration), in the order the fields appear on the wire. Only the entity's own columns count:
 * the bookkeeping ones it inherits (versions, change feed, review flow) are not exchanged as sent.
 * `readSql` overrides how a field is read where the bare column is not the value.
 */
export function recordTableOf(entity: EntityClass, readSql: Record<string, string> = {}): { table: string; changeSequence: string; fields: FieldColumn[] } {
  const storage = getMetadataArgsStorage();
  const table = storage.tables.find((t) => t.target === entity)?.name;
  if (!table) throw new Error(`${entity.name} is not an @Entity with a table name`);
  const fields = storage.columns
    .filter((c) => c.target === entity && !NOT_EXCHANGED.has(c.propertyName))
    .map(({ propertyName, options }) => {
      const field: FieldColumn = { field: propertyName, column: options.name ?? propertyName, sqlType: sqlTypeOf(entity, propertyName, options) };
      return readSql[propertyName] ? { ...field, readSql: readSql[propertyName] } : field;
    });
  return { table, changeSequence: `${table}_change_seq`, fields };
}

function sqlTypeOf(entity: EntityClass, property: string, options: { type?: unknown; array?: boolean }): FieldColumn['sqlType'] {
  const type = String(options.type);
  if (['text', 'varchar'].includes(type)) return options.array ? 'text[]' : 'text';
  if (!options.array && (type === 'date' || type === 'smallint')) return type;
  throw new Error(`${entity.name}.${property}: a column of type ${type}${options.array ? '[]' : ''} is not one a record field can have`);
}

export function columnOf(schema: RecordSchema, field: string): string {
  const found = schema.fields.find((f) => f.field === field);
  if (!found) throw new Error(`${schema.table} has no field ${field}`);
  return found.column;
}

export const SECURITY_CLASSIFICATIONS = ['UNCLASSIFIED', 'CONFIDENTIAL', 'SECRET', 'TOP_SECRET'] as const;
export type SecurityClassification = (typeof SECURITY_CLASSIFICATIONS)[number];
