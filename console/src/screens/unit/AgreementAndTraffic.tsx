import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Space, Spin, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import type { components } from '../../api/schema';
import { useLabels } from '../../i18n';
import { AgreementInForce } from '../../shared/AgreementInForce';

type Connection = components['schemas']['ConnectionView'];

// The last hour's calls, as the security officer sees them on the board.
const ConnectionTraffic = lazy(() => import('../security/ConnectionTraffic'));

/**
 * What the unit's system may do and what it did: the agreement in force beside the last hour's
 * calls with the refusals by reason, so that the unit's integration engineer sees why a call was
 * refused (outside the scope, over a quota) without asking the DTD. `version` changes when the
 * connection is loaded again (its Reload button, a step taken), and this tab with it.
 */
export function AgreementAndTraffic({ connection, version }: { connection: Connection; version: number }) {
  const { t } = useLabels();
  const [trafficRound, setTrafficRound] = useState(0);
  const h2 = (text: string) => <h2 style={{ fontSize: 16, margin: 0 }}>{text}</h2>;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <AgreementInForce connectionId={connection.id} ended={connection.state === 'TERMINATED'} version={version} />
      <Card size="small" title={h2(t('unit.agreement.lastHour'))}
        extra={<Button size="small" icon={<ReloadOutlined />} onClick={() => setTrafficRound((n) => n + 1)}>{t('unit.common.refresh')}</Button>}>
        <Typography.Paragraph>{t('unit.agreement.lastHourHint')}</Typography.Paragraph>
        {/* A new key (the connection loaded again, or Refresh) fetches the hour again. */}
        <Suspense fallback={<Spin />}><ConnectionTraffic key={`${version}-${trafficRound}`} connectionId={connection.id} /></Suspense>
      </Card>
    </Space>
  );
}
