import { App, Button, Card, Descriptions, Form, Input, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ERROR_MESSAGES_VI } from '../../../../src/shared/i18n/messages.vi';
import { CodeInWords } from '../../shared/CodeInWords';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { useLabels } from '../../i18n';
import { FailureAlert } from '../../shared/failure';
import { formatDateTime } from '../../shared/dates';

type Connection = components['schemas']['ConnectionView'];
type Reconciliation = components['schemas']['TestReconciliationView'];
type Calls = components['schemas']['ReconciliationCallsView'];
type Sample = components['schemas']['SampleTaskResultView'];
type KpiSample = components['schemas']['SampleKpiResultView'];

/**
 * Step 5 for the unit: what its system exchanged in test (records, calls by outcome, samples), the
 * DTD's test report, and the unit's confirmation. The gateway refuses the confirmation (409) until
 * something was exchanged, or outside TESTING; the refusal is shown in words.
 */
export function TestReconciliation({ connection, onChanged }: { connection: Connection; onChanged: () => Promise<void> }) {
  const { t, label, language } = useLabels();
  const { message } = App.useApp();
  const [report, setReport] = useState<Reconciliation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ notes?: string }>();

  const load = useCallback(async () => {
    try {
      setReport(await call<Reconciliation>(api.GET('/control/v1/connections/{id}/test-reconciliation', { params: { path: { id: connection.id } } })));
    } catch (failure) {
      setError(failure);
    }
  }, [connection.id]);
  useEffect(() => void load(), [load, connection.updatedAt]);

  const confirm = async ({ notes }: { notes?: string }) => {
    setBusy(true);
    setError(null);
    try {
      await call(api.POST('/control/v1/connections/{id}/test-confirmations/unit', { params: { path: { id: connection.id } }, body: notes?.trim() ? { notes: notes.trim() } : {} }));
      void message.success(t('unit.test.confirmed'));
      await onChanged();
      await load();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const at = (v?: string | null) => formatDateTime(v) || '—';
  const confirmation = report?.confirmation ?? connection.testConfirmation;
  const results = confirmation?.report?.results;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('unit.test.title')}</h2>} extra={<Button size="small" onClick={() => void load()}>{t('unit.common.refresh')}</Button>}>
        {report && (
          <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="reconciliation">
            <Typography.Text type="secondary">{t('unit.test.generated')}: {at(report.generatedAt)}</Typography.Text>
            <Space size="large" wrap>
              <Statistic title={t('unit.test.taskResults')} value={report.records.taskResults} suffix={report.records.revokedTaskResults ? `(${t('unit.test.revoked')} ${report.records.revokedTaskResults})` : undefined} />
              <Statistic title={t('unit.test.kpiResults')} value={report.records.kpiResults} suffix={report.records.revokedKpiResults ? `(${t('unit.test.revoked')} ${report.records.revokedKpiResults})` : undefined} />
              <Statistic title={t('unit.test.validationFailures')} value={report.validationFailures} />
            </Space>
            <Table<Calls> rowKey={(c) => `${c.statusCode}:${c.errorCode}`} size="small" pagination={false} dataSource={report.calls} title={() => t('unit.test.calls')}
              columns={[
                { title: t('unit.test.status'), dataIndex: 'statusCode', key: 'status' },
                // A refusal's code in words, with the code beside it for the integration engineer.
                { title: t('unit.test.errorCode'), dataIndex: 'errorCode', key: 'code', render: (v: string) => (v ? <CodeInWords words={language === 'vi' ? (ERROR_MESSAGES_VI[v] ?? v) : label(v)} code={v} /> : t('unit.test.accepted')) },
                { title: t('unit.test.count'), dataIndex: 'count', key: 'count' },
              ]} />
            {(report.samples.taskResults.length > 0 || report.samples.kpiResults.length > 0) && (
              <Table<Sample | KpiSample> size="small" pagination={false} title={() => t('unit.test.samples')}
                rowKey={(s) => ('taskCode' in s ? `t:${s.taskCode}:${s.version}` : `k:${s.indicatorCode}:${s.period}:${s.version}`)}
                dataSource={[...report.samples.taskResults, ...report.samples.kpiResults]}
                columns={[
                  { title: t('unit.test.code'), key: 'code', render: (_: unknown, s) => ('taskCode' in s ? s.taskCode : `${s.indicatorCode} · ${s.period}`) },
                  { title: t('home.unit'), key: 'unit', render: (_: unknown, s) => ('taskCode' in s ? s.leadUnit : s.reportingAgency) },
                  { title: t('unit.list.state'), key: 'result', render: (_: unknown, s) => ('taskCode' in s ? label(s.result) : s.periodResult) },
                  { title: t('unit.test.version'), key: 'version', render: (_: unknown, s) => s.version },
                ]} />
            )}
          </Space>
        )}
      </Card>
      <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('unit.test.report')}</h2>}>
        {results ? (
          <Descriptions size="small" bordered column={1} items={(['functional', 'performance', 'security'] as const).map((area) => ({
            key: area,
            label: t(`unit.test.${area}`),
            children: <Space><Tag color={results[area].result === 'PASS' ? '#135200' : '#a8071a'}>{label(results[area].result)}</Tag>{results[area].notes}</Space>,
          }))} />
        ) : (
          <Typography.Text>{t('unit.test.noReport')}</Typography.Text>
        )}
        <Space direction="vertical" style={{ marginTop: 12 }}>
          {confirmation?.unitConfirmedAt && <Tag color="#135200" data-testid="unit-confirmed">{t('unit.test.unitConfirmed', { at: at(confirmation.unitConfirmedAt), by: confirmation.unitConfirmedBy })}</Tag>}
          {confirmation?.dtdConfirmedAt && <Tag color="#135200">{t('unit.test.dtdConfirmed', { at: at(confirmation.dtdConfirmedAt), by: confirmation.dtdConfirmedBy })}</Tag>}
        </Space>
        {!confirmation?.unitConfirmedAt && (
          <Form form={form} layout="vertical" onFinish={confirm} style={{ marginTop: 12 }}>
            <Form.Item name="notes" label={t('unit.test.notes')}><Input.TextArea rows={2} maxLength={5000} /></Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>{t('unit.test.confirm')}</Button>
          </Form>
        )}
        <div style={{ marginTop: 12 }}><FailureAlert error={error} onClose={() => setError(null)} /></div>
      </Card>
    </Space>
  );
}
