import type { DataSet } from '../../connections/connection-scope.js';

/** One exchanged field: its JSON name, its column and the column's SQL type. */
export interface FieldColumn {
  field: string;
  column: string;
  sqlType: 'text' | 'date' | 'smallint' | 'text[]';
}

/**
 * Describes one data set's table so that one RecordStore serves tasks and KPIs alike:
 * the key, the field that says which unit owns a record, and the fields a classified record
 * may not carry.
 */
export interface RecordSchema {
  dataSet: DataSet;
  table: string;
  /** Sequence that orders changes within a transaction. */
  changeSequence: string;
  keyFields: string[];
  ownerField: string;
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
