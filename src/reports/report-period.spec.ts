import { kpiPeriodDays, namedPeriod, periodInWords, PeriodProblem, previousQuarter, rangePeriod } from './report-period.js';

/** The calendar arithmetic behind every report's period, against dates written out by hand. */
describe('report periods', () => {
  it('names quarters, half-years and years by their first and last day', () => {
    expect(namedPeriod('2026-Q1')).toEqual({ label: '2026-Q1', from: '2026-01-01', to: '2026-03-31' });
    expect(namedPeriod('2026-Q2')).toEqual({ label: '2026-Q2', from: '2026-04-01', to: '2026-06-30' });
    expect(namedPeriod('2026-Q3')).toEqual({ label: '2026-Q3', from: '2026-07-01', to: '2026-09-30' });
    expect(namedPeriod('2026-Q4')).toEqual({ label: '2026-Q4', from: '2026-10-01', to: '2026-12-31' });
    expect(namedPeriod('2026-H1')).toEqual({ label: '2026-H1', from: '2026-01-01', to: '2026-06-30' });
    expect(namedPeriod('2026-H2')).toEqual({ label: '2026-H2', from: '2026-07-01', to: '2026-12-31' });
    expect(namedPeriod('2028')).toEqual({ label: '2028', from: '2028-01-01', to: '2028-12-31' });
  });

  it('refuses what is no period, naming the field', () => {
    for (const bad of ['2026-Q5', '2026-H3', '26', '2026-Q1 ', '2026-03']) {
      expect(() => namedPeriod(bad)).toThrow(PeriodProblem);
    }
    expect(() => rangePeriod('2026-02-30', '2026-03-01')).toThrow(expect.objectContaining({ field: 'from' }));
    expect(() => rangePeriod('2026-03-01', '2026-13-01')).toThrow(expect.objectContaining({ field: 'to' }));
    expect(() => rangePeriod('2026-03-02', '2026-03-01')).toThrow(expect.objectContaining({ field: 'to', message: 'must not be before from' }));
    expect(rangePeriod('2024-02-29', '2024-02-29')).toEqual({ label: '2024-02-29..2024-02-29', from: '2024-02-29', to: '2024-02-29' });
  });

  it('takes the quarter before today, across the year boundary', () => {
    expect(previousQuarter('2026-01-01')).toEqual({ label: '2025-Q4', from: '2025-10-01', to: '2025-12-31' });
    expect(previousQuarter('2026-03-31')).toEqual({ label: '2025-Q4', from: '2025-10-01', to: '2025-12-31' });
    expect(previousQuarter('2026-04-01')).toEqual({ label: '2026-Q1', from: '2026-01-01', to: '2026-03-31' });
    expect(previousQuarter('2026-08-15')).toEqual({ label: '2026-Q2', from: '2026-04-01', to: '2026-06-30' });
    expect(previousQuarter('2026-12-31')).toEqual({ label: '2026-Q3', from: '2026-07-01', to: '2026-09-30' });
  });

  it('reads a KPI period as the days it covers, a month included', () => {
    expect(kpiPeriodDays('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(kpiPeriodDays('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(kpiPeriodDays('2026-Q2')).toEqual({ label: '2026-Q2', from: '2026-04-01', to: '2026-06-30' });
    expect(kpiPeriodDays('2026-13')).toBeNull();
    expect(kpiPeriodDays('quý 2')).toBeNull();
  });
});

describe('a period in words', () => {
  it.each([
    ['2026', 'năm 2026'],
    ['2026-Q4', 'quý IV năm 2026'],
    ['2026-H1', '6 tháng đầu năm 2026'],
    ['2026-H2', '6 tháng cuối năm 2026'],
  ])('%s reads "%s"', (label, words) => {
    expect(periodInWords(namedPeriod(label))).toBe(words);
  });
  it('a range reads from one day to the other, day first', () => {
    expect(periodInWords(rangePeriod('2026-10-01', '2026-11-15'))).toBe('từ 01/10/2026 đến 15/11/2026');
  });
});
