import type { WorkingCalendar } from '../../calendar/working-calendar.js';

/** IV.5.d: a unit notifies within 2 hours of detecting an incident, and sends its official report within 24. */
export const UNIT_NOTICE_HOURS = 2;
export const UNIT_REPORT_HOURS = 24;

/** When the unit's official report on an incident is due: 24 hours after detection (the opening, for an incident without one). */
export function unitReportDue(incident: { detectedAt: Date | null; openedAt: Date }): Date {
  return new Date((incident.detectedAt ?? incident.openedAt).getTime() + UNIT_REPORT_HOURS * 3_600_000);
}

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
