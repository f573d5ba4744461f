import { Button, Input, Select, Space, Table, Typography } from 'antd';
import { useCallback } from 'react';
import { api, call } from '../../api/client';
import { useLabels } from '../../i18n';
import { FailureAlert } from '../../shared/failure';
import { PageButtons, useCursorPages } from '../../shared/paging';
import { useSearchParam } from '../../shared/router';
import type { Connection, Page } from './types';
import { stateLabel } from './types';
import { formatDate } from '../../shared/dates';

const STATES = ['SUBMITTED', 'RETURNED', 'APPROVED', 'AGREEMENT_SIGNED', 'TESTING', 'TEST_PASSED', 'GO_LIVE_SCHEDULED', 'LIVE', 'SUSPENDED', 'RETESTING', 'TERMINATED'] as const;
type State = (typeof STATES)[number];
const PAGE = 20;
/** Ant Design's link blue fails WCAG AA contrast on white (axe): a darker one. */
const LINK = { padding: 0, color: '#003a8c' };

/**
 * Every connection, by state or words of its name or unit, one server page at a time: where a
 * reviewer finds one to re-evaluate or terminate, an inspector one to read. The search and the
 * state are in the address (`?q=…&state=…`), so coming back from a file finds them as they were.
 */
export function ConnectionList({ onOpen }: { onOpen: (connectionId: string) => void }) {
  const { t, language } = useLabels();
  const [words, setWords] = useSearchParam('q');
  const [stateParam, setState] = useSearchParam('state');
  const state = STATES.includes(stateParam as State) ? (stateParam as State) : undefined;

  const fetchPage = useCallback(
    (cursor?: string) => call<Page<Connection>>(api.GET('/control/v1/connections', { params: { query: { limit: PAGE, ...(cursor ? { cursor } : {}), ...(state ? { state } : {}), ...(words ? { q: words } : {}) } } })),
    [state, words],
  );
  const pages = useCursorPages(fetchPage);

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Input.Search allowClear enterButton={t('board.find')} placeholder={t('board.findPlaceholder')} aria-label={t('board.findPlaceholder')} style={{ maxWidth: 480 }}
        defaultValue={words ?? ''} onSearch={(value) => setWords(value.trim() || null, { replace: true })} />
      <Select
        aria-label={t('review.all.stateFilter')}
        style={{ minWidth: 280 }}
        allowClear
        placeholder={t('review.all.anyState')}
        value={state}
        onChange={(v?: State) => setState(v ?? null, { replace: true })}
        options={STATES.map((v) => ({ value: v, label: stateLabel(v, language) }))}
      />
      {pages.error ? <FailureAlert error={pages.error} /> : null}
      <Table<Connection>
        data-testid="review-connections"
        rowKey="id"
        size="small"
        loading={pages.loading}
        dataSource={pages.items}
        pagination={false}
        locale={{ emptyText: <Typography.Text>{words ? t('board.noneFound', { words }) : t('review.all.noConnections')}</Typography.Text> }}
        columns={[
          { title: t('review.queue.connection'), key: 'name', render: (_: unknown, c) => <Button type="link" style={LINK} onClick={() => onOpen(c.id)}>{c.name}</Button> },
          { title: t('review.queue.unit'), dataIndex: 'ownerUnit', key: 'unit' },
          { title: t('review.queue.state'), dataIndex: 'state', key: 'state', render: (v: string) => stateLabel(v, language) },
          { title: t('review.detail.unitCode'), dataIndex: 'unitCode', key: 'unitCode' },
          { title: t('review.all.created'), dataIndex: 'createdAt', key: 'created', render: (v: string) => formatDate(new Date(v)) },
        ]}
      />
      <PageButtons pages={pages} label={t('board.connections')} />
    </Space>
  );
}
