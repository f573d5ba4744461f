import type { WorkingCalendar } from '../../calendar/working-calendar.js';

/**
 * The response deadlines of Appendix III.III, counted from the opening of an incident:
 * classification within 30 minutes (step 2), report to the competent authority within 2 hours
 * and the official document within 24 hours (step 5), post-incident review within 7 working days
 * (step 7), by the working calendar (weekends, public holidays and swapped days of the register).
 */
export interface IncidentDeadlines {
  classification: Date;
  reportToAuthority: Date;
  officialReport: Date;
  review: Date;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const REVIEW_WORKING_DAYS = 7;

export function incidentDeadlines(openedAt: Date, calendar: WorkingCalendar): IncidentDeadlines {
  return {
    classification: new Date(openedAt.getTime() + 30 * MINUTE),
    reportToAuthority: new Date(openedAt.getTime() + 2 * HOUR),
    officialReport: new Date(openedAt.getTime() + 24 * HOUR),
    review: calendar.endOfWorkingDaysAfter(openedAt, REVIEW_WORKING_DAYS),
  };
}
