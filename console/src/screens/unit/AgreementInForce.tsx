import { Alert, Card, Descriptions, Space, Spin, Typography } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { useLabels } from '../../i18n';
import { DocumentLink } from '../../shared/DocumentLink';
import { FailureAlert } from '../../shared/failure';
import { formatDate } from '../../shared/dates';

type Agreement = components['schemas']['AgreementView'];
type Page = { items: Agreement[]; nextCursor: string | null };

// The last hour's calls, as the security officer sees them on the board.
const ConnectionTraffic = lazy(() => import('../security/ConnectionTraffic'));
const QUOTAS = ['readsPerMinute', 'writesPerMinute', 'readsPerDay', 'writesPerDay'] as const;

/**
 * What the unit's system may do and what it did (Appendix II step 3; IV.5.b): the agreement in
 * force — the scope and quotas the gateway enforces on every call — and the last hour's calls with
 * the refusals by reason, so that the unit's integration engineer sees why a call was refused
 * (outside the scope, over a quota) without asking the DTD.
 */
export function AgreementInForce({ connectionId }: { connectionId: string }) {
  const { t, label } = useLabels();
  const [agreements, setAgreements] = useState<Agreement[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    void call<Page>(api.GET('/control/v1/connections/{id}/agreements', { params: { path: { id: connectionId }, query: { limit: 100 } } }))
      .then((page) => setAgreements(page.items))
      .catch(setError);
  }, [connectionId]);

  if (error) return <FailureAlert error={error} />;
  if (!agreements) return <Spin />;
  // Versions come oldest first; the newest is the one in force.
  const a = agreements.at(-1);
  const list = (values: string[]) => (values.length ? values.join(', ') : t('review.detail.none'));
  const h2 = (key: string) => <h2 style={{ fontSize: 16, margin: 0 }}>{t(key)}</h2>;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={h2('unit.agreement.inForce')}>
        {a ? (
          <Descriptions bordered size="small" column={1} data-testid="agreement-in-force" items={[
            { key: 'version', label: t('review.detail.version'), children: t('unit.agreement.versionOf', { version: a.version, signedOn: formatDate(a.signedOn), count: agreements.length }) },
            { key: 'dataSets', label: t('review.agreement.dataSets'), children: a.scope.dataSets.map((v) => label(v)).join(', ') },
            { key: 'directions', label: t('review.agreement.directions'), children: a.scope.directions.map((v) => label(v)).join(', ') },
            { key: 'write', label: t('review.agreement.writeUnits'), children: list(a.scope.writeUnits) },
            { key: 'read', label: t('review.agreement.readUnits'), children: list(a.scope.readUnits) },
            { key: 'classified', label: t('review.agreement.classifiedClearance'), children: label(a.scope.classifiedClearance) },
            { key: 'frequency', label: t('review.agreement.frequency'), children: a.frequency },
            {
              key: 'quotas',
              label: t('review.agreement.quotas'),
              children: QUOTAS.map((q) => `${t(`review.agreement.${q}`)}: ${a.quotas[q] ?? t('unit.agreement.noLimit')}`).join('; '),
            },
            { key: 'sources', label: t('review.agreement.allowedSourceAddresses'), children: a.allowedSourceAddresses.length ? a.allowedSourceAddresses.join(', ') : t('unit.agreement.anySource') },
            { key: 'format', label: t('review.agreement.dataFormat'), children: a.dataFormat },
            { key: 'security', label: t('review.agreement.securityMeasures'), children: a.securityMeasures },
            { key: 'duties', label: t('review.agreement.responsibilities'), children: a.responsibilities },
            { key: 'incidents', label: t('review.agreement.incidentHandling'), children: a.incidentHandling },
            { key: 'signatories', label: t('review.agreement.signatories'), children: a.signatories.map((s) => `${s.name}, ${s.position}, ${s.organisation}`).join('; ') },
            ...(a.documentId ? [{ key: 'scan', label: t('review.agreement.document'), children: <DocumentLink documentId={a.documentId} /> }] : []),
          ]} />
        ) : (
          <Alert type="info" showIcon title={t('unit.agreement.none')} />
        )}
      </Card>
      <Card size="small" title={h2('unit.agreement.lastHour')}>
        <Typography.Paragraph>{t('unit.agreement.lastHourHint')}</Typography.Paragraph>
        <Suspense fallback={<Spin />}><ConnectionTraffic connectionId={connectionId} /></Suspense>
      </Card>
    </Space>
  );
}
