import type { DataSet } from '../../connections/connection-scope.js';
import type { FieldProblem } from '../../shared/errors/api-error.js';

/**
 * THE field-ownership table (PRODUCT.md §3a; Appendix I steps 1–6). The OpenAPI document
 * (`x-owner` on each field, openapi-document.ts) and the README's "Data authority" section are
 * made from / checked against it.
 *
 * - Task results: the Standing Agency (ASSIGNER) owns the assignment; the executing unit
 *   (REPORTER) owns what it reports.
 * - KPI results: the ASSIGNER owns the indicator's definition and its target, and names the
 *   agency that reports (`reportingAgency`, like a task's `leadUnit`: who must answer); the
 *   REPORTER owns the period's figures, progress description and evidence.
 * Key fields (taskCode; indicatorCode and period) identify the record and never change.
 */
export const FIELD_OWNERSHIP = {
  'task-results': {
    ASSIGNER: ['taskName', 'taskGroupCode', 'taskGroupName', 'leadUnit', 'leadUnitCode', 'coordinatingUnits', 'coordinatingUnitCodes', 'assigningDocument', 'expectedOutput', 'assignedAt', 'dueDate', 'priority', 'classification'],
    REPORTER: ['result', 'completedAt', 'description', 'difficulties', 'proposals', 'attachments'],
  },
  'kpi-results': {
    ASSIGNER: ['indicatorGroup', 'indicatorName', 'unit', 'methodology', 'periodType', 'target', 'reportingAgency', 'reportingAgencyCode', 'classification'],
    REPORTER: ['periodResult', 'cumulativeResult', 'progressDescription', 'difficulties', 'proposals', 'attachments'],
  },
} as const satisfies Record<DataSet, Record<'ASSIGNER' | 'REPORTER', readonly string[]>>;

export type FieldOwner = 'ASSIGNER' | 'REPORTER';

/** The owner of a field, or undefined for key fields. */
export function ownerOfField(dataSet: DataSet, field: string): FieldOwner | undefined {
  const table = FIELD_OWNERSHIP[dataSet];
  if ((table.ASSIGNER as readonly string[]).includes(field)) return 'ASSIGNER';
  if ((table.REPORTER as readonly string[]).includes(field)) return 'REPORTER';
  return undefined;
}

export function fieldsOwnedBy(dataSet: DataSet, owner: FieldOwner): readonly string[] {
  return FIELD_OWNERSHIP[dataSet][owner];
}

/**
 * One row per field the writer does not own whose value the write would change. `current` is the
 * stored record (field → value as PostgreSQL serialises it), `incoming` the validated item.
 */
export function unownedChanges(dataSet: DataSet, writerOwns: FieldOwner, incoming: Record<string, unknown>, current: Record<string, unknown>): FieldProblem[] {
  const other: FieldOwner = writerOwns === 'ASSIGNER' ? 'REPORTER' : 'ASSIGNER';
  return fieldsOwnedBy(dataSet, other)
    .filter((field) => !sameValue(incoming[field], current[field]))
    .map((field) => ({ field, problem: `owned by the ${other}` }));
}

/** Absent, null, '' and [] all mean "no value"; arrays compare element by element. */
function sameValue(a: unknown, b: unknown): boolean {
  const empty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
  if (empty(a) || empty(b)) return empty(a) && empty(b);
  return JSON.stringify(a) === JSON.stringify(b);
}
