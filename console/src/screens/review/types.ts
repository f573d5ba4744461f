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


export { stateLabel } from '../../i18n';
