import { Alert, Col, Row, Spin, Statistic, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { failureText, useLabels } from '../../i18n';
import { StackedBars } from '../overview/StackedBars';
import { formatTime } from '../../shared/dates';
import { ERROR_MESSAGES_VI } from '../../../../src/shared/i18n/messages.vi';
import { CodeInWords } from '../../shared/CodeInWords';

type Traffic = components['schemas']['ConnectionTrafficView'];

/** A connection's last hour, minute by minute (GET /connections/{id}/traffic): shown in the board's dialog. */
export default function ConnectionTraffic({ connectionId }: { connectionId: string }) {
  const { t, language } = useLabels();
  const [traffic, setTraffic] = useState<Traffic | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void (async () => {
      try {
        setTraffic(await call<Traffic>(api.GET('/control/v1/connections/{id}/traffic', { params: { path: { id: connectionId } } })));
      } catch (failure) {
        setError(failureText(failure, language, t('errors.generic')));
      }
    })();
  }, [connectionId, language, t]);

  if (error) return <Alert role="alert" type="error" showIcon title={error} />;
  if (!traffic) return <Spin />;
  const { totals } = traffic;
  return (
    <div data-testid="connection-traffic">
      <Row gutter={16} style={{ marginBottom: 12 }}>
        <Col span={8}><Statistic title={t('traffic.calls')} value={totals.calls} /></Col>
        <Col span={8}><Statistic title={t('traffic.rejected')} value={totals.rejected} /></Col>
        <Col span={8}><Statistic title={t('traffic.failed')} value={totals.failed} /></Col>
      </Row>
      <StackedBars
        buckets={traffic.minutes.map((m) => ({ label: formatTime(m.at), success: m.success, rejected: m.rejected, failed: m.failed }))}
        summary={`${t('traffic.chart')}: ${t('traffic.summary', { calls: totals.calls, rejected: totals.rejected, failed: totals.failed })}`}
        legend={{ success: t('traffic.success'), rejected: t('traffic.rejected'), failed: t('traffic.failed') }}
      />
      <Typography.Title level={3} style={{ fontSize: 15, marginTop: 16 }}>{t('traffic.refusals')}</Typography.Title>
      <Table
        rowKey={(r) => r.errorCode ?? '-'}
        size="small"
        pagination={false}
        dataSource={traffic.refusals}
        locale={{ emptyText: <Typography.Text>{t('traffic.noRefusals')}</Typography.Text> }}
        columns={[
          // The refusal in the words the caller was given (messageVi), its code beside it for the technical staff.
          { title: t('traffic.code'), dataIndex: 'errorCode', key: 'code', render: (c: string | null) => (c ? <CodeInWords words={language === 'vi' ? (ERROR_MESSAGES_VI[c] ?? c) : c} code={c} /> : '—') },
          { title: t('traffic.count'), dataIndex: 'count', key: 'count' },
        ]}
      />
    </div>
  );
}
