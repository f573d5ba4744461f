/**
 * How the console writes times and days: `05/12/2026 07:44` and `05/12/2026`, in Vietnam's time
 * zone whatever the browser's, in both languages. Deadlines are working days in Vietnam
 * (working-calendar.ts on the server), so an officer abroad or on a mis-set laptop must read the
 * same clock as the DTD; and one pattern everywhere, day first, so that 12/08 is never read as
 * August the 12th in one place and December the 8th in another.
 */
export const CONSOLE_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: CONSOLE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function fields(instant: string | Date): Record<string, string> {
  return Object.fromEntries(parts.formatToParts(typeof instant === 'string' ? new Date(instant) : instant).map((p) => [p.type, p.value]));
}

/** An instant as `dd/mm/yyyy HH:mm` (with `:ss` when asked, as the audit log wants); '' for none. */
export function formatDateTime(instant: string | Date | null | undefined, options: { seconds?: boolean } = {}): string {
  if (!instant) return '';
  const f = fields(instant);
  return `${f.day}/${f.month}/${f.year} ${f.hour}:${f.minute}${options.seconds ? `:${f.second}` : ''}`;
}

/** Today in Vietnam, YYYY-MM-DD: the gateway reckons "today" in its TIMEZONE, not the browser's. */
export function todayInVietnam(): string {
  const f = fields(new Date());
  return `${f.year}-${f.month}-${f.day}`;
}

/** `HH:mm` of an instant, for a chart's axis. */
export function formatTime(instant: string | Date): string {
  const f = fields(instant);
  return `${f.hour}:${f.minute}`;
}

/**
 * A day as `dd/mm/yyyy`: a calendar day as the API writes it (`2026-12-05`, no time zone to
 * apply), or the day an instant falls on in Vietnam; '' for none.
 */
export function formatDate(day: string | Date | null | undefined): string {
  if (!day) return '';
  const calendarDay = typeof day === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  if (calendarDay) return `${calendarDay[3]}/${calendarDay[2]}/${calendarDay[1]}`;
  const f = fields(day);
  return `${f.day}/${f.month}/${f.year}`;
}

/**
 * The day a deadline closes, when it falls at midnight in Vietnam (a deadline counted in whole
 * days: "by the end of 11/12", not "at 00:00 on 12/12", which reads as the start of the 12th);
 * null for a deadline at any other time.
 */
export function dayEndingAt(instant: string | Date): string | null {
  const f = fields(instant);
  if (f.hour !== '00' || f.minute !== '00' || f.second !== '00') return null;
  return formatDate(new Date(new Date(instant).getTime() - 1));
}
