/**
 * The period a report covers: a quarter (`2026-Q3`), a half-year (`2026-H1`), a year (`2026`), or
 * an explicit range of calendar days (`from`/`to`, both included). Days are calendar days in the
 * gateway's TIMEZONE; SQL turns them into instants with `AT TIME ZONE`.
 */
export interface ReportPeriod {
  /** `2026-Q3`, `2026-H1`, `2026`, or `2026-10-01..2026-11-15`. */
  label: string;
  /** First day, YYYY-MM-DD. */
  from: string;
  /** Last day, YYYY-MM-DD (included). */
  to: string;
}

export const PERIOD_PATTERN = /^(\d{4})(?:-(Q[1-4]|H[12]))?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class PeriodProblem extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(problem);
  }
}

export function namedPeriod(period: string): ReportPeriod {
  const match = PERIOD_PATTERN.exec(period);
  if (!match) throw new PeriodProblem('period', 'must be a quarter (2026-Q3), a half-year (2026-H1) or a year (2026)');
  const year = Number(match[1]);
  const part = match[2];
  const [firstMonth, months] = !part ? [1, 12] : part.startsWith('Q') ? [(Number(part[1]) - 1) * 3 + 1, 3] : [(Number(part[1]) - 1) * 6 + 1, 6];
  return { label: period, from: day(year, firstMonth, 1), to: day(year, firstMonth + months, 0) };
}

export function rangePeriod(from: string, to: string): ReportPeriod {
  for (const [field, value] of [['from', from], ['to', to]] as const) {
    if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
      throw new PeriodProblem(field, 'must be a calendar date YYYY-MM-DD');
    }
  }
  if (from > to) throw new PeriodProblem('to', 'must not be before from');
  return { label: `${from}..${to}`, from, to };
}

/** The quarter before the one `today` (YYYY-MM-DD) falls in. */
export function previousQuarter(today: string): ReportPeriod {
  const year = Number(today.slice(0, 4));
  const quarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  return quarter === 1 ? namedPeriod(`${year - 1}-Q4`) : namedPeriod(`${year}-Q${quarter - 1}`);
}

/** The first and last day a KPI period (`2026`, `2026-Q2`, `2026-05`) covers, or null if unreadable. */
export function kpiPeriodDays(period: string): { from: string; to: string } | null {
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (month) return { from: day(Number(month[1]), Number(month[2]), 1), to: day(Number(month[1]), Number(month[2]) + 1, 0) };
  return PERIOD_PATTERN.test(period) ? namedPeriod(period) : null;
}

/** YYYY-MM-DD of a UTC calendar day; day 0 is the last day of the month before. */
function day(year: number, month: number, dayOfMonth: number): string {
  return new Date(Date.UTC(year, month - 1, dayOfMonth)).toISOString().slice(0, 10);
}

const ROMAN = ['I', 'II', 'III', 'IV'];
const dayVi = (value: string) => `${value.slice(8, 10)}/${value.slice(5, 7)}/${value.slice(0, 4)}`;

/** A period as Vietnamese reports name it: "quý IV năm 2026", "6 tháng đầu năm 2026", "năm 2026", "từ 01/10/2026 đến 15/11/2026". */
export function periodInWords(period: ReportPeriod): string {
  const named = PERIOD_PATTERN.exec(period.label);
  if (!named) return `từ ${dayVi(period.from)} đến ${dayVi(period.to)}`;
  const [, year, part] = named;
  if (!part) return `năm ${year}`;
  if (part.startsWith('Q')) return `quý ${ROMAN[Number(part[1]) - 1]} năm ${year}`;
  return `6 tháng ${part === 'H1' ? 'đầu' : 'cuối'} năm ${year}`;
}
