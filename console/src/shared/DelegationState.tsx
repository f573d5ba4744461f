import { Tag } from 'antd';
import type { components } from '../api/schema';
import { useLabels } from '../i18n';

type Delegation = Pick<components['schemas']['DelegationView'], 'revokedAt' | 'expiresAt'>;

/** In force until it is revoked or its end date passes (the gateway ends it by itself then). */
export const inForce = (d: Delegation) => !d.revokedAt && new Date(d.expiresAt) > new Date();

/** A delegation's state as a tag: revoked, expired, or in force. */
export function DelegationState({ delegation }: { delegation: Delegation }) {
  const { t } = useLabels();
  if (delegation.revokedAt) return <Tag color="#434343">{t('admin.delegation.revoked')}</Tag>;
  if (!inForce(delegation)) return <Tag color="#434343">{t('admin.delegation.expired')}</Tag>;
  return <Tag color="#135200">{t('admin.delegation.inForce')}</Tag>;
}
