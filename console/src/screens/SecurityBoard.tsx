import { Alert, App, Button, Card, Drawer, Form, Input, Modal, Radio, Space, Spin, Table, Tag, Typography } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { api, call } from '../api/client';
import type { components } from '../api/schema';
import type { ConnectionView, IncidentView } from '../api/views';
import { failureText, stateLabel, useLabels } from '../i18n';
import { type CursorPage, PageButtons, useCursorPages } from '../shared/paging';
import { CLOCK_COLOURS, CLOCKS, clockStatus } from './incident-clocks';
import { formatDateTime } from '../shared/dates';
import { REASON_CODE_PATTERN, reasonLabel } from '../shared/reasons';
import { CodeInWords } from '../shared/CodeInWords';
import { useConfirm } from '../shared/confirm';
import { AgreementInForce } from '../shared/AgreementInForce';
import { useSearchParam } from '../shared/router';

// Opened from a row: loaded on demand.
const IncidentDetail = lazy(() => import('./security/IncidentDetail'));
const ConnectionTraffic = lazy(() => import('./security/ConnectionTraffic'));
const OpenIncidentDialog = lazy(() => import('./security/OpenIncidentDialog').then((m) => ({ default: m.OpenIncidentDialog })));


/** Where a security officer may cut a connection off (connection-lifecycle.ts, 'suspend'). */
const SUSPENDABLE = new Set(['TESTING', 'TEST_PASSED', 'GO_LIVE_SCHEDULED', 'LIVE', 'RETESTING']);
const STATE_COLOURS: Record<string, string> = { LIVE: '#135200', SUSPENDED: '#a8071a', TESTING: '#003a8c', RETESTING: '#003a8c', GO_LIVE_SCHEDULED: '#00474f' };

type Pending = { kind: 'suspend' | 'restore'; connection: ConnectionView } | null;
type Totals = components['schemas']['ConnectionTotalsView'];

const PAGE = 20;
/** The board is watched, not read once: each row's last hour is counted again this often. */
const TRAFFIC_REFRESH_MS = 30_000;

// Each table pages on the server: with 10,000 connections the board still loads 20 rows a table.
const suspendedPage = (cursor?: string) => call<CursorPage<ConnectionView>>(api.GET('/control/v1/connections', { params: { query: { state: 'SUSPENDED', limit: PAGE, cursor } } }));
type IncidentFilter = 'open' | 'closed' | 'all';
const OPEN_QUERY: Record<IncidentFilter, { open?: 'true' | 'false' }> = { open: { open: 'true' }, closed: { open: 'false' }, all: {} };

/** The security officer's board: connections, suspended ones, open incidents with their clocks. */
export default function SecurityBoard() {
  const { t, label, language } = useLabels();
  const { message, modal } = App.useApp();
  const confirm = useConfirm();
  // Found by words of its name or unit, or its id, among thousands (the server filters).
  const [words, setWords] = useState('');
  const connectionsPage = useCallback(
    (cursor?: string) => call<CursorPage<ConnectionView>>(api.GET('/control/v1/connections', { params: { query: { limit: PAGE, cursor, q: words || undefined } } })),
    [words],
  );
  const connections = useCursorPages(connectionsPage);
  const suspended = useCursorPages(suspendedPage);
  // Open incidents by default (what the officer on duty works on); closed ones, with their reviews, a click away.
  const [incidentFilter, setIncidentFilter] = useState<IncidentFilter>('open');
  const incidentsPage = useCallback(
    (cursor?: string) => call<CursorPage<IncidentView>>(api.GET('/control/v1/incidents', { params: { query: { ...OPEN_QUERY[incidentFilter], limit: PAGE, cursor } } })),
    [incidentFilter],
  );
  const incidents = useCursorPages(incidentsPage);
  const [traffic, setTraffic] = useState<Map<string, Totals>>(new Map());
  const [pending, setPending] = useState<Pending>(null);
  // The incident shown in the drawer is in the address (?incident=…), so it can be linked to;
  // opening and closing it replace the entry rather than add one.
  const [incidentId, setIncidentInAddress] = useSearchParam('incident');
  const [trafficOf, setTrafficOf] = useState<ConnectionView | null>(null);
  /** The incident being opened by hand: about this connection, or none (`connection: null`). */
  const [opening, setOpening] = useState<{ connection: ConnectionView | null } | null>(null);
  const showIncident = (id: string | null) => setIncidentInAddress(id, { replace: true });
  const [form] = Form.useForm();

  const { reload: reloadConnections } = connections;
  const { reload: reloadSuspended } = suspended;
  const { reload: reloadIncidents } = incidents;
  const load = useCallback(async () => {
    await Promise.all([reloadConnections(), reloadSuspended(), reloadIncidents()]);
  }, [reloadConnections, reloadSuspended, reloadIncidents]);

  // The last hour of every connection on screen, in one call, again every 30 s.
  const shownIds = [...new Set([...connections.items, ...suspended.items].map((c) => c.id))].join(',');
  const loadTraffic = useCallback(async () => {
    if (!shownIds) return;
    try {
      const totals = await call<components['schemas']['LastHourTotalsView']>(api.GET('/control/v1/traffic/last-hour', { params: { query: { connectionIds: shownIds } } }));
      setTraffic(new Map(totals.connections.map((c) => [c.connectionId, c])));
    } catch {
      // The figures stay as last counted; the next refresh tries again.
    }
  }, [shownIds]);
  useEffect(() => {
    void loadTraffic();
    const timer = setInterval(() => void loadTraffic(), TRAFFIC_REFRESH_MS);
    return () => clearInterval(timer);
  }, [loadTraffic]);
  const failure = connections.error ?? suspended.error ?? incidents.error;

  const open = (kind: 'suspend' | 'restore', connection: ConnectionView) => {
    form.resetFields();
    setPending({ kind, connection });
  };

  // The form first (reason), then a confirmation that names the connection: two deliberate steps.
  const submit = async (values: { reason?: string; reasonCode?: string; justification?: string }) => {
    const target = pending!;
    const confirmed = await confirm(
      target.kind === 'suspend' ? t('board.suspend') : t('board.restore'),
      t(target.kind === 'suspend' ? 'board.suspendConfirm' : 'board.restoreConfirm', { name: target.connection.name }),
      { danger: target.kind === 'suspend' },
    );
    if (!confirmed) return;
    try {
      const id = target.connection.id;
      if (target.kind === 'suspend') {
        await call(api.POST('/control/v1/connections/{id}/suspension', { params: { path: { id } }, body: { reason: values.reason!, reasonCode: values.reasonCode! } }));
        void message.success(t('board.suspendedOk'));
      } else {
        await call(api.POST('/control/v1/connections/{id}/restore-override', { params: { path: { id } }, body: { justification: values.justification! } }));
        void message.success(t('board.restoredOk'));
      }
      setPending(null);
      await load();
    } catch (error) {
      void modal.error({ title: t('errors.generic'), content: failureText(error, language, t('errors.generic')) });
    }
  };

  const lastHour = (key: 'calls' | 'rejected') => ({
    title: t(key === 'calls' ? 'board.callsLastHour' : 'board.refusedLastHour'),
    key,
    render: (_: unknown, c: ConnectionView) => <span data-testid={`${key}-last-hour`}>{traffic.get(c.id)?.[key] ?? '—'}</span>,
  });
  const connectionColumns = [
    { title: t('board.name'), dataIndex: 'name', key: 'name' },
    { title: t('board.unit'), dataIndex: 'ownerUnit', key: 'unit' },
    { title: t('board.state'), dataIndex: 'state', key: 'state', render: (s: string) => <Tag color={STATE_COLOURS[s] ?? '#434343'}>{stateLabel(s, language)}</Tag> },
    lastHour('calls'),
    lastHour('rejected'),
    {
      title: t('board.actions'),
      key: 'actions',
      render: (_: unknown, c: ConnectionView) => (
        <Space size={4}>
          <Button size="small" onClick={() => setTrafficOf(c)}>{t('traffic.open')}</Button>
          <Button size="small" onClick={() => setOpening({ connection: c })}>{t('board.openIncident')}</Button>
          {SUSPENDABLE.has(c.state) ? (
            <Button danger size="small" onClick={() => open('suspend', c)}>{t('board.suspend')}</Button>
          ) : c.state === 'SUSPENDED' ? (
            <Button size="small" onClick={() => open('restore', c)}>{t('board.restore')}</Button>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{t('board.title')}</Typography.Title>
      {failure ? <Alert role="alert" type="error" showIcon title={failureText(failure, language, t('errors.generic'))} /> : null}
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('board.incidents')}</h2>}>
        <Space wrap style={{ marginBottom: 12 }}>
          <Radio.Group optionType="button" size="small" aria-label={t('board.incidentFilter')} value={incidentFilter} onChange={(e) => setIncidentFilter(e.target.value as IncidentFilter)}
            options={(['open', 'closed', 'all'] as const).map((f) => ({ value: f, label: t(`board.incidentFilters.${f}`) }))} />
          {(['done', 'pending', 'soon', 'overdue'] as const).map((s) => <Tag key={s} color={CLOCK_COLOURS[s]}>{t(`board.legend.${s}`)}</Tag>)}
          <Button size="small" type="primary" onClick={() => setOpening({ connection: null })}>{t('board.openIncident')}</Button>
        </Space>
        <Table<IncidentView>
          rowKey="id"
          size="small"
          loading={incidents.loading}
          dataSource={incidents.items}
          pagination={false}
          locale={{ emptyText: <Typography.Text>{t('board.none')}</Typography.Text> }}
          data-testid="board-incidents"
          columns={[
            { title: t('board.opened'), dataIndex: 'openedAt', key: 'openedAt', render: (v: string) => formatDateTime(v) },
            {
              title: t('board.summary'),
              dataIndex: 'summary',
              key: 'summary',
              render: (v: string, incident: IncidentView) => (
                <Button type="link" style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left', color: '#003a8c' }} onClick={() => showIncident(incident.id)}>{v}</Button>
              ),
            },
            { title: t('board.severity'), dataIndex: 'severity', key: 'severity', render: (v: string | null) => (v ? label(v) : t('board.unclassified')) },
            {
              title: t('board.clocks'),
              key: 'clocks',
              render: (_: unknown, incident: IncidentView) => (incident.closedAt ? <span data-testid="incident-closed">{t('board.closedAt', { at: formatDateTime(incident.closedAt) })}</span> : (
                <Space wrap size={4}>
                  {CLOCKS.map((clock) => {
                    const status = clockStatus(incident, clock);
                    return (
                      <Tag key={clock} color={CLOCK_COLOURS[status]} data-clock={clock} data-status={status} title={formatDateTime(incident.deadlines[clock])}>
                        {t(`board.clock.${clock}`)}: {t(`board.legend.${status}`)}
                      </Tag>
                    );
                  })}
                </Space>
              )),
            },
          ]}
        />
        <PageButtons pages={incidents} label={t('board.incidents')} />
      </Card>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('board.suspended')}</h2>}>
        <Table<ConnectionView> rowKey="id" size="small" loading={suspended.loading} dataSource={suspended.items} pagination={false} locale={{ emptyText: <Typography.Text>{t('board.none')}</Typography.Text> }}
          data-testid="suspended"
          columns={[...connectionColumns.slice(0, 2), { title: t('board.reason'), dataIndex: 'suspensionReason', key: 'reason', render: (code: string | null) => (code ? <CodeInWords words={reasonLabel(code, language)} code={code} /> : '') }, ...connectionColumns.slice(3)]} />
        <PageButtons pages={suspended} label={t('board.suspended')} />
      </Card>
      <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('board.connections')}</h2>}>
        <Input.Search allowClear enterButton={t('board.find')} placeholder={t('board.findPlaceholder')} aria-label={t('board.findPlaceholder')} style={{ maxWidth: 480, marginBottom: 12 }}
          onSearch={(value) => setWords(value.trim())} />
        <Table<ConnectionView> rowKey="id" size="small" loading={connections.loading} dataSource={connections.items} pagination={false} columns={connectionColumns} data-testid="connections"
          locale={{ emptyText: <Typography.Text>{words ? t('board.noneFound', { words }) : t('board.none')}</Typography.Text> }} />
        <PageButtons pages={connections} label={t('board.connections')} />
      </Card>
      <Drawer open={incidentId !== null} onClose={() => showIncident(null)} title={t('incident.title')} width={720} destroyOnHidden closable={{ 'aria-label': t('incident.close') }}>
        <Suspense fallback={<Spin />}>{incidentId && <IncidentDetail incidentId={incidentId} onChanged={() => void load()} />}</Suspense>
      </Drawer>
      <Modal open={trafficOf !== null} onCancel={() => setTrafficOf(null)} footer={null} width={760} destroyOnHidden title={trafficOf ? t('traffic.title', { name: trafficOf.name }) : ''}>
        {/* The hour's calls, then the agreement they are judged against (quotas, source addresses). */}
        <Suspense fallback={<Spin />}>{trafficOf && <ConnectionTraffic connectionId={trafficOf.id} />}</Suspense>
        {trafficOf && <div style={{ marginTop: 16 }}><AgreementInForce connectionId={trafficOf.id} ended={trafficOf.state === 'TERMINATED'} /></div>}
      </Modal>
      {opening && (
        <Suspense fallback={null}>
          <OpenIncidentDialog
            connection={opening.connection}
            suspendable={opening.connection !== null && SUSPENDABLE.has(opening.connection.state)}
            onClose={() => setOpening(null)}
            onOpened={(incident) => {
              setOpening(null);
              void message.success(t('board.openedOk'));
              void load();
              showIncident(incident.id);
            }}
          />
        </Suspense>
      )}
      <Modal
        open={pending !== null}
        title={pending ? `${pending.kind === 'suspend' ? t('board.suspend') : t('board.restore')}: ${pending.connection.name}` : ''}
        okText={pending?.kind === 'suspend' ? t('board.suspend') : t('board.restore')}
        okButtonProps={{ danger: pending?.kind === 'suspend' }}
        cancelText={t('board.cancel')}
        onOk={() => form.submit()}
        onCancel={() => setPending(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ reasonCode: 'MANUAL_CUT_OFF' }}>
          {pending?.kind === 'suspend' ? (
            <>
              <Form.Item name="reason" label={t('board.suspendReason')} rules={[{ required: true, message: t('signIn.required') }]}>
                <Input.TextArea rows={3} />
              </Form.Item>
              <Form.Item name="reasonCode" label={t('board.reasonCode')} rules={[{ required: true, pattern: REASON_CODE_PATTERN, message: t('validation.reasonCode') }]}>
                <Input />
              </Form.Item>
            </>
          ) : (
            <Form.Item name="justification" label={t('board.restoreJustification')} rules={[{ required: true, message: t('signIn.required') }]}>
              <Input.TextArea rows={3} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Space>
  );
}
