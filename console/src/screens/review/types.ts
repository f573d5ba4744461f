import type { components } from '../../api/schema';

type S = components['schemas'];
export type Connection = S['ConnectionView'];
export type Agreement = S['AgreementView'];
export type Certificate = S['CertificateView'];
export type ConnectionEvent = S['ConnectionEventView'];
export type ReviewTask = S['ReviewTaskView'];
export type Page<T> = { items: T[]; nextCursor: string | null };

/** Dark shades of the guidance's colours (III.1.đ): white text on them passes WCAG AA. */
export { DEADLINE_COLOURS } from '../../shared/colours';


export { stateLabel } from '../../i18n';
