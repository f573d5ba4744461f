import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Spin, Typography } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { useLabels } from '../../i18n';
import { AgreementDetails } from '../../shared/AgreementDetails';
import { FailureAlert } from '../../shared/failure';

type Agreement = components['schemas']['AgreementView'];
type Connection = components['schemas']['ConnectionView'];
type Page = { items: Agreement[]; nextCursor: string | null };

// The last hour's calls, as the security officer sees them on the board.
const ConnectionTraffic = lazy(() => import('../security/ConnectionTraffic'));

/**
 * What the unit's system may do and what it did (Appendix II step 3; IV.5.b): the agreement in
 * force — the scope and quotas the gateway applies to every call — and the last hour's calls with
 * the refusals by reason, so that the unit's integration engineer sees why a call was refused
 * (outside the scope, over a quota) without asking the DTD. `version` changes when the connection
 * is loaded again (its Reload button, a step taken), and this tab with it.
 */
export function AgreementInForce({ connection, version }: { connection: Connection; version: number }) {
  const { t } = useLabels();
  const [agreements, setAgreements] = useState<Agreement[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [trafficRound, setTrafficRound] = useState(0);

  const load = useCallback(async () => {
    try {
      const page = await call<Page>(api.GET('/control/v1/connections/{id}/agreements', { params: { path: { id: connection.id }, query: { limit: 100 } } }));
      setAgreements(page.items);
      setError(null);
    } catch (failure) {
      setError(failure);
    }
  }, [connection.id]);
  useEffect(() => {
    void load();
    setTrafficRound((n) => n + 1);
  }, [load, version]);

  if (error) return <FailureAlert error={error} />;
  if (!agreements) return <Spin />;
  // Versions come oldest first; the newest is the one in force (until the connection ends).
  const latest = agreements.at(-1);
  const ended = connection.state === 'TERMINATED';
  const h2 = (text: string) => <h2 style={{ fontSize: 16, margin: 0 }}>{text}</h2>;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={h2(t(ended ? 'unit.agreement.lastOne' : 'unit.agreement.inForce'))}>
        {latest ? (
          <>
            <AgreementDetails agreement={latest} testId="agreement-in-force" />
            {agreements.length > 1 && <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>{t('unit.agreement.versions', { count: agreements.length })}</Typography.Paragraph>}
          </>
        ) : (
          <Alert type="info" showIcon title={t('unit.agreement.none')} />
        )}
      </Card>
      <Card size="small" title={h2(t('unit.agreement.lastHour'))}
        extra={<Button size="small" icon={<ReloadOutlined />} onClick={() => setTrafficRound((n) => n + 1)}>{t('unit.common.refresh')}</Button>}>
        <Typography.Paragraph>{t('unit.agreement.lastHourHint')}</Typography.Paragraph>
        {/* A new key fetches the hour again. */}
        <Suspense fallback={<Spin />}><ConnectionTraffic key={trafficRound} connectionId={connection.id} /></Suspense>
      </Card>
    </Space>
  );
}
