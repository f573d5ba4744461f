import { Alert, Button, Table } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { failureText, useLabels } from '../../i18n';
import { formatDateTime } from '../../shared/dates';
import { useDetailsText } from '../../shared/event-details';

type Event = components['schemas']['AccountEventView'];
type Page = components['schemas']['AccountEventPage'];

/** An account's history, a page at a time (oldest first, as the API gives it). */
export function AccountHistory({ accountId }: { accountId: string }) {
  const { t, language } = useLabels();
  const [events, setEvents] = useState<Event[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  const load = useCallback(async (cursor?: string) => {
    setLoading(true);
    try {
      const page = await call<Page>(api.GET('/control/v1/accounts/{id}/history', { params: { path: { id: accountId }, query: { limit: 50, cursor } } }));
      setEvents((before) => (cursor ? [...before, ...page.items] : page.items));
      setNext(page.nextCursor);
    } catch (failure) {
      setError(failureText(failure, language, t('errors.generic')));
    } finally {
      setLoading(false);
    }
  }, [accountId, language, t]);
  useEffect(() => void load(), [load]);

  const details = useDetailsText();

  return (
    <>
      {error && <Alert role="alert" type="error" showIcon title={error} />}
      <Table<Event>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={events}
        pagination={false}
        data-testid="account-history"
        columns={[
          { title: t('admin.event.at'), dataIndex: 'occurredAt', key: 'at', render: (v: string) => formatDateTime(v) },
          { title: t('admin.event.kind'), dataIndex: 'kind', key: 'kind', render: (k: string) => t(`admin.events.${k}`, { defaultValue: k }) },
          { title: t('admin.event.details'), dataIndex: 'details', key: 'details', render: details },
        ]}
      />
      {next && <Button style={{ marginTop: 8 }} onClick={() => void load(next)}>{t('admin.more')}</Button>}
    </>
  );
}
