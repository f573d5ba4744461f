import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { stateLabel, useLabels } from '../../i18n';
import { ConnectionDetail } from './ConnectionDetail';
import { FailureAlert } from '../../shared/failure';
import { RegisterConnection } from './RegisterConnection';
import { formatDateTime } from '../../shared/dates';

type Connection = components['schemas']['ConnectionView'];
type Page = components['schemas']['ConnectionPage'];

export const STATE_COLOURS: Record<string, string> = {
  LIVE: '#135200',
  SUSPENDED: '#a8071a',
  RETURNED: '#873800',
  TESTING: '#003a8c',
  RETESTING: '#003a8c',
  TEST_PASSED: '#00474f',
  GO_LIVE_SCHEDULED: '#00474f',
  TERMINATED: '#434343',
};
const PAGE_SIZE = 20;

type View = { kind: 'list' } | { kind: 'register' } | { kind: 'detail'; id: string };

/**
 * The unit administrator's connections (the API shows only the unit's own), one page at a time;
 * from here a new connection is registered and each one followed step by step.
 */
export default function UnitConnections() {
  const { t, label, language } = useLabels();
  const [view, setView] = useState<View>({ kind: 'list' });
  const [cursors, setCursors] = useState<string[]>([]);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async (cursor?: string) => {
    setLoading(true);
    setError(null);
    try {
      setPage(await call<Page>(api.GET('/control/v1/connections', { params: { query: { limit: PAGE_SIZE, cursor } } })));
    } catch (failure) {
      setError(failure);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    if (view.kind === 'list') void load(cursors.at(-1));
  }, [view, cursors, load]);

  if (view.kind === 'register') {
    return <RegisterConnection onCancel={() => setView({ kind: 'list' })} onRegistered={(c) => setView({ kind: 'detail', id: c.id })} />;
  }
  if (view.kind === 'detail') return <ConnectionDetail id={view.id} onBack={() => setView({ kind: 'list' })} />;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex justify="space-between" align="center">
        <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{t('unit.list.title')}</Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setView({ kind: 'register' })}>{t('unit.list.register')}</Button>
      </Flex>
      <FailureAlert error={error} />
      <Table<Connection>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={page?.items ?? []}
        pagination={false}
        data-testid="unit-connections"
        locale={{ emptyText: <Typography.Text>{t('unit.list.empty')}</Typography.Text> }}
        columns={[
          { title: t('unit.list.name'), dataIndex: 'name', key: 'name' },
          { title: t('unit.list.state'), dataIndex: 'state', key: 'state', render: (s: string) => <Tag color={STATE_COLOURS[s] ?? '#434343'}>{stateLabel(s, language)}</Tag> },
          { title: t('unit.list.unitCode'), dataIndex: 'unitCode', key: 'unitCode', render: (v: string | null) => v ?? '—' },
          { title: t('unit.list.updated'), dataIndex: 'updatedAt', key: 'updatedAt', render: (v: string) => formatDateTime(v) },
          { title: '', key: 'open', render: (_: unknown, c: Connection) => <Button size="small" onClick={() => setView({ kind: 'detail', id: c.id })} aria-label={`${t('unit.list.open')}: ${c.name}`}>{t('unit.list.open')}</Button> },
        ]}
      />
      <Space>
        <Button disabled={!cursors.length} onClick={() => setCursors([])}>{t('unit.list.first')}</Button>
        <Button disabled={!page?.nextCursor} onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}>{t('unit.list.next')}</Button>
      </Space>
    </Space>
  );
}
