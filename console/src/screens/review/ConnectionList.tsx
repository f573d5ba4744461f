import { App, Button, Input, Select, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import { failureText, useLabels } from '../../i18n';
import type { Connection, Page } from './types';
import { stateLabel } from './types';
import { formatDate } from '../../shared/dates';

const STATES = ['SUBMITTED', 'RETURNED', 'APPROVED', 'AGREEMENT_SIGNED', 'TESTING', 'TEST_PASSED', 'GO_LIVE_SCHEDULED', 'LIVE', 'SUSPENDED', 'RETESTING', 'TERMINATED'] as const;
const PAGE = 20;
/** Ant Design's link blue fails WCAG AA contrast on white (axe): a darker one. */
const LINK = { padding: 0, color: '#003a8c' };

/** Every connection, by state or words of its name or unit, one server page at a time: where a reviewer finds one to re-evaluate or terminate, an inspector one to read. */
export function ConnectionList({ onOpen }: { onOpen: (connectionId: string) => void }) {
  const { t, label, language } = useLabels();
  const { message } = App.useApp();
  const [state, setState] = useState<(typeof STATES)[number] | undefined>();
  const [words, setWords] = useState('');
  const [cursor, setCursor] = useState<string | undefined>();
  const [page, setPage] = useState<Page<Connection>>({ items: [], nextCursor: null });
  const [loading, setLoading] = useState(true);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const query = { limit: PAGE, ...(cursor ? { cursor } : {}), ...(state ? { state } : {}), ...(words ? { q: words } : {}) };
      setPage(await call<Page<Connection>>(api.GET('/control/v1/connections', { params: { query } })));
    } catch (error) {
      void message.error(failureText(error, language, t('errors.generic')));
    } finally {
      setLoading(false);
    }
  }, [cursor, state, words, language, message, t]);
  useEffect(() => void load(), [load]);

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Input.Search allowClear enterButton={t('board.find')} placeholder={t('board.findPlaceholder')} aria-label={t('board.findPlaceholder')} style={{ maxWidth: 480 }}
        onSearch={(value) => { setCursor(undefined); setWords(value.trim()); }} />
      <Select
        aria-label={t('review.all.stateFilter')}
        style={{ minWidth: 280 }}
        allowClear
        placeholder={t('review.all.anyState')}
        value={state}
        onChange={(v) => { setCursor(undefined); setState(v); }}
        options={STATES.map((v) => ({ value: v, label: stateLabel(v, language) }))}
      />
      <Table<Connection>
        data-testid="review-connections"
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={page.items}
        pagination={false}
        locale={{ emptyText: <Typography.Text>{words ? t('board.noneFound', { words }) : t('review.detail.none')}</Typography.Text> }}
        columns={[
          { title: t('review.queue.connection'), key: 'name', render: (_: unknown, c) => <Button type="link" style={LINK} onClick={() => onOpen(c.id)}>{c.name}</Button> },
          { title: t('review.queue.unit'), dataIndex: 'ownerUnit', key: 'unit' },
          { title: t('review.queue.state'), dataIndex: 'state', key: 'state', render: (v: string) => stateLabel(v, language) },
          { title: t('review.detail.unitCode'), dataIndex: 'unitCode', key: 'unitCode' },
          { title: t('review.all.created'), dataIndex: 'createdAt', key: 'created', render: (v: string) => formatDate(new Date(v)) },
        ]}
      />
      <Space>
        <Button disabled={!cursor} onClick={() => setCursor(undefined)}>{t('review.queue.first')}</Button>
        <Button disabled={!page.nextCursor} onClick={() => setCursor(page.nextCursor ?? undefined)}>{t('review.queue.next')}</Button>
      </Space>
      <Typography.Text />
    </Space>
  );
}
