import { Alert, Button, Table } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { failureText, useLabels } from '../../i18n';
import { formatDateTime } from '../../shared/dates';

type Event = components['schemas']['AccountEventView'];
type Page = components['schemas']['AccountEventPage'];

/** An account's history, a page at a time (oldest first, as the API gives it). */
export function AccountHistory({ accountId }: { accountId: string }) {
  const { t, label, language } = useLabels();
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

  // Each detail under its name in words (admin.eventDetails; an unknown one as stored), values a
  // person reads: roles and causes in words, times in Vietnam's clock, yes/no.
  // Lower-case words are the server's names (changed identity fields, the failed factor): said by
  // admin.eventValues where it has them.
  const value = (v: unknown): string => {
    if (typeof v === 'boolean') return t(v ? 'admin.yes' : 'admin.no');
    if (Array.isArray(v)) return v.map(value).join(', ');
    if (typeof v === 'object') return JSON.stringify(v);
    const text = String(v);
    if (/^\d{4}-\d{2}-\d{2}T/.test(text)) return formatDateTime(text);
    if (/^[a-z][A-Za-z]+$/.test(text)) return t(`admin.eventValues.${text}`, { defaultValue: text });
    return /^[A-Z][A-Z_]+$/.test(text) ? label(text) : text;
  };
  const details = (d: Record<string, unknown>) =>
    Object.entries(d)
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => `${t(`admin.eventDetails.${k}`, { defaultValue: k })}: ${value(v)}`)
      .join('; ');

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
