import { Descriptions } from 'antd';
import type { components } from '../api/schema';
import { useLabels } from '../i18n';
import { DocumentLink } from './DocumentLink';
import { formatDate } from './dates';

type Agreement = components['schemas']['AgreementView'];
const QUOTAS = ['readsPerMinute', 'writesPerMinute', 'readsPerDay', 'writesPerDay'] as const;

/**
 * One version of a connection agreement in full (Appendix II step 3): scope, frequency, the quotas
 * as the gateway applies them (a limit the agreement left out is the gateway's default, and says
 * so), source addresses, duties, signatories and the signed scan. The reviewer's and inspector's
 * file and the unit's own tab show the same.
 */
export function AgreementDetails({ agreement: a, testId }: { agreement: Agreement; testId?: string }) {
  const { t, label } = useLabels();
  const units = (values: string[]) => (values.length === 0 ? t('review.detail.none') : values.map((u) => (u === '*' ? t('review.agreement.allUnits') : u)).join(', '));
  const quota = (q: (typeof QUOTAS)[number]) =>
    `${t(`review.agreement.${q}`)}: ${a.appliedQuotas[q].toLocaleString('vi-VN')}${a.quotas[q] === undefined ? ` (${t('review.agreement.defaultLimit')})` : ''}`;

  return (
    <Descriptions bordered size="small" column={1} data-testid={testId} items={[
      { key: 'version', label: t('review.detail.version'), children: t('review.agreement.versionSigned', { version: a.version, signedOn: formatDate(a.signedOn) }) },
      { key: 'dataSets', label: t('review.agreement.dataSets'), children: a.scope.dataSets.map((v) => label(v)).join(', ') },
      { key: 'directions', label: t('review.agreement.directions'), children: a.scope.directions.map((v) => label(v)).join(', ') },
      { key: 'write', label: t('review.agreement.writeUnits'), children: units(a.scope.writeUnits) },
      { key: 'read', label: t('review.agreement.readUnits'), children: units(a.scope.readUnits) },
      { key: 'classified', label: t('review.agreement.classifiedClearance'), children: label(a.scope.classifiedClearance) },
      { key: 'frequency', label: t('review.agreement.frequency'), children: a.frequency },
      { key: 'quotas', label: t('review.agreement.quotas'), children: QUOTAS.map(quota).join('; ') },
      { key: 'sources', label: t('review.agreement.allowedSourceAddresses'), children: a.allowedSourceAddresses.length ? a.allowedSourceAddresses.join(', ') : t('review.agreement.anySource') },
      { key: 'format', label: t('review.agreement.dataFormat'), children: a.dataFormat },
      { key: 'security', label: t('review.agreement.securityMeasures'), children: a.securityMeasures },
      { key: 'duties', label: t('review.agreement.responsibilities'), children: a.responsibilities },
      { key: 'incidents', label: t('review.agreement.incidentHandling'), children: a.incidentHandling },
      { key: 'signatories', label: t('review.agreement.signatories'), children: a.signatories.map((s) => `${s.name}, ${s.position}, ${s.organisation}`).join('; ') },
      { key: 'scan', label: t('review.agreement.document'), children: a.documentId ? <DocumentLink documentId={a.documentId} /> : t('review.agreement.noScan') },
    ]} />
  );
}
