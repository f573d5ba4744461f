import { App, Button, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import { failureText, useLabels } from '../../i18n';
import { stateLabel, DEADLINE_COLOURS, type Page, type ReviewTask } from './types';
import { dayEndingAt, formatDateTime } from '../../shared/dates';

const TASKS = ['APPRAISAL', 'AGREEMENT', 'CONFIGURATION', 'TEST_CONFIRMATION', 'GO_LIVE', 'RE_EVALUATION', 'CERTIFICATE_EXPIRY', 'REMEDIATION_DECISION', 'RESTORATION'] as const;
const PAGE = 20;
/** Ant Design's link blue fails WCAG AA contrast on white (axe): a darker one. */
const LINK = { padding: 0, color: '#003a8c' };

/** What waits for DTD, soonest due first, one server page at a time, with the API's deadline colours. */
export function ReviewQueue({ onOpen }: { onOpen: (connectionId: string) => void }) {
  const { t, label, language } = useLabels();
  const { message } = App.useApp();
  const [task, setTask] = useState<string | undefined>();
  const [cursor, setCursor] = useState<string | undefined>();
  const [page, setPage] = useState<Page<ReviewTask>>({ items: [], nextCursor: null });
  const [loading, setLoading] = useState(true);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const query = { limit: PAGE, ...(cursor ? { cursor } : {}), ...(task ? { task: task as (typeof TASKS)[number] } : {}) };
      setPage(await call<Page<ReviewTask>>(api.GET('/control/v1/review-queue', { params: { query } })));
    } catch (error) {
      void message.error(failureText(error, language, t('errors.generic')));
    } finally {
      setLoading(false);
    }
  }, [cursor, task, language, message, t]);
  useEffect(() => void load(), [load]);

  const when = (v: string) => formatDateTime(v);
  const due = (v: string) => {
    const day = dayEndingAt(v);
    return day ? t('review.queue.endOfDay', { day }) : formatDateTime(v);
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select
          aria-label={t('review.queue.filter')}
          style={{ minWidth: 280 }}
          allowClear
          placeholder={t('review.queue.allTasks')}
          value={task}
          onChange={(v) => { setCursor(undefined); setTask(v); }}
          options={TASKS.map((v) => ({ value: v, label: label(v) }))}
        />
        <Button onClick={() => void load()}>{t('review.queue.refresh')}</Button>
      </Space>
      <Typography.Text>{t('review.queue.legend')}</Typography.Text>
      <Table<ReviewTask>
        data-testid="review-queue"
        rowKey={(r) => `${r.task}-${r.connectionId}-${r.certificateId ?? ''}`}
        size="small"
        loading={loading}
        dataSource={page.items}
        pagination={false}
        locale={{ emptyText: <Typography.Text>{t('review.queue.empty')}</Typography.Text> }}
        columns={[
          { title: t('review.queue.task'), dataIndex: 'task', key: 'task', render: (v: string) => label(v) },
          {
            title: t('review.queue.connection'),
            key: 'connection',
            render: (_: unknown, r) => <Button type="link" style={LINK} onClick={() => onOpen(r.connectionId)}>{r.connectionName}</Button>,
          },
          { title: t('review.queue.unit'), dataIndex: 'ownerUnit', key: 'unit' },
          { title: t('review.queue.state'), dataIndex: 'state', key: 'state', render: (v: string) => stateLabel(v, language) },
          { title: t('review.queue.since'), dataIndex: 'since', key: 'since', render: when },
          {
            title: t('review.queue.due'),
            key: 'due',
            render: (_: unknown, r) => (
              <>
                {due(r.dueAt)}
                {r.workingDays ? <Typography.Text> ({t('review.queue.workingDays', { count: r.workingDays })})</Typography.Text> : null}
              </>
            ),
          },
          {
            title: t('review.queue.deadline'),
            key: 'deadline',
            render: (_: unknown, r) => (
              <Tag color={DEADLINE_COLOURS[r.deadlineColor]} data-color={r.deadlineColor}>
                {/* The DTD's own processing deadline: "còn hạn" as the board's legend says it; the colour is the tag's. */}
                {t(`review.queue.deadlineStatus.${r.deadlineStatus}`, { defaultValue: label(r.deadlineStatus) })}
              </Tag>
            ),
          },
        ]}
      />
      <Space>
        <Button disabled={!cursor} onClick={() => setCursor(undefined)}>{t('review.queue.first')}</Button>
        <Button disabled={!page.nextCursor} onClick={() => setCursor(page.nextCursor ?? undefined)}>{t('review.queue.next')}</Button>
      </Space>
    </Space>
  );
}
