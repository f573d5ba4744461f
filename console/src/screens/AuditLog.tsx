import { Alert, AutoComplete, Button, Card, DatePicker, Descriptions, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, call } from '../api/client';
import type { components, paths } from '../api/schema';
import { ACTION_LABELS_VI } from '../../../src/shared/i18n/actions.vi';
import { failureText, useLabels } from '../i18n';
import { formatDateTime } from '../shared/dates';
import { AuditEntryDetails } from './AuditEntryDetails';
import { checkedSpan, VerificationLimits } from './AuditVerificationLimits';

type Entry = components['schemas']['AuditEntryDto'];
type Page = components['schemas']['AuditEntryPageDto'];
type Verification = components['schemas']['AuditVerificationDto'];
type Query = NonNullable<paths['/control/v1/audit/entries']['get']['parameters']['query']>;

interface Filters {
  requestId?: string;
  connectionId?: string;
  actor?: string;
  action?: string;
  plane?: 'data' | 'control';
  outcome?: 'success' | 'rejected' | 'failed';
  range?: [Dayjs | null, Dayjs | null] | null;
}

const PAGE_SIZE = 50;

/** An action in words (Vietnamese), or its code (English, and any action the table does not know). */
function actionLabel(action: string, language: string): string {
  return language === 'vi' ? (ACTION_LABELS_VI[action] ?? action) : action;
}
/** The picked time range as the API's `from` and `to` (either end may be open). */
function rangeQuery(range: Filters['range']): { from?: string; to?: string } {
  return { from: range?.[0]?.toISOString(), to: range?.[1]?.toISOString() };
}

/** A UUID as people paste it (spaces around it are trimmed before the search). */
const PASTED_UUID = /^\s*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\s*$/i;
const OUTCOME_COLOURS: Record<string, string> = { success: '#135200', rejected: '#873800', failed: '#a8071a' };

/** The auditor's search (filters and cursor paging done by the server) and the integrity check. */
export default function AuditLog() {
  const { t, label, language } = useLabels();
  const [query, setQuery] = useState<Query>({ limit: PAGE_SIZE });
  // Cursors of the pages before this one: "next" pushes, "first" clears (the API pages forward only).
  const [cursors, setCursors] = useState<string[]>([]);
  const [page, setPage] = useState<Page | null>(null);
  const [verification, setVerification] = useState<Verification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'search' | 'verify' | null>(null);
  // Verify and Export check the range picked now, not the last search's: an auditor who picks a
  // month and verifies must get that month's answer, not the whole log's.
  const [form] = Form.useForm<Filters>();
  const picked = rangeQuery(Form.useWatch('range', form));

  const fetchPage = async (q: Query, cursor?: string) => {
    setBusy('search');
    setError(null);
    try {
      setPage(await call<Page>(api.GET('/control/v1/audit/entries', { params: { query: { ...q, cursor } } })));
    } catch (failure) {
      setError(failureText(failure, language, t('errors.generic')));
    } finally {
      setBusy(null);
    }
  };

  const search = (f: Filters) => {
    const q: Query = {
      limit: PAGE_SIZE,
      requestId: f.requestId?.trim() || undefined,
      connectionId: f.connectionId?.trim() || undefined,
      actor: f.actor?.trim() || undefined,
      action: f.action?.trim() || undefined,
      plane: f.plane,
      outcome: f.outcome,
      ...rangeQuery(f.range),
    };
    setQuery(q);
    setCursors([]);
    void fetchPage(q);
  };

  const verify = async () => {
    setBusy('verify');
    setError(null);
    try {
      setVerification(await call<Verification>(api.GET('/control/v1/audit/verification', { params: { query: picked } })));
    } catch (failure) {
      setError(failureText(failure, language, t('errors.generic')));
    } finally {
      setBusy(null);
    }
  };

  const next = () => {
    if (!page?.nextCursor) return;
    setCursors([...cursors, page.nextCursor]);
    void fetchPage(query, page.nextCursor);
  };

  // The extract of the picked time range (whole checkpoints), verifiable offline by the CLI.
  const exportHref = `/control/v1/audit/export?${new URLSearchParams({ ...(picked.from ? { from: picked.from } : {}), ...(picked.to ? { to: picked.to } : {}) })}`;
  const any = t('audit.any');
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{t('audit.title')}</Typography.Title>
      {error && <Alert role="alert" type="error" showIcon title={error} />}
      <Card>
        <Form<Filters> form={form} layout="inline" onFinish={search} aria-label={t('audit.search')} style={{ rowGap: 12 }}>
          {/* The id a caller quotes from an answer (X-Request-Id, an error's requestId): finds that one call. */}
          <Form.Item name="requestId" label={t('audit.requestId')} rules={[{ pattern: PASTED_UUID, message: t('validation.uuid') }]}><Input allowClear style={{ width: 300 }} /></Form.Item>
          <Form.Item name="connectionId" label={t('audit.connectionId')} rules={[{ pattern: PASTED_UUID, message: t('validation.uuid') }]}><Input allowClear style={{ width: 300 }} /></Form.Item>
          <Form.Item name="actor" label={t('audit.actor')}><Input allowClear /></Form.Item>
          {/* The log is searched by the action's code; the choices show each in words (typing a code still works). */}
          <Form.Item name="action" label={t('audit.action')}>
            <AutoComplete
              allowClear
              style={{ width: 320 }}
              placeholder="connections.suspend"
              options={Object.keys(ACTION_LABELS_VI).sort().map((a) => ({ value: a, label: language === 'vi' ? `${ACTION_LABELS_VI[a]} (${a})` : a }))}
              filterOption={(input, option) => `${option?.value ?? ''} ${String(option?.label ?? '')}`.toLowerCase().includes(input.toLowerCase())}
            />
          </Form.Item>
          <Form.Item name="plane" label={t('audit.plane')}>
            <Select allowClear placeholder={any} style={{ width: 200 }} options={['control', 'data'].map((v) => ({ value: v, label: label(v) }))} />
          </Form.Item>
          <Form.Item name="outcome" label={t('audit.outcome')}>
            <Select allowClear placeholder={any} style={{ width: 160 }} options={['success', 'rejected', 'failed'].map((v) => ({ value: v, label: label(v) }))} />
          </Form.Item>
          <Form.Item name="range" label={t('audit.range')}><DatePicker.RangePicker showTime format="DD/MM/YYYY HH:mm" /></Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={busy === 'search'}>{t('audit.search')}</Button>
            <Button onClick={verify} loading={busy === 'verify'}>{t('audit.verify')}</Button>
            {/* A plain GET with the session cookie: the browser saves the stream under the gateway's file name. */}
            <Button href={exportHref} download data-testid="audit-export">{t('audit.export')}</Button>
          </Space>
        </Form>
      </Card>
      {verification && (
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('audit.verify')}</h2>} data-testid="verification">
          {/* "Signatures match" only when a checkpoint was there to check: an auditor quotes this. */}
          {verification.ok ? (
            <Alert type="success" showIcon title={verification.checkpointsChecked > 0 ? t('audit.ok') : t('audit.okUnsealed', { count: verification.entriesChecked })} />
          ) : (
            <Alert type="error" showIcon title={t('audit.broken')} description={t('audit.brokenAdvice')} />
          )}
          <VerificationLimits verification={verification} />
          <Descriptions size="small" column={1} style={{ marginTop: 12 }} items={[
            { key: 'span', label: t('audit.checkedSpan'), children: <span data-testid="checked-span">{checkedSpan(verification, t)}</span> },
            { key: 'entries', label: t('audit.entriesChecked'), children: verification.entriesChecked },
            { key: 'checkpoints', label: t('audit.checkpointsChecked'), children: verification.checkpointsChecked },
            { key: 'unsealed', label: t('audit.unsealed'), children: verification.unsealedEntries },
            { key: 'keys', label: t('audit.trustedKeys'), children: verification.trustedKeyIds.join(', ') || '—' },
            ...(verification.firstMismatch
              ? [{ key: 'first', label: t('audit.firstMismatch'), children: (
                  <Space direction="vertical" size={0}>
                    <span data-testid="first-mismatch">{t('audit.seq')} {verification.firstMismatch.seq}: {label(verification.firstMismatch.kind)}</span>
                    {/* The verifier's own words (English, with the hashes): for the technical staff and the offline check. */}
                    <Typography.Text type="secondary">{t('audit.technical')}: <span lang="en">{verification.firstMismatch.message}</span></Typography.Text>
                  </Space>
                ) }]
              : []),
          ]} />
        </Card>
      )}
      <Table<Entry>
        rowKey="seq"
        size="small"
        loading={busy === 'search'}
        dataSource={page?.entries ?? []}
        pagination={false}
        locale={{ emptyText: <Typography.Text>{page ? t('audit.empty') : t('audit.prompt')}</Typography.Text> }}
        data-testid="audit-entries"
        expandable={{ expandedRowRender: (e) => <AuditEntryDetails entry={e} /> }}
        columns={[
          { title: t('audit.seq'), dataIndex: 'seq', key: 'seq' },
          { title: t('audit.at'), dataIndex: 'occurredAt', key: 'at', render: (v: string) => formatDateTime(v, { seconds: true }) },
          { title: t('audit.plane'), dataIndex: 'plane', key: 'plane', render: (v: string) => label(v) },
          { title: t('audit.actor'), key: 'actor', render: (_: unknown, e: Entry) => e.actor?.username ?? '' },
          { title: t('audit.action'), key: 'action', render: (_: unknown, e: Entry) => (e.action ? <span title={e.action}>{actionLabel(e.action, language)}</span> : `${e.method} ${e.path}`) },
          { title: t('audit.status'), dataIndex: 'statusCode', key: 'status' },
          { title: t('audit.outcome'), dataIndex: 'outcome', key: 'outcome', render: (v: string) => <Tag color={OUTCOME_COLOURS[v]}>{label(v)}</Tag> },
        ]}
      />
      <Space>
        <Button disabled={cursors.length === 0} onClick={() => { setCursors([]); void fetchPage(query); }}>{t('audit.first')}</Button>
        <Button disabled={!page?.nextCursor} onClick={next}>{t('audit.next')}</Button>
      </Space>
    </Space>
  );
}
