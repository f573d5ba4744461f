import { Alert, App, Button, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../api/client';
import type { components } from '../api/schema';
import { failureText, useLabels } from '../i18n';
import { useConfirm } from '../shared/confirm';
import { formatDateTime } from '../shared/dates';

type OpenSession = components['schemas']['OpenSessionView'];
type OpenSessionPage = components['schemas']['OpenSessionPage'];

/**
 * Where I am signed in (GET /auth/sessions): each open session, from where and with which client,
 * and "end" for one I do not recognise or a browser left signed in. Ending this very session
 * signs out (`onEndedCurrent`).
 */
export default function OwnSessions({ onEndedCurrent }: { onEndedCurrent: () => void }) {
  const { t, language } = useLabels();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const [sessions, setSessions] = useState<OpenSession[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      // One page of 100: a person with more open sessions than that has a script leaking them.
      setSessions((await call<OpenSessionPage>(api.GET('/control/v1/auth/sessions', { params: { query: { limit: 100 } } }))).items);
    } catch (failure) {
      setError(failure);
    }
  }, []);
  useEffect(() => void load(), [load]);

  const end = async (session: OpenSession) => {
    const where = `${session.sourceAddress}, ${formatDateTime(session.openedAt)}`;
    if (!(await confirm(t('sessions.end'), t(session.current ? 'sessions.endCurrentConfirm' : 'sessions.endConfirm', { where })))) return;
    try {
      await call(api.DELETE('/control/v1/auth/sessions/{id}', { params: { path: { id: session.id } } }));
      if (session.current) return onEndedCurrent();
      void message.success(t('sessions.ended'));
      await load();
    } catch (failure) {
      setError(failure);
    }
  };

  const kind = (s: OpenSession) =>
    s.actingFor ? t('sessions.actingFor', { holder: s.actingFor }) : s.actedBy ? t('sessions.actedBy', { assistant: s.actedBy }) : t(s.via === 'cookie' ? 'sessions.console' : 'sessions.script');
  return (
    <>
      <Typography.Paragraph>{t('sessions.intro')}</Typography.Paragraph>
      {error ? <Alert role="alert" type="error" showIcon title={failureText(error, language, t('errors.generic'))} style={{ marginBottom: 12 }} /> : null}
      <Table<OpenSession> rowKey="id" size="small" pagination={false} loading={sessions === null} dataSource={sessions ?? []} data-testid="own-sessions"
        columns={[
          { title: t('sessions.opened'), key: 'opened', render: (_: unknown, s) => <>{formatDateTime(s.openedAt)} {s.current && <Tag color="#135200">{t('sessions.current')}</Tag>}</> },
          { title: t('sessions.kind'), key: 'kind', render: (_: unknown, s) => kind(s) },
          { title: t('sessions.from'), key: 'from', render: (_: unknown, s) => <>{s.sourceAddress}<br /><Typography.Text type="secondary" style={{ fontSize: 12 }}>{s.userAgent ?? ''}</Typography.Text></> },
          { title: t('sessions.until'), dataIndex: 'expiresAt', key: 'until', render: (v: string) => formatDateTime(v) },
          { title: '', key: 'end', render: (_: unknown, s) => <Button size="small" danger onClick={() => void end(s)}>{t('sessions.end')}</Button> },
        ]} />
    </>
  );
}
