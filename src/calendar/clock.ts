import { Injectable } from '@nestjs/common';
import { WorkingCalendarService } from './working-calendar.service.js';

/**
 * The time and the calendar date as the gateway decides them: one place to ask "what day is it"
 * (in TIMEZONE, through the working calendar, not the server's or the database's zone), and the
 * seam a test moves to another day without waiting for it.
 */
@Injectable()
export class Clock {
  constructor(private readonly calendars: WorkingCalendarService) {}

  get timeZone(): string {
    return this.calendars.calendar().zone;
  }

  /**
   * Milliseconds since the epoch, as every cache lifetime and expiry in the gateway reads them
   * (a number, not a Date: the credential cache asks on every call). Tests move it forward
   * (test/support/test-clock.ts) instead of sleeping until a cache or a token expires.
   */
  nowMs(): number {
    return Date.now();
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** Today as YYYY-MM-DD in the gateway's TIMEZONE (Asia/Ho_Chi_Minh by default). */
  today(): string {
    return this.calendars.calendar().today(this.now());
  }

  /** The calendar date (YYYY-MM-DD) of an instant in the gateway's TIMEZONE. */
  dateOf(instant: Date): string {
    return this.calendars.calendar().dateOf(instant);
  }
}
