/** Kỳ dữ liệu: Tháng / Quý / 6 tháng / Năm, and đột xuất (ad hoc) reports the guidance also asks for (III.1.e). */
export const PERIOD_TYPES = ['MONTH', 'QUARTER', 'HALF_YEAR', 'YEAR', 'AD_HOC'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

/** How a period of each type is written; the formats do not overlap, so a period names its type. */
export const PERIOD_FORMATS: Record<PeriodType, { pattern: RegExp; example: string }> = {
  MONTH: { pattern: /^\d{4}-(0[1-9]|1[0-2])$/, example: '2026-05' },
  QUARTER: { pattern: /^\d{4}-Q[1-4]$/, example: '2026-Q2' },
  HALF_YEAR: { pattern: /^\d{4}-H[12]$/, example: '2026-H1' },
  YEAR: { pattern: /^\d{4}$/, example: '2026' },
  // An ad hoc report is identified by the day it was requested for.
  AD_HOC: { pattern: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, example: '2026-06-15' },
};

/** How every period is written, for messages. */
export const PERIOD_SHAPES = 'YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY or YYYY-MM-DD';

export function periodTypeOf(period: string): PeriodType | undefined {
  return PERIOD_TYPES.find((type) => PERIOD_FORMATS[type].pattern.test(period));
}
