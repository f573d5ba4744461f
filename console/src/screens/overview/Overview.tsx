import { Alert, Button, Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { failureText, stateLabel, useLabels } from '../../i18n';
import { StackedBars } from './StackedBars';
import { formatDate, formatTime } from '../../shared/dates';
import { DEADLINE_COLOURS } from '../../shared/colours';

type OverviewData = components['schemas']['OverviewView'];
type UnitDeadlines = components['schemas']['UnitDeadlinesView'];
type DeadlinePage = components['schemas']['UnitDeadlinesPage'];
type UnitVolume = components['schemas']['UnitVolumeView'];

const SEVERITY_COLOURS: Record<string, string> = { SERIOUS: '#a8071a', MEDIUM: '#874d00', WARNING: '#614700', INFORMATION: '#003a8c' };
const PAGE_SIZE = 20;

/** A labelled bar per row: plain blocks, readable as text (label and count) without the bar. */
function Bars({ rows, colour }: { rows: Array<{ key: string; label: string; value: number; note?: string }>; colour: (key: string) => string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={6}>
      {rows.map((r) => (
        <div key={r.key} data-row={r.key} style={{ display: 'grid', gridTemplateColumns: '220px 1fr 90px', alignItems: 'center', gap: 8 }}>
          <Typography.Text>{r.label}</Typography.Text>
          <div aria-hidden style={{ height: 12, background: '#f0f0f0' }}>
            <div style={{ width: `${(r.value / max) * 100}%`, height: '100%', background: colour(r.key) }} />
          </div>
          <Typography.Text strong data-testid={`count-${r.key}`}>{r.value}{r.note ? ` (${r.note})` : ''}</Typography.Text>
        </div>
      ))}
    </Space>
  );
}

/** Connections, incidents and traffic at a glance, and each unit's deadlines (III.1.đ). */
export default function Overview() {
  const { t, label, language } = useLabels();
  const [data, setData] = useState<OverviewData | null>(null);
  const [page, setPage] = useState<DeadlinePage | null>(null);
  const [cursors, setCursors] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  const loadDeadlines = useCallback(async (cursor?: string) => {
    try {
      setPage(await call<DeadlinePage>(api.GET('/control/v1/overview/unit-deadlines', { params: { query: { limit: PAGE_SIZE, cursor } } })));
    } catch (failure) {
      setError(failureText(failure, language, t('errors.generic')));
    }
  }, [language, t]);

  useEffect(() => {
    void (async () => {
      try {
        setData(await call<OverviewData>(api.GET('/control/v1/overview')));
      } catch (failure) {
        setError(failureText(failure, language, t('errors.generic')));
      }
    })();
    void loadDeadlines();
  }, [language, loadDeadlines, t]);

  const count = (state: string) => data?.connectionsByState.find((s) => s.state === state)?.count ?? 0;
  const traffic = (data?.trafficByHour ?? []).reduce((a, h) => ({ success: a.success + h.success, rejected: a.rejected + h.rejected, failed: a.failed + h.failed }), { success: 0, rejected: 0, failed: 0 });
  const openIncidents = (data?.incidentsBySeverity ?? []).reduce((n, s) => n + s.open, 0);
  const days = (u: UnitDeadlines) => (u.workingDaysLeft < 0 ? t('overview.daysLate', { count: -u.workingDaysLeft }) : u.workingDaysLeft === 0 ? t('overview.dueToday') : t('overview.daysLeftValue', { count: u.workingDaysLeft }));
  const heading = (text: string) => <h2 style={{ fontSize: 16, margin: 0 }}>{text}</h2>;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{t('overview.title')}</Typography.Title>
      {error && <Alert role="alert" type="error" showIcon title={error} />}
      <Row gutter={16}>
        {[
          ['live', t('overview.live'), count('LIVE')],
          ['suspended', t('overview.suspended'), count('SUSPENDED')],
          ['incidents', t('overview.openIncidents'), openIncidents],
          ['calls', t('overview.calls24h'), traffic.success + traffic.rejected + traffic.failed],
          ['refused', t('overview.refused24h'), traffic.rejected],
        ].map(([key, title, value]) => (
          <Col key={key as string} flex="1"><Card size="small" data-testid={`stat-${key}`}><Statistic title={title} value={value as number} loading={!data} /></Card></Col>
        ))}
      </Row>
      <Row gutter={16}>
        <Col span={12}>
          <Card title={heading(t('overview.connections'))} loading={!data}>
            <Bars rows={(data?.connectionsByState ?? []).map((s) => ({ key: s.state, label: stateLabel(s.state, language), value: s.count }))} colour={(k) => (k === 'SUSPENDED' ? '#a8071a' : k === 'LIVE' ? '#135200' : '#003a8c')} />
          </Card>
        </Col>
        <Col span={12}>
          <Space direction="vertical" size="large" style={{ width: '100%' }}>
            <Card title={heading(t('overview.incidents'))} loading={!data}>
              <Bars
                rows={(data?.incidentsBySeverity ?? []).map((s) => ({ key: s.severity ?? 'UNCLASSIFIED', label: s.severity ? label(s.severity) : t('overview.unclassified'), value: s.open, note: s.overdue ? t('overview.overdue', { count: s.overdue }) : undefined }))}
                colour={(k) => SEVERITY_COLOURS[k] ?? '#434343'}
              />
            </Card>
            <Card title={heading(t('overview.traffic'))} loading={!data}>
              <StackedBars
                buckets={(data?.trafficByHour ?? []).map((h) => ({ label: `${formatDate(h.at).slice(0, 5)} ${formatTime(h.at)}`, success: h.success, rejected: h.rejected, failed: h.failed }))}
                summary={t('overview.chartLabel', { title: t('overview.traffic'), summary: t('traffic.summary', { calls: traffic.success + traffic.rejected + traffic.failed, rejected: traffic.rejected, failed: traffic.failed }) })}
                legend={{ success: t('traffic.success'), rejected: t('traffic.rejected'), failed: t('traffic.failed') }}
              />
            </Card>
          </Space>
        </Col>
      </Row>
      <Card title={heading(t('overview.volumes'))}>
        <Table<UnitVolume>
          rowKey={(v) => `${v.unit}|${v.dataSet}`}
          size="small"
          loading={!data}
          dataSource={data?.volumesByUnit ?? []}
          pagination={false}
          data-testid="unit-volumes"
          locale={{ emptyText: <Typography.Text>{t('overview.noVolumes')}</Typography.Text> }}
          columns={[
            { title: t('overview.unit'), dataIndex: 'unit', key: 'unit' },
            { title: t('overview.dataSet'), dataIndex: 'dataSet', key: 'dataSet', render: (d: string) => label(d) },
            { title: t('overview.writes'), dataIndex: 'writes', key: 'writes' },
            { title: t('overview.reads'), dataIndex: 'reads', key: 'reads' },
            { title: t('overview.refused'), dataIndex: 'rejected', key: 'rejected' },
          ]}
        />
      </Card>
      <Card title={heading(t('overview.deadlines'))}>
        <Typography.Paragraph>{t('overview.deadlinesHint')}</Typography.Paragraph>
        <Table<UnitDeadlines>
          rowKey="unit"
          size="small"
          loading={!page}
          dataSource={page?.items ?? []}
          pagination={false}
          data-testid="unit-deadlines"
          locale={{ emptyText: <Typography.Text>{t('overview.noTasks')}</Typography.Text> }}
          columns={[
            { title: t('overview.unit'), dataIndex: 'unit', key: 'unit' },
            { title: t('overview.colour'), dataIndex: 'colour', key: 'colour', render: (c: string) => <Tag color={DEADLINE_COLOURS[c]} data-colour={c}>{label(c)}</Tag> },
            { title: t('overview.daysLeft'), key: 'days', render: (_: unknown, u: UnitDeadlines) => <Typography.Text strong={u.workingDaysLeft < 0}>{days(u)}</Typography.Text> },
            { title: t('overview.nearest'), dataIndex: 'nearestDueDate', key: 'nearest', render: (d: string) => formatDate(d) },
            { title: t('overview.overdueTasks'), dataIndex: 'overdue', key: 'overdue' },
            { title: t('overview.dueSoon'), dataIndex: 'dueSoon', key: 'dueSoon' },
            { title: t('overview.onTime'), dataIndex: 'onTime', key: 'onTime' },
          ]}
        />
        <Space style={{ marginTop: 12 }}>
          <Button disabled={cursors.length === 0} onClick={() => { setCursors([]); void loadDeadlines(); }}>{t('audit.first')}</Button>
          <Button disabled={!page?.nextCursor} onClick={() => { setCursors([...cursors, page!.nextCursor!]); void loadDeadlines(page!.nextCursor!); }}>{t('audit.next')}</Button>
        </Space>
      </Card>
    </Space>
  );
}
