import { reasonLabelVi } from '../../../src/shared/i18n/messages.vi';
import { enumLabel } from '../i18n';

/**
 * A suspension or incident reason code in words: the gateway's Vietnamese vocabulary
 * (REASON_LABELS_VI, shared with its notices), the code spelled out in English; a code an officer
 * made up is shown as typed.
 */
export function reasonLabel(code: string | null | undefined, language: string): string {
  if (!code) return '';
  return language === 'vi' ? reasonLabelVi(code) : enumLabel(code, language);
}
