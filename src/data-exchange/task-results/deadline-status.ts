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

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The deadline signal and its colour, as computed view fields for RecordStore. */
export function deadlineViewSql(params: SqlParams, today: string, dueSoonDays: number): { deadlineStatus: string; deadlineColor: string } {
  const status = deadlineStatusSql(params, today, dueSoonDays);
  const colours = Object.entries(DEADLINE_COLORS).map(([s, c]) => `WHEN '${s}' THEN '${c}'`).join(' ');
  return { deadlineStatus: status, deadlineColor: `CASE (${status}) ${colours} END` };
}

const lastAnswers = new Map<string, { second: number; today: string }>();

/**
 * Today's date (YYYY-MM-DD) in a time zone. Formatters are cached (building one costs far more
 * than using it), and so is the answer for the current second: every pull asks.
 */
export function todayIn(timeZone: string, now = new Date()): string {
  const second = Math.floor(now.getTime() / 1000);
  const last = lastAnswers.get(timeZone);
  if (last?.second === second) return last.today;
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  const today = formatter.format(now);
  lastAnswers.set(timeZone, { second, today });
  return today;
}
