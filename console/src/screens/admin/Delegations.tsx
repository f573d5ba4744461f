import { Alert, App, Button, DatePicker, Form, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { failureText, useLabels } from '../../i18n';
import { DelegationState, inForce } from '../../shared/DelegationState';
import { useSingleFlight } from '../../shared/single-flight';
import { formatDateTime } from '../../shared/dates';
import { useConfirm } from '../../shared/confirm';

type Delegation = components['schemas']['DelegationView'];
type Page = components['schemas']['DelegationPage'];
type Account = components['schemas']['AccountView'];
type AccountPage = components['schemas']['AccountPage'];

/**
 * Every delegation (a system administrator sees all), revocable at once; and the administrator's
 * own delegation to another system administrator (the API lets a head delegate within their role).
 */
export function Delegations({ selfId }: { selfId: string }) {
  const { t, language } = useLabels();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const [page, setPage] = useState<Page | null>(null);
  const [accounts, setAccounts] = useState<Map<string, Account>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [cursor, setCursor] = useState<string | undefined>(undefined);

  const load = useCallback(async (from?: string) => {
    try {
      const [delegations, people] = await Promise.all([
        call<Page>(api.GET('/control/v1/delegations', { params: { query: { limit: 50, cursor: from } } })),
        call<AccountPage>(api.GET('/control/v1/accounts', { params: { query: { limit: 100 } } })),
      ]);
      setPage(delegations);
      setAccounts(new Map(people.items.map((a) => [a.id, a])));
    } catch (failure) {
      setError(failureText(failure, language, t('errors.generic')));
    }
  }, [language, t]);
  useEffect(() => void load(cursor), [load, cursor]);

  const who = (id: string) => {
    const a = accounts.get(id);
    return a ? `${a.holderName} (${a.username})` : id;
  };

  const revoke = async (d: Delegation) => {
    if (!(await confirm(t('admin.delegation.revoke'), t('admin.delegation.revokeConfirm')))) return;
    try {
      await call(api.POST('/control/v1/delegations/{id}/revoke', { params: { path: { id: d.id } } }));
      void message.success(t('admin.done'));
      await load(cursor);
    } catch (failure) {
      setError(failureText(failure, language, t('errors.generic')));
    }
  };

  // A second grant would be refused (409 DELEGATION_ACTIVE): a double click sends one.
  const [granting, once] = useSingleFlight();
  const grant = (values: { assistantId: string; expiresAt: Dayjs }) => once(async () => {
    setError(null);
    try {
      await call(api.POST('/control/v1/delegations', { body: { assistantId: values.assistantId, expiresAt: values.expiresAt.toISOString() } }));
      void message.success(t('admin.done'));
      await load(cursor);
    } catch (failure) {
      setError(failureText(failure, language, t('errors.generic')));
    }
  });

  const peers = [...accounts.values()].filter((a) => a.role === 'SYSTEM_ADMIN' && a.active && a.id !== selfId);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert role="alert" type="error" showIcon title={t('incident.refused')} description={error} />}
      <Table<Delegation>
        rowKey="id"
        size="small"
        loading={!page}
        dataSource={page?.items ?? []}
        pagination={false}
        data-testid="delegations"
        locale={{ emptyText: <Typography.Text>{t('admin.delegation.none')}</Typography.Text> }}
        columns={[
          { title: t('admin.delegation.delegator'), dataIndex: 'delegatorId', key: 'delegator', render: who },
          { title: t('admin.delegation.assistant'), dataIndex: 'assistantId', key: 'assistant', render: who },
          { title: t('admin.delegation.expiresAt'), dataIndex: 'expiresAt', key: 'expires', render: (v: string) => formatDateTime(v) },
          { title: t('admin.delegation.state'), key: 'state', render: (_: unknown, d: Delegation) => <DelegationState delegation={d} /> },
          { title: t('admin.actions'), key: 'actions', render: (_: unknown, d: Delegation) => (inForce(d) ? <Button size="small" danger onClick={() => void revoke(d)}>{t('admin.delegation.revoke')}</Button> : null) },
        ]}
      />
      <Space>
        <Button disabled={!cursor} onClick={() => setCursor(undefined)}>{t('audit.first')}</Button>
        <Button disabled={!page?.nextCursor} onClick={() => setCursor(page!.nextCursor!)}>{t('audit.next')}</Button>
      </Space>
      <Typography.Title level={2} style={{ fontSize: 16 }}>{t('admin.delegation.grant')}</Typography.Title>
      <Typography.Paragraph>{t('admin.delegation.grantHint')}</Typography.Paragraph>
      <Form layout="inline" onFinish={grant} aria-label={t('admin.delegation.grant')}>
        <Form.Item name="assistantId" label={t('admin.delegation.assistant')} rules={[{ required: true, message: t('signIn.required') }]}>
          <Select style={{ width: 260 }} options={peers.map((a) => ({ value: a.id, label: `${a.holderName} (${a.username})` }))} />
        </Form.Item>
        <Form.Item name="expiresAt" label={t('admin.delegation.expiresAt')} rules={[{ required: true, message: t('signIn.required') }]}><DatePicker showTime format="DD/MM/YYYY HH:mm" /></Form.Item>
        <Button type="primary" htmlType="submit" loading={granting}>{t('admin.delegation.grant')}</Button>
      </Form>
    </Space>
  );
}
