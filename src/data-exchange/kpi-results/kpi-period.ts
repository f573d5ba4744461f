export const PERIOD_TYPES = ['MONTH', 'QUARTER', 'YEAR'] as const;
export type PeriodType = (typeof PERIOD_TYPES)[number];

/** Kỳ dữ liệu: how a period of each type is written. */
export const PERIOD_FORMATS: Record<PeriodType, { pattern: RegExp; example: string }> = {
  MONTH: { pattern: /^\d{4}-(0[1-9]|1[0-2])$/, example: '2026-05' },
  QUARTER: { pattern: /^\d{4}-Q[1-4]$/, example: '2026-Q2' },
  YEAR: { pattern: /^\d{4}$/, example: '2026' },
};

export function periodTypeOf(period: string): PeriodType | undefined {
  return PERIOD_TYPES.find((type) => PERIOD_FORMATS[type].pattern.test(period));
}
