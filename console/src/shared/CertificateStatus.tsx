import { Tag } from 'antd';
import type { components } from '../api/schema';
import { useLabels } from '../i18n';
import { DEADLINE_COLOURS } from './colours';

type Certificate = components['schemas']['CertificateView'];

/** Within this many days of `notAfter` a certificate is flagged for renewal. */
const EXPIRY_SOON_DAYS = 30;
const REVOKED_GREY = '#595959';

/**
 * Revoked (its reason on hover), expired, expiring within 30 days, or valid: the reviewer's queue and
 * the unit's list say the same thing about one certificate. An expired one must never look valid:
 * the gateway refuses it at the TLS handshake.
 */
export function CertificateStatus({ certificate: c }: { certificate: Certificate }) {
  const { t } = useLabels();
  if (c.revokedAt) {
    // The reason as written (by the DTD, or the gateway's own English on termination): on hover.
    return <Tag color={REVOKED_GREY} data-color="GREY" title={c.revocationReason ?? undefined}>{t('certificate.revoked')}</Tag>;
  }
  const left = Date.parse(c.notAfter) - Date.now();
  const [key, colour] = left <= 0 ? (['expired', 'RED'] as const) : left <= EXPIRY_SOON_DAYS * 86_400_000 ? (['expiringSoon', 'YELLOW'] as const) : (['valid', 'GREEN'] as const);
  return <Tag color={DEADLINE_COLOURS[colour]} data-color={colour}>{t(`certificate.${key}`)}</Tag>;
}
