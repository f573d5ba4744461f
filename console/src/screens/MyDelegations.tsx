import { Alert, App, Button, DatePicker, Form, Input, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useState } from 'react';
import { api, call } from '../api/client';
import type { components } from '../api/schema';
import type { Me } from '../api/views';
import { useLabels } from '../i18n';
import { DelegationState, inForce } from '../shared/DelegationState';
import { FailureAlert, markFieldErrors } from '../shared/failure';
import { type CursorPage, PageButtons, useCursorPages } from '../shared/paging';
import { useSingleFlight } from '../shared/single-flight';
import { formatDateTime } from '../shared/dates';
import { useConfirm } from '../shared/confirm';

type Delegation = components['schemas']['DelegationView'];

const delegationsPage = (cursor?: string) => call<CursorPage<Delegation>>(api.GET('/control/v1/delegations', { params: { query: { limit: 20, cursor } } }));

/**
 * Delegation as every person uses it (II.2.c): a head authorises a colleague of the same role and
 * unit until a date, and may end it at once; the colleague then works for the head (each act
 * recorded as the head's, naming the assistant) until signing out.
 */
export default function MyDelegations({ me, onSessionChanged }: { me: Me; onSessionChanged: () => void }) {
  const { t } = useLabels();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const pages = useCursorPages(delegationsPage);
  const { reload } = pages;
  const acting = Boolean(me.assistant);

  const run = useCallback(async (step: () => Promise<unknown>) => {
    setError(null);
    try {
      await step();
      return true;
    } catch (failure) {
      setError(failure);
      markFieldErrors(form, failure);
      return false;
    }
  }, [form]);

  // A second grant would be refused (409 DELEGATION_ACTIVE), in red: a double click sends one.
  const [granting, once] = useSingleFlight();
  const grant = (values: { assistantUsername: string; expiresAt: Dayjs }) => once(async () => {
    const done = await run(() => call(api.POST('/control/v1/delegations', { body: { assistantUsername: values.assistantUsername.trim(), expiresAt: values.expiresAt.toISOString() } })));
    if (done) {
      form.resetFields();
      void message.success(t('admin.done'));
      await reload();
    }
  });
  const revoke = async (d: Delegation) => {
    if (!(await confirm(t('admin.delegation.revoke'), t('admin.delegation.revokeConfirm')))) return;
    if (await run(() => call(api.POST('/control/v1/delegations/{id}/revoke', { params: { path: { id: d.id } } })))) await reload();
  };
  const actFor = async (d: Delegation) => {
    if (await run(() => call(api.POST('/control/v1/auth/act-for', { body: { delegatorId: d.delegatorId } })))) onSessionChanged();
  };

  const person = (p: Delegation['delegator']) => `${p.holderName} (${p.username})`;
  const actions = (d: Delegation) => {
    if (!inForce(d) || acting) return null;
    if (d.delegatorId === me.accountId) return <Button size="small" danger onClick={() => void revoke(d)}>{t('admin.delegation.revoke')}</Button>;
    if (d.assistantId === me.accountId) return <Button size="small" type="primary" onClick={() => void actFor(d)}>{t('delegation.actFor', { name: d.delegator.holderName })}</Button>;
    return null;
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{t('delegation.title')}</Typography.Title>
      {acting && <Alert type="info" showIcon title={t('delegation.acting', { name: me.holderName })} />}
      <FailureAlert error={error ?? pages.error} />
      <Table<Delegation>
        rowKey="id"
        size="small"
        loading={pages.loading}
        dataSource={pages.items}
        pagination={false}
        data-testid="my-delegations"
        locale={{ emptyText: <Typography.Text>{t('admin.delegation.none')}</Typography.Text> }}
        columns={[
          { title: t('admin.delegation.delegator'), key: 'delegator', render: (_: unknown, d: Delegation) => person(d.delegator) },
          { title: t('admin.delegation.assistant'), key: 'assistant', render: (_: unknown, d: Delegation) => person(d.assistant) },
          { title: t('admin.delegation.expiresAt'), dataIndex: 'expiresAt', key: 'expires', render: (v: string) => formatDateTime(v) },
          { title: t('admin.delegation.state'), key: 'state', render: (_: unknown, d: Delegation) => <DelegationState delegation={d} /> },
          { title: t('admin.actions'), key: 'actions', render: (_: unknown, d: Delegation) => actions(d) },
        ]}
      />
      <PageButtons pages={pages} label={t('delegation.title')} />
      {!acting && (
        <>
          <Typography.Title level={2} style={{ fontSize: 16 }}>{t('delegation.grant')}</Typography.Title>
          <Typography.Paragraph>{t('delegation.grantHint')}</Typography.Paragraph>
          <Form form={form} layout="inline" onFinish={grant} aria-label={t('delegation.grant')} style={{ rowGap: 12 }}>
            <Form.Item name="assistantUsername" label={t('delegation.assistantUsername')} rules={[{ required: true, message: t('signIn.required') }]}><Input style={{ width: 240 }} /></Form.Item>
            <Form.Item name="expiresAt" label={t('admin.delegation.expiresAt')} rules={[{ required: true, message: t('signIn.required') }]}><DatePicker showTime format="DD/MM/YYYY HH:mm" /></Form.Item>
            <Button type="primary" htmlType="submit" loading={granting}>{t('delegation.grant')}</Button>
          </Form>
        </>
      )}
    </Space>
  );
}
