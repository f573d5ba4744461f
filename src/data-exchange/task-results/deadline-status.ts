import type { ComputedFieldsChoice } from '../shared/record-view.js';
import type { SqlParams } from '../shared/sql-params.js';

export const DEADLINE_STATUSES = ['ON_TIME', 'DUE_SOON', 'OVERDUE', 'COMPLETED_LATE'] as const;
export type DeadlineStatus = (typeof DEADLINE_STATUSES)[number];

export const DEADLINE_COLORS: Record<DeadlineStatus, 'GREEN' | 'YELLOW' | 'RED'> = {
  ON_TIME: 'GREEN',
  DUE_SOON: 'YELLOW',
  OVERDUE: 'RED',
  COMPLETED_LATE: 'RED',
};

/**
 * The deadline signal of guidance III.1.đ as one SQL expression, so that what a record shows and
 * what the `deadlineStatus` filter selects can never disagree. "Today" is the calendar date in the
 * configured time zone (Vietnam), passed in rather than taken from the database's clock zone.
 */
export function deadlineStatusSql(params: SqlParams, today: string, dueSoonDays: number): string {
  const day = `${params.add(today)}::date`;
  return `CASE
    WHEN result = 'COMPLETED' THEN CASE WHEN completed_at > due_date THEN 'COMPLETED_LATE' ELSE 'ON_TIME' END
    WHEN due_date < ${day} THEN 'OVERDUE'
    WHEN due_date <= ${day} + ${params.add(dueSoonDays)}::int THEN 'DUE_SOON'
    ELSE 'ON_TIME' END`;
}

/** Each signal's fields in a record's view; frozen, as ComputedFields requires. */
const DEADLINE_FIELDS = Object.freeze(
  Object.fromEntries(DEADLINE_STATUSES.map((status) => [status, Object.freeze({ deadlineStatus: status, deadlineColor: DEADLINE_COLORS[status] })])),
);

/** The deadline signal and its colour, as computed view fields for RecordStore: the colour follows the signal. */
export function deadlineViewSql(params: SqlParams, today: string, dueSoonDays: number): ComputedFieldsChoice {
  return { by: deadlineStatusSql(params, today, dueSoonDays), cases: DEADLINE_FIELDS };
}
