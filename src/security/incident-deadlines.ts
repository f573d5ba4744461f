/**
 * The response deadlines of Appendix III.III, counted from the opening of an incident:
 * classification within 30 minutes (step 2), report to the competent authority within 2 hours
 * and the official document within 24 hours (step 5), post-incident review within 7 working days
 * (step 7). Working days are Monday to Friday in the gateway's TIMEZONE; public holidays are not
 * modelled, so the review deadline is the stricter reading.
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

export function incidentDeadlines(openedAt: Date, timeZone: string): IncidentDeadlines {
  return {
    classification: new Date(openedAt.getTime() + 30 * MINUTE),
    reportToAuthority: new Date(openedAt.getTime() + 2 * HOUR),
    officialReport: new Date(openedAt.getTime() + 24 * HOUR),
    review: endOfWorkingDaysAfter(openedAt, REVIEW_WORKING_DAYS, timeZone),
  };
}

/**
 * The end (next local midnight) of the `count`-th working day after the local day of `from`:
 * opened on a Friday, the 7th working day is the Tuesday of the week after next.
 */
export function endOfWorkingDaysAfter(from: Date, count: number, timeZone: string): Date {
  let { year, month, day } = localDate(from, timeZone);
  let worked = 0;
  while (worked < count) {
    ({ year, month, day } = addDays(year, month, day, 1));
    const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
    if (weekday !== 0 && weekday !== 6) worked++;
  }
  const next = addDays(year, month, day, 1);
  return zonedMidnight(next.year, next.month, next.day, timeZone);
}

function localDate(instant: Date, timeZone: string): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

function addDays(year: number, month: number, day: number, days: number) {
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The instant of local midnight starting that calendar day in `timeZone`. */
function zonedMidnight(year: number, month: number, day: number, timeZone: string): Date {
  const asUtc = Date.UTC(year, month - 1, day);
  let instant = asUtc - offsetMs(new Date(asUtc), timeZone);
  instant = asUtc - offsetMs(new Date(instant), timeZone); // settle across an offset change
  return new Date(instant);
}

function offsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return local - Math.floor(instant.getTime() / 1000) * 1000;
}
