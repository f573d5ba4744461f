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
  /** Extra SQL columns to select, e.g. the computed deadline status; `$today`/`$dueSoonDays` are bound. */
  computed?: Record<string, string>;
}

export function columnOf(schema: RecordSchema, field: string): string {
  const found = schema.fields.find((f) => f.field === field);
  if (!found) throw new Error(`${schema.table} has no field ${field}`);
  return found.column;
}

export const SECURITY_CLASSIFICATIONS = ['UNCLASSIFIED', 'CONFIDENTIAL', 'SECRET', 'TOP_SECRET'] as const;
export type SecurityClassification = (typeof SECURITY_CLASSIFICATIONS)[number];
