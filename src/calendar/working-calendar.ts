import { DateTime, IANAZone, Interval } from 'luxon';

/** A day the calendar treats differently from its weekday: a public holiday (or swapped day off), or a make-up working day. */
export interface CalendarDayOverride {
  /** `YYYY-MM-DD`, local to the calendar's zone. */
  day: string;
  kind: 'HOLIDAY' | 'WORKDAY';
  /** Vietnamese name, e.g. "Tết Nguyên đán". */
  name: string;
}

/**
 * Working time of Vietnamese public bodies: Monday to Friday, 08:00–12:00 and 13:00–17:00 (8
 * hours, 40 a week), except public holidays and the days off the government swaps; a make-up
 * day (a Saturday worked in exchange) is a working day. "8 working hours" is thus one working day.
 */
export const WORKING_PERIODS: ReadonlyArray<readonly [startHour: number, endHour: number]> = [
  [8, 12],
  [13, 17],
];

/**
 * The one calendar every clock of the gateway uses (deadline signals, incident reviews, task
 * disputes, reminders). Pure and synchronous: the overrides come from the `calendar_days`
 * register (WorkingCalendarService), the zone from TIMEZONE, validated at start-up.
 */
export class WorkingCalendar {
  private readonly overrides: ReadonlyMap<string, CalendarDayOverride>;

  constructor(
    readonly zone: string,
    overrides: Iterable<CalendarDayOverride> = [],
  ) {
    if (!IANAZone.isValidZone(zone)) throw new RangeError(`Unknown time zone "${zone}"`);
    this.overrides = new Map([...overrides].map((o) => [o.day, o]));
  }

  private lastToday = { second: -1, day: '' };

  /**
   * Today's local date, `YYYY-MM-DD`: the deadline signal of every pull asks, so the answer is
   * kept for the current second.
   */
  today(now = new Date()): string {
    const second = Math.floor(now.getTime() / 1000);
    if (this.lastToday.second !== second) this.lastToday = { second, day: this.dateOf(now) };
    return this.lastToday.day;
  }

  /** The local calendar date of `instant`, `YYYY-MM-DD`. */
  dateOf(instant: Date): string {
    return this.local(instant).toISODate()!;
  }

  isWorkingDay(day: string): boolean {
    const override = this.overrides.get(day);
    if (override) return override.kind === 'WORKDAY';
    const weekday = DateTime.fromISO(day, { zone: this.zone }).weekday; // 1 = Monday … 7 = Sunday
    return weekday <= 5;
  }

  /** Why a day is off, when it is a holiday of the register. */
  holidayOf(day: string): CalendarDayOverride | undefined {
    const override = this.overrides.get(day);
    return override?.kind === 'HOLIDAY' ? override : undefined;
  }

  /**
   * The end (next local midnight) of the `count`-th working day after the local day of `from`:
   * an incident opened on a Friday has its 7-working-day review due at the end of the Tuesday of
   * the week after next, later when holidays fall in between.
   */
  endOfWorkingDaysAfter(from: Date, count: number): Date {
    let day = this.local(from).startOf('day');
    for (let worked = 0; worked < count; ) {
      day = day.plus({ days: 1 });
      if (this.isWorkingDay(day.toISODate()!)) worked++;
    }
    return day.plus({ days: 1 }).startOf('day').toJSDate();
  }

  /**
   * The instant `hours` working hours after `from` (counting only WORKING_PERIODS of working
   * days): a task assigned on Friday at 16:00 may be disputed until Monday 16:00, or later when
   * Monday is a holiday.
   */
  addWorkingHours(from: Date, hours: number): Date {
    let remaining = hours * 3_600_000;
    let cursor = this.local(from);
    // Bounded: a year of days is more than any deadline the guidance sets.
    for (let i = 0; i < 400 && remaining > 0; i++) {
      const day = cursor.startOf('day');
      if (this.isWorkingDay(day.toISODate()!)) {
        for (const [start, end] of WORKING_PERIODS) {
          const period = Interval.fromDateTimes(day.set({ hour: start }), day.set({ hour: end }));
          if (cursor >= period.end!) continue;
          const begin = cursor > period.start! ? cursor : period.start!;
          const available = period.end!.toMillis() - begin.toMillis();
          if (available >= remaining) return begin.plus({ milliseconds: remaining }).toJSDate();
          remaining -= available;
          cursor = period.end!;
        }
      }
      cursor = day.plus({ days: 1 });
    }
    throw new RangeError(`${hours} working hours do not fit in the calendar's range`);
  }

  private local(instant: Date): DateTime {
    return DateTime.fromJSDate(instant, { zone: this.zone });
  }
}
