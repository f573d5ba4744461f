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

/** A reason code as the gateway takes it (security-control.controller.ts): upper case, 3 to 64 characters. */
export const REASON_CODE_PATTERN = /^\s*[A-Z][A-Z0-9_]{2,63}\s*$/;
