import { useLabels } from '../i18n';
import { formatDateTime } from './dates';

/**
 * The `details` of an account event or an audit entry as one line a person reads: each fact under
 * its name in words (admin.eventDetails; an unknown one as stored), roles and causes in words,
 * times on Vietnam's clock, yes/no. Lower-case words are the server's names (changed identity
 * fields, the failed factor): said by admin.eventValues where it has them.
 */
export function useDetailsText(): (details: Record<string, unknown>) => string {
  const { t, label } = useLabels();
  const value = (v: unknown): string => {
    if (typeof v === 'boolean') return t(v ? 'admin.yes' : 'admin.no');
    if (Array.isArray(v)) return v.map(value).join(', ');
    if (typeof v === 'object') return JSON.stringify(v);
    const text = String(v);
    if (/^\d{4}-\d{2}-\d{2}T/.test(text)) return formatDateTime(text);
    if (/^[a-z][A-Za-z]+$/.test(text)) return t(`admin.eventValues.${text}`, { defaultValue: text });
    return /^[A-Z][A-Z_]+$/.test(text) ? label(text) : text;
  };
  return (details) =>
    Object.entries(details)
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => `${t(`admin.eventDetails.${k}`, { defaultValue: k })}: ${value(v)}`)
      .join('; ');
}
