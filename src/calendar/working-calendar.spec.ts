import { type CalendarDayOverride, WorkingCalendar } from './working-calendar.js';
import { VIETNAM_PUBLIC_HOLIDAYS } from './vietnam-public-holidays.js';

const ZONE = 'Asia/Ho_Chi_Minh';
const local = (iso: string) => new Date(`${iso}+07:00`);
const tet2026: CalendarDayOverride[] = ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'].map((day) => ({ day, kind: 'HOLIDAY', name: 'Tết Nguyên đán' }));

describe('WorkingCalendar', () => {
  it('refuses an unknown time zone', () => {
    expect(() => new WorkingCalendar('Asia/Hanoi_City')).toThrow('Unknown time zone "Asia/Hanoi_City"');
  });

  it('reads the local date in its zone, not UTC', () => {
    const calendar = new WorkingCalendar(ZONE);
    expect(calendar.dateOf(new Date('2026-03-31T18:30:00Z'))).toBe('2026-04-01');
  });

  it('counts a 7-working-day deadline across the Lunar New Year break', () => {
    const opened = local('2026-02-11T10:00:00'); // a Wednesday
    expect(new WorkingCalendar(ZONE).endOfWorkingDaysAfter(opened, 7)).toEqual(local('2026-02-21T00:00:00'));
    expect(new WorkingCalendar(ZONE, tet2026).endOfWorkingDaysAfter(opened, 7)).toEqual(local('2026-02-28T00:00:00'));
  });

  it('counts a make-up Saturday as a working day', () => {
    const calendar = new WorkingCalendar(ZONE, [{ day: '2026-01-10', kind: 'WORKDAY', name: 'Làm bù' }]);
    expect(calendar.isWorkingDay('2026-01-10')).toBe(true);
    expect(calendar.isWorkingDay('2026-01-11')).toBe(false);
    expect(calendar.endOfWorkingDaysAfter(local('2026-01-09T09:00:00'), 1)).toEqual(local('2026-01-11T00:00:00'));
  });

  it('adds 8 working hours over the lunch break, the weekend and Tết', () => {
    const calendar = new WorkingCalendar(ZONE, tet2026);
    expect(calendar.addWorkingHours(local('2026-03-02T09:00:00'), 8)).toEqual(local('2026-03-03T09:00:00'));
    expect(calendar.addWorkingHours(local('2026-03-02T11:00:00'), 2)).toEqual(local('2026-03-02T14:00:00'));
    expect(calendar.addWorkingHours(local('2026-03-02T06:00:00'), 4)).toEqual(local('2026-03-02T12:00:00'));
    expect(calendar.addWorkingHours(local('2026-02-13T16:00:00'), 8)).toEqual(local('2026-02-23T16:00:00'));
    expect(calendar.addWorkingHours(local('2026-02-14T10:00:00'), 1)).toEqual(local('2026-02-23T09:00:00'));
  });

  it('ships a register whose days are holidays or make-up days with a source each', () => {
    const calendar = new WorkingCalendar(ZONE, VIETNAM_PUBLIC_HOLIDAYS);
    for (const day of ['2026-01-01', '2026-01-02', '2026-02-17', '2026-04-27', '2026-04-30', '2026-05-01', '2026-09-02']) expect(calendar.isWorkingDay(day)).toBe(false);
    expect(calendar.isWorkingDay('2026-01-10')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-23')).toBe(true);
    for (const entry of VIETNAM_PUBLIC_HOLIDAYS) expect(entry.source.length).toBeGreaterThan(10);
  });
});
