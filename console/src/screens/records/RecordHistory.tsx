import { Alert, Button, Card, Form, Input, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { useLabels } from '../../i18n';
import { FailureAlert } from '../../shared/failure';
import { formatDateTime } from '../../shared/dates';
import { PageButtons, useCursorPages } from '../../shared/paging';
import { navigate, useSearchParam } from '../../shared/router';
import { useFieldName, VersionBody } from './VersionBody';

type Version = components['schemas']['RecordVersionView'];
type Page = components['schemas']['RecordVersionPage'];
type DataSet = Version['dataSet'];

interface Search {
  dataSet: DataSet;
  environment: 'production' | 'test';
  code: string;
  period?: string;
  agency?: string;
  order: 'newest' | 'oldest';
}

const PAGE_SIZE = 20;
const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** The search in the address (`?dataSet=…&code=…`, or `?requestId=…` from an audit entry), so that Back, reload and links work. */
function useSearch() {
  const values = {
    dataSet: useSearchParam('dataSet')[0],
    environment: useSearchParam('environment')[0],
    code: useSearchParam('code')[0],
    period: useSearchParam('period')[0],
    agency: useSearchParam('agency')[0],
    order: useSearchParam('order')[0],
    requestId: useSearchParam('requestId')[0],
  };
  const search: Search | null = values.code && (values.dataSet === 'task-results' || values.dataSet === 'kpi-results')
    ? {
        dataSet: values.dataSet,
        environment: values.environment === 'test' ? 'test' : 'production',
        code: values.code,
        period: values.period ?? undefined,
        agency: values.agency ?? undefined,
        order: values.order === 'oldest' ? 'oldest' : 'newest',
      }
    : null;
  return { search, requestId: values.requestId };
}

/**
 * IV.6, disputes over data: the DTD and auditors read what a record said at each accepted change,
 * which connection's call made it and when, and what it changed; or every version one call wrote
 * (opened from its audit entry). Read only; each search is an audit entry.
 */
export default function RecordHistory() {
  const { t, label } = useLabels();
  const { search, requestId } = useSearch();
  const [form] = Form.useForm<Search>();
  const chosen = Form.useWatch('dataSet', form) ?? search?.dataSet ?? 'task-results';
  const key = JSON.stringify([search, requestId]);

  const fetchPage = useCallback(
    async (cursor?: string): Promise<Page> => {
      if (requestId) return call<Page>(api.GET('/control/v1/record-versions', { params: { query: { requestId, cursor, limit: PAGE_SIZE } } }));
      if (!search) return { items: [], nextCursor: null };
      const query = { environment: search.environment, order: search.order, cursor, limit: PAGE_SIZE };
      if (search.dataSet === 'task-results') {
        return call<Page>(api.GET('/control/v1/records/task-results/{taskCode}/versions', { params: { path: { taskCode: search.code }, query } }));
      }
      return call<Page>(api.GET('/control/v1/records/kpi-results/{indicatorCode}/{period}/versions', {
        params: { path: { indicatorCode: search.code, period: search.period ?? '' }, query: { ...query, reportingAgencyCode: search.agency } },
      }));
    },
    // Keyed by the search's values, not its object: a new object each render must not start a new search.
    [key],
  );
  const pages = useCursorPages(fetchPage);

  const submit = (values: Search) => {
    const params = new URLSearchParams({ dataSet: values.dataSet, environment: values.environment, code: values.code.trim(), order: values.order });
    if (values.dataSet === 'kpi-results') {
      params.set('period', (values.period ?? '').trim());
      if (values.agency?.trim()) params.set('agency', values.agency.trim());
    }
    navigate(`${window.location.pathname}?${params}`);
  };
  const recordOf = (v: Version) => `${label(v.dataSet)} ${Object.values(v.key).filter(Boolean).join(' / ')}`;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{t('recordHistory.title')}</Typography.Title>
      <Typography.Paragraph style={{ margin: 0 }}>{t('recordHistory.intro')}</Typography.Paragraph>
      <Card>
        <Form<Search>
          key={key}
          form={form}
          layout="inline"
          style={{ rowGap: 12 }}
          aria-label={t('recordHistory.search')}
          initialValues={search ?? { dataSet: 'task-results', environment: 'production', order: 'newest' }}
          onFinish={submit}
        >
          <Form.Item name="dataSet" label={t('recordHistory.dataSet')}>
            <Select style={{ width: 260 }} options={(['task-results', 'kpi-results'] as const).map((v) => ({ value: v, label: label(v) }))} />
          </Form.Item>
          <Form.Item name="environment" label={t('recordHistory.environment')}>
            <Select style={{ width: 220 }} options={(['production', 'test'] as const).map((v) => ({ value: v, label: label(v) }))} />
          </Form.Item>
          <Form.Item name="code" label={t(chosen === 'task-results' ? 'recordHistory.taskCode' : 'recordHistory.indicatorCode')} rules={[{ required: true, message: t('recordHistory.codeRequired') }, { pattern: CODE, message: t('recordHistory.codeShape') }]}>
            <Input allowClear style={{ width: 200 }} placeholder={chosen === 'task-results' ? '012_TBKL_NQ57' : 'A.02.01'} />
          </Form.Item>
          {chosen === 'kpi-results' && (
            <>
              <Form.Item name="period" label={t('recordHistory.period')} rules={[{ required: true, message: t('recordHistory.periodRequired') }, { pattern: CODE, message: t('recordHistory.codeShape') }]}>
                <Input allowClear style={{ width: 120 }} placeholder="2026-Q2" />
              </Form.Item>
              <Form.Item name="agency" label={t('recordHistory.agency')} tooltip={t('recordHistory.agencyHelp')}>
                <Input allowClear style={{ width: 140 }} />
              </Form.Item>
            </>
          )}
          <Form.Item name="order" label={t('recordHistory.order')}>
            <Radio.Group optionType="button" options={[{ value: 'newest', label: t('recordHistory.newest') }, { value: 'oldest', label: t('recordHistory.oldest') }]} />
          </Form.Item>
          <Button type="primary" htmlType="submit">{t('recordHistory.search')}</Button>
        </Form>
      </Card>
      {requestId && (
        <Alert
          type="info"
          showIcon
          title={t('recordHistory.byRequest', { requestId })}
          action={<Button size="small" onClick={() => navigate(window.location.pathname)}>{t('recordHistory.clear')}</Button>}
        />
      )}
      <FailureAlert error={pages.error} />
      <Table<Version>
        rowKey={(v) => `${v.dataSet}/${v.environment}/${Object.values(v.key).join('/')}/${v.version}`}
        size="small"
        loading={pages.loading}
        dataSource={pages.items}
        pagination={false}
        data-testid="record-versions"
        locale={{ emptyText: <Typography.Text>{search || requestId ? t('recordHistory.empty') : t('recordHistory.prompt')}</Typography.Text> }}
        expandable={{ expandedRowRender: (v) => <VersionBody version={v} /> }}
        columns={[
          ...(requestId ? [{ title: t('recordHistory.record'), key: 'record', render: (_: unknown, v: Version) => recordOf(v) }] : []),
          { title: t('recordHistory.version'), dataIndex: 'version', key: 'version' },
          { title: t('recordHistory.change'), dataIndex: 'change', key: 'change', render: (c: string) => label(c) },
          { title: t('recordHistory.at'), dataIndex: 'recordedAt', key: 'at', render: (at: string) => formatDateTime(at, { seconds: true }) },
          {
            title: t('recordHistory.connection'),
            key: 'connection',
            render: (_: unknown, v: Version) => (
              <Space direction="vertical" size={0}>
                <span>{v.connection.name ?? v.connection.id}</span>
                {v.connection.ownerUnit && <Typography.Text type="secondary">{v.connection.ownerUnit}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t('recordHistory.changed'),
            key: 'changed',
            render: (_: unknown, v: Version) =>
              v.changedFields === null ? t('recordHistory.firstVersion') : <ChangedFields dataSet={v.dataSet} fields={v.changedFields} />,
          },
        ]}
      />
      <PageButtons pages={pages} label={t('recordHistory.title')} />
    </Space>
  );
}

/** The fields a change touched, in words. */
function ChangedFields({ dataSet, fields }: { dataSet: DataSet; fields: string[] }) {
  const { t } = useLabels();
  const name = useFieldName(dataSet);
  if (fields.length === 0) return <Typography.Text type="secondary">{t('recordHistory.nothingChanged')}</Typography.Text>;
  return <Space size={[4, 4]} wrap>{fields.map((f) => <Tag key={f}>{name(f)}</Tag>)}</Space>;
}

