import type { components } from '../../api/schema';

type S = components['schemas'];
export type Connection = S['ConnectionView'];
export type Agreement = S['AgreementView'];
export type Certificate = S['CertificateView'];
export type ConnectionEvent = S['ConnectionEventView'];
export type ReviewTask = S['ReviewTaskView'];
export type Page<T> = { items: T[]; nextCursor: string | null };

/** Dark shades of the guidance's colours (III.1.đ): white text on them passes WCAG AA. */
export const DEADLINE_COLOURS: Record<string, string> = { GREEN: '#135200', YELLOW: '#874d00', RED: '#a8071a' };

/** Today in Hà Nội, YYYY-MM-DD: the gateway reckons "today" in its TIMEZONE, not the browser's. */
export function todayInVietnam(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
}

export { stateLabel } from '../../i18n';
