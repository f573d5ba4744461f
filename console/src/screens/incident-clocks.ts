import type { IncidentView } from '../api/views';

export const CLOCKS = ['classification', 'reportToAuthority', 'officialReport', 'review'] as const;
export type Clock = (typeof CLOCKS)[number];
export type ClockStatus = 'done' | 'pending' | 'soon' | 'overdue';

const DONE_AT: Record<Clock, keyof IncidentView> = {
  classification: 'classifiedAt',
  reportToAuthority: 'reportedAt',
  officialReport: 'officialReportAt',
  review: 'reviewAt',
};

/**
 * Colours of the guidance's clocks (Appendix III.III): done, in time, in its last quarter, overdue.
 * Dark shades (white text on them passes WCAG AA; Ant Design's light presets do not).
 */
export const CLOCK_COLOURS: Record<ClockStatus, string> = { done: '#135200', pending: '#003a8c', soon: '#874d00', overdue: '#a8071a' };

export function clockStatus(incident: IncidentView, clock: Clock, now: number = Date.now()): ClockStatus {
  if (incident[DONE_AT[clock]]) return 'done';
  // The server says what is overdue (the 7 working days follow its calendar); the last quarter of a
  // window is counted here from the deadline it sent.
  if (incident.overdue[clock]) return 'overdue';
  const opened = Date.parse(incident.openedAt);
  const due = Date.parse(incident.deadlines[clock]);
  if (now >= due) return 'overdue';
  return due - now <= (due - opened) / 4 ? 'soon' : 'pending';
}

/** Appendix III.III step 2: the four severity levels, least first. */
export const SEVERITIES = ['INFORMATION', 'WARNING', 'MEDIUM', 'SERIOUS'] as const;
