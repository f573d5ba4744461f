import { Alert, Space } from 'antd';
import type { TFunction } from 'i18next';
import type { components } from '../api/schema';
import { useLabels } from '../i18n';
import { formatDateTime } from '../shared/dates';

type Verification = components['schemas']['AuditVerificationDto'];

/** What was checked, in words an auditor can quote: the chain positions and the time range asked for. */
export function checkedSpan(v: Verification, t: TFunction): string {
  const { from, to } = v.requested;
  const range = from || to
    ? t('audit.rangeText', { from: from ? formatDateTime(from) : t('audit.fromStart'), to: to ? formatDateTime(to) : t('audit.toNow') })
    : t('audit.wholeLog');
  return v.endSeq === null ? `— (${range})` : t('audit.spanText', { start: v.startSeq, end: v.endSeq, range });
}

/**
 * What a passing check could not vouch for: a range whose first entry links to nothing trusted,
 * no checkpoint journal outside the database to catch a log cut back at its end, entries archived
 * out of the database. Shown beside the verdict, so that "intact" is never quoted beyond what was
 * checked (AuditVerificationDto says when each applies).
 */
export function VerificationLimits({ verification: v }: { verification: Verification }) {
  const { t } = useLabels();
  const limits = [
    ...(v.anchored ? [] : [t('audit.notAnchored')]),
    ...(v.journal.compared === 0 ? [t('audit.noJournal')] : []),
    ...(v.archivedThroughSeq ? [t('audit.archivedBefore', { seq: v.archivedThroughSeq })] : []),
  ];
  if (limits.length === 0) return null;
  return (
    <Space direction="vertical" style={{ width: '100%', marginTop: 12 }} data-testid="verification-limits">
      {limits.map((text) => <Alert key={text} type="warning" showIcon title={text} />)}
    </Space>
  );
}
