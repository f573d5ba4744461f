import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Flex, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { stateLabel, useLabels } from '../../i18n';
import { AgreementAndTraffic } from './AgreementAndTraffic';
import { AssessmentDossier } from './AssessmentDossier';
import { Certificates } from './Certificates';
import { FailureAlert, fieldLabel } from '../../shared/failure';
import { RegisterConnection } from './RegisterConnection';
import { SecurityReports } from './SecurityReports';
import { reasonLabel } from '../../shared/reasons';
import { TestReconciliation } from './TestReconciliation';
import { STATE_COLOURS } from './UnitConnections';
import { formatDate, formatDateTime } from '../../shared/dates';
import { actorLabel, eventLabel } from '../../shared/history-labels';

type Connection = components['schemas']['ConnectionView'];
type Event = components['schemas']['ConnectionEventView'];
type EventPage = components['schemas']['ConnectionEventPage'];

/** One connection: its dossier and history, agreement in force and last hour's calls, certificates, test reconciliation, incidents and remediation. */
export function ConnectionDetail({ id, onBack }: { id: string; onBack: () => void }) {
  const { t, label, language } = useLabels();
  const [connection, setConnection] = useState<Connection | null>(null);
  const [history, setHistory] = useState<Event[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [tab, setTab] = useState('dossier');
  const [revising, setRevising] = useState(false);
  // Counts the loads: a tab that fetches its own data (the agreement, the last hour) follows them.
  const [loads, setLoads] = useState(0);

  const load = useCallback(async () => {
    try {
      const [c, h] = await Promise.all([
        call<Connection>(api.GET('/control/v1/connections/{id}', { params: { path: { id } } })),
        // Newest first: the latest step is what the unit looks for, however long the history.
        call<EventPage>(api.GET('/control/v1/connections/{id}/history', { params: { path: { id }, query: { limit: 50, order: 'newest' } } })),
      ]);
      setConnection(c);
      setHistory(h.items);
      setLoads((n) => n + 1);
    } catch (failure) {
      setError(failure);
    }
  }, [id]);
  useEffect(() => void load(), [load]);

  if (!connection) return error ? <FailureAlert error={error} /> : <Flex justify="center"><Spin /></Flex>;
  if (revising) return <RegisterConnection revise={connection} onCancel={() => setRevising(false)} onRegistered={() => { setRevising(false); void load(); }} />;
  const dossier = connection.dossier;
  const fieldName = (path: string) => fieldLabel(path, language);
  const at = (v: string | null | undefined) => formatDateTime(v) || '—';

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space>
        <Button icon={<ArrowLeftOutlined />} onClick={onBack}>{t('unit.common.back')}</Button>
        <Button icon={<ReloadOutlined />} onClick={() => void load()}>{t('unit.common.refresh')}</Button>
      </Space>
      <Flex gap={12} align="center" wrap>
        <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{connection.name}</Typography.Title>
        <Tag color={STATE_COLOURS[connection.state] ?? '#434343'} data-testid="connection-state">{stateLabel(connection.state, language)}</Tag>
      </Flex>
      {connection.state === 'RETURNED' && (
        <Alert type="warning" showIcon title={t('unit.detail.returnReason')} description={connection.returnReason}
          action={connection.dossier && <Button type="primary" onClick={() => setRevising(true)}>{t('unit.register.revise')}</Button>} />
      )}
      {connection.state === 'SUSPENDED' && <Alert type="error" showIcon title={t('unit.detail.suspension', { reason: reasonLabel(connection.suspensionReason, language) })} />}
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'dossier',
            label: t('unit.detail.tabs.dossier'),
            children: (
              <Space direction="vertical" size="middle" style={{ width: '100%' }}>
                <Descriptions bordered size="small" column={1} items={[
                  { key: 'unit', label: t('home.unit'), children: connection.ownerUnit },
                  { key: 'code', label: t('unit.list.unitCode'), children: connection.unitCode ?? '—' },
                  { key: 'account', label: t('unit.detail.technicalAccount'), children: <Typography.Text copyable>{connection.technicalAccount}</Typography.Text> },
                  // The dates the unit is held to (step 6, step 7's yearly re-evaluation, a remedy deadline).
                  ...(connection.goLiveDate ? [{ key: 'goLive', label: t('review.detail.goLiveDate'), children: formatDate(connection.goLiveDate) }] : []),
                  ...(connection.incidentContact ? [{ key: 'contact', label: t('review.detail.incidentContact'), children: `${connection.incidentContact.name} · ${connection.incidentContact.phone} · ${connection.incidentContact.email}` }] : []),
                  ...(connection.reEvaluationDue ? [{ key: 'reEvaluation', label: t('review.detail.reEvaluationDue'), children: formatDate(connection.reEvaluationDue) }] : []),
                  ...(connection.remedyDeadline ? [{ key: 'remedy', label: t('review.detail.remedyDeadline'), children: <strong data-testid="remedy-deadline">{formatDate(connection.remedyDeadline.due)}: {connection.remedyDeadline.findings}</strong> }] : []),
                  ...(dossier ? [
                    { key: 'system', label: fieldName('dossier.systemDescription'), children: dossier.systemDescription },
                    { key: 'scope', label: fieldName('dossier.dataScope'), children: dossier.dataScope },
                    { key: 'purpose', label: fieldName('dossier.purpose'), children: dossier.purpose },
                    { key: 'level', label: fieldName('dossier.securityLevel'), children: dossier.securityLevel },
                    { key: 'tech', label: t('unit.register.technical'), children: `${dossier.technicalContact.name} · ${dossier.technicalContact.email} · ${dossier.technicalContact.phone}` },
                    { key: 'biz', label: t('unit.register.business'), children: `${dossier.businessContact.name} · ${dossier.businessContact.email} · ${dossier.businessContact.phone}` },
                    ...(dossier.requestLetter ? [{ key: 'letter', label: t('unit.register.letter'), children: `${dossier.requestLetter.number}, ${formatDate(dossier.requestLetter.date)}, ${dossier.requestLetter.signedBy}` }] : []),
                  ] : []),
                ]} />
                <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('unit.detail.history')}</h2>}>
                  <Table<Event> rowKey="id" size="small" dataSource={history} pagination={{ pageSize: 10 }} data-testid="connection-history" columns={[
                    { title: t('unit.detail.when'), dataIndex: 'occurredAt', key: 'at', render: at },
                    { title: t('unit.detail.action'), dataIndex: 'action', key: 'action', render: (_: string, e: Event) => eventLabel(e, language) },
                    { title: t('unit.detail.transition'), key: 'states', render: (_: unknown, e: Event) => `${e.fromState ? `${stateLabel(e.fromState, language)} → ` : ''}${stateLabel(e.toState, language)}` },
                    { title: t('unit.detail.who'), key: 'who', render: (_: unknown, e: Event) => (e.assistantName ? `${actorLabel(e.actorName, language)} (${e.assistantName})` : actorLabel(e.actorName, language)) },
                    { title: t('unit.detail.reason'), dataIndex: 'reason', key: 'reason', render: (v: string | null) => v ?? '' },
                  ]} />
                </Card>
              </Space>
            ),
          },
          { key: 'agreement', label: t('unit.detail.tabs.agreement'), children: <AgreementAndTraffic connection={connection} version={loads} /> },
          { key: 'certificates', label: t('unit.detail.tabs.certificates'), children: <Certificates connection={connection} onChanged={load} /> },
          { key: 'test', label: t('unit.detail.tabs.test'), children: <TestReconciliation connection={connection} onChanged={load} /> },
          {
            key: 'security',
            label: t('unit.detail.tabs.security'),
            children: (
              <Space direction="vertical" size="middle" style={{ width: '100%' }}>
                <SecurityReports connection={connection} onChanged={load} />
                <AssessmentDossier connection={connection} version={loads} onChanged={load} />
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );

}
