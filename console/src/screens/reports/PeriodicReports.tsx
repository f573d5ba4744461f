import { Alert, Button, Card, Descriptions, Form, Input, Select, Space, Spin, Table, Tabs, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { useLabels } from '../../i18n';
import { FailureAlert } from '../../shared/failure';
import { PageButtons, useCursorPages } from '../../shared/paging';
import { formatDate, formatDateTime, todayInVietnam } from '../../shared/dates';
import { useSearchParam } from '../../shared/router';
import { useFormSubmit } from '../../shared/form-submit';
import { displayRow, SECTION_KEYS, SECTIONS, type SectionKey } from '../../../../src/reports/report-sections';

type Report = components['schemas']['PeriodicReportView'];
type Scheduled = components['schemas']['ScheduledReportView'];
type Query = { period: string; unit?: string; dataSet?: 'task-results' | 'kpi-results'; environment: 'production' | 'test' };

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * The periods a person picks, newest first: this year's and last year's quarters, halves and
 * years that have begun (a period still running reports what happened so far; none in the future).
 */
function recentPeriods(): { periods: string[]; current: string } {
  const today = todayInVietnam();
  const year = Number(today.slice(0, 4));
  const quarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  const begun = (p: string) => {
    const [y, part] = p.split('-');
    if (Number(y) < year || !part) return true;
    return part.startsWith('Q') ? Number(part[1]) <= quarter : part === 'H1' || quarter >= 3;
  };
  const periods = [year, year - 1].flatMap((y) => [`${y}-Q4`, `${y}-Q3`, `${y}-H2`, `${y}-Q2`, `${y}-Q1`, `${y}-H1`, String(y)]).filter(begun);
  return { periods, current: `${year}-Q${quarter}` };
}

/** The address of a report as a file: the same query, a workbook (a plain GET: the session cookie goes with it). */
function fileUrl(path: string, query: Record<string, string | undefined>): string {
  const search = new URLSearchParams(Object.entries({ ...query, format: 'xlsx' }).filter((e): e is [string, string] => Boolean(e[1])));
  return `${path}?${search}`;
}

/**
 * Periodic reports (Appendix I step 8; III.1.e) for the DTD and inspectors: a period's report built
 * on demand, or a quarter's as the gateway produced it on its own, read here in the workbook's own
 * sections and headings (report-sections.ts, one definition for both) and downloaded as XLSX.
 * Only approved results are counted: the records section says how many were reported and how many
 * the Standing Agency approved.
 */
export default function PeriodicReports() {
  const { t } = useLabels();
  // A scheduled report named in the address (?report=…, the DTD inbox's link) opens on its tab.
  const [reportId, setReportId] = useSearchParam('report');
  const [tab, setTab] = useState(reportId ? 'scheduled' : 'build');
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{t('reports.title')}</Typography.Title>
      <Typography.Paragraph style={{ margin: 0 }}>{t('reports.intro')}</Typography.Paragraph>
      <Tabs activeKey={tab} onChange={setTab} items={[
        { key: 'build', label: t('reports.tabs.build'), children: <BuildReport /> },
        { key: 'scheduled', label: t('reports.tabs.scheduled'), children: <ScheduledReports openId={reportId} onOpen={(id) => setReportId(id, { replace: true })} /> },
      ]} />
    </Space>
  );
}

function BuildReport() {
  const { t, label } = useLabels();
  const [report, setReport] = useState<Report | null>(null);
  const [query, setQuery] = useState<Query | null>(null);
  const [form] = Form.useForm<Query>();
  const { periods, current } = recentPeriods();

  const { busy, error, setError, submit: build } = useFormSubmit(form, async (values: Query) => {
    const q = { ...values, unit: values.unit?.trim() || undefined };
    setReport(await call<Report>(api.GET('/control/v1/reports/periodic', { params: { query: { ...q, format: 'json' } } })));
    setQuery(q);
  });

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Form<Query> form={form} layout="inline" onFinish={build} initialValues={{ period: current, environment: 'production' }} aria-label={t('reports.build')}>
        <Form.Item name="period" label={t('reports.period')} rules={[{ required: true, message: t('review.form.required') }]}>
          <Select style={{ width: 140 }} options={periods.map((p) => ({ value: p, label: periodLabel(p, t) }))} />
        </Form.Item>
        <Form.Item name="unit" label={t('reports.unit')}><Input style={{ width: 240 }} placeholder={t('reports.anyUnit')} /></Form.Item>
        <Form.Item name="dataSet" label={t('reports.dataSet')}>
          <Select allowClear style={{ width: 200 }} placeholder={t('reports.anyDataSet')} options={(['task-results', 'kpi-results'] as const).map((v) => ({ value: v, label: label(v) }))} />
        </Form.Item>
        <Form.Item name="environment" label={t('reports.environment')}>
          <Select style={{ width: 200 }} options={(['production', 'test'] as const).map((v) => ({ value: v, label: label(v) }))} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>{t('reports.show')}</Button>
      </Form>
      {error ? <FailureAlert error={error} onClose={() => setError(null)} /> : null}
      {report && query && <ReportView report={report} fileHref={fileUrl('/control/v1/reports/periodic', query)} />}
    </Space>
  );
}

function ScheduledReports({ openId, onOpen }: { openId: string | null; onOpen: (id: string) => void }) {
  const { t } = useLabels();
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<unknown>(null);
  const fetchPage = useCallback((cursor?: string) => call<{ items: Scheduled[]; nextCursor: string | null }>(api.GET('/control/v1/reports/periodic/scheduled', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } })), []);
  const pages = useCursorPages(fetchPage);

  useEffect(() => {
    if (!openId) return;
    setReport(null);
    setError(null);
    // Only the answer for the report open now is shown (two quick clicks: the first may answer last).
    let current = true;
    void call<Report>(api.GET('/control/v1/reports/periodic/scheduled/{id}', { params: { path: { id: openId }, query: { format: 'json' } } }))
      .then((r) => current && setReport(r))
      .catch((failure) => current && setError(failure));
    return () => {
      current = false;
    };
  }, [openId]);
  const show = (s: Scheduled) => onOpen(s.id);
  const open = openId;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {pages.error ? <FailureAlert error={pages.error} /> : null}
      <Table<Scheduled> rowKey="id" size="small" pagination={false} loading={pages.loading} dataSource={pages.items} data-testid="scheduled-reports"
        locale={{ emptyText: <Typography.Text>{t('reports.noScheduled')}</Typography.Text> }}
        columns={[
          { title: t('reports.period'), key: 'period', render: (_: unknown, s) => <Button type="link" style={{ padding: 0, color: '#003a8c' }} onClick={() => show(s)}>{periodLabel(s.period, t)}</Button> },
          { title: t('reports.generatedAt'), dataIndex: 'createdAt', key: 'created', render: (v: string) => formatDateTime(v) },
        ]} />
      <PageButtons pages={pages} label={t('reports.tabs.scheduled')} />
      {error ? <FailureAlert error={error} /> : null}
      {open && !report && !error && <Spin />}
      {open && report && <ReportView report={report} fileHref={`/control/v1/reports/periodic/scheduled/${encodeURIComponent(open)}?format=xlsx`} />}
    </Space>
  );
}

/** A period's name in words: "Quý III/2026", "6 tháng đầu năm 2026", "Năm 2026". */
function periodLabel(period: string, t: (key: string, options?: Record<string, unknown>) => string): string {
  const [year, part] = period.split('-');
  if (!part) return t('reports.periods.year', { year });
  if (part.startsWith('Q')) return t('reports.periods.quarter', { roman: ['I', 'II', 'III', 'IV'][Number(part[1]) - 1], n: part[1], year });
  return t(part === 'H1' ? 'reports.periods.firstHalf' : 'reports.periods.secondHalf', { year });
}

/** One report: its facts, then each section as the workbook lays it out. */
function ReportView({ report, fileHref }: { report: Report; fileHref: string }) {
  const { t, label } = useLabels();
  const cell = (value: string | number | null) => (typeof value === 'string' && ISO_INSTANT.test(value) ? formatDateTime(value) : value ?? '—');
  return (
    <Card data-testid="periodic-report" title={<h2 style={{ fontSize: 16, margin: 0 }}>{report.title}</h2>}
      extra={<a href={fileHref} download style={{ color: '#003a8c', textDecoration: 'underline' }}>{t('reports.downloadXlsx')}</a>}>
      <Descriptions size="small" column={2} bordered items={[
        { key: 'period', label: t('reports.period'), children: `${/^\d{4}(-(Q[1-4]|H[12]))?$/.test(report.period.label) ? periodLabel(report.period.label, t) : report.period.label} (${formatDate(report.period.from)} – ${formatDate(report.period.to)})` },
        { key: 'generated', label: t('reports.generatedAt'), children: formatDateTime(report.generatedAt) },
        { key: 'environment', label: t('reports.environment'), children: label(report.environment) },
        { key: 'scope', label: t('reports.scope'), children: [report.unit, report.dataSet && label(report.dataSet)].filter(Boolean).join(', ') || t('reports.everything') },
      ]} />
      {report.notes.map((note) => <Alert key={note} type="info" showIcon style={{ marginTop: 12 }} title={note} />)}
      {SECTION_KEYS.map((key: SectionKey) => {
        const rows = report.sections[key] as unknown as Record<string, unknown>[];
        return (
          <div key={key} style={{ marginTop: 16 }} data-section={key}>
            <Typography.Title level={3} style={{ fontSize: 15 }}>{SECTIONS[key].sheet}</Typography.Title>
            <Table size="small" pagination={rows.length > 20 ? { pageSize: 20 } : false} scroll={{ x: true }}
              rowKey={(_, i) => String(i)}
              dataSource={rows.map((row) => displayRow(key, row))}
              locale={{ emptyText: <Typography.Text>{t('reports.noRows')}</Typography.Text> }}
              columns={SECTIONS[key].columns.map((c, i) => ({ title: c.header, key: c.key, render: (_: unknown, values: Array<string | number | null>) => cell(values[i]) }))} />
          </div>
        );
      })}
    </Card>
  );
}
