import { Alert, App, Button, Card, Descriptions, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiFailure, api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { useLabels } from '../../i18n';
import { NOTIFICATION_MESSAGES_VI } from '../../../../src/shared/i18n/messages.vi';
import { FailureAlert, markFieldErrors } from '../../shared/failure';
import { formatDateTime } from '../../shared/dates';

type Status = components['schemas']['WebhookStatusDto'];
type Registered = components['schemas']['RegisteredWebhookView'];
type Delivery = components['schemas']['WebhookDeliveryDto'];
type DeliveryPage = components['schemas']['WebhookDeliveryPage'];

const STATUS_COLOURS: Record<string, string> = { PENDING: '#003a8c', RETRYING: '#873800', DELIVERED: '#135200', GAVE_UP: '#a8071a' };
const PAGE_SIZE = 20;

/** The unit's webhook: set its URL (the signing secret is shown once), its health, and the delivery log with failures. */
export default function Webhook() {
  const { t, label, language } = useLabels();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<{ url: string }>();
  const [status, setStatus] = useState<Status | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [cursors, setCursors] = useState<string[]>([]);
  const [page, setPage] = useState<DeliveryPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (cursor?: string) => {
    setLoading(true);
    try {
      const [s, d] = await Promise.all([
        // 404 is the answer while no webhook is registered: not an error to show.
        call<Status>(api.GET('/control/v1/notifications/webhook')).catch((failure) => {
          if (failure instanceof ApiFailure && failure.status === 404) return null;
          throw failure;
        }),
        call<DeliveryPage>(api.GET('/control/v1/notifications/webhook/deliveries', { params: { query: { limit: PAGE_SIZE, cursor } } })),
      ]);
      setStatus(s);
      setPage(d);
    } catch (failure) {
      setError(failure);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => void load(cursors.at(-1)), [load, cursors]);

  // Every save makes a new signing secret, and the old one stops at once: asked first when one is in use.
  const confirmSave = (values: { url: string }) => {
    if (!status) return void save(values);
    modal.confirm({
      title: t('unit.webhook.replaceTitle'),
      content: t('unit.webhook.replaceConfirm'),
      okText: t('unit.webhook.replaceOk'),
      cancelText: t('unit.common.cancel'),
      onOk: () => save(values),
    });
  };

  const save = async ({ url }: { url: string }) => {
    setBusy(true);
    setError(null);
    setSecret(null);
    try {
      const registered = await call<Registered>(api.PUT('/control/v1/notifications/webhook', { body: { url: url.trim() } }));
      setSecret(registered.secret);
      void message.success(t('unit.common.saved'));
      await load(cursors.at(-1));
    } catch (failure) {
      setError(failure);
      markFieldErrors(form, failure);
    } finally {
      setBusy(false);
    }
  };

  const at = (v: string | null) => formatDateTime(v) || '—';
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{t('unit.webhook.title')}</Typography.Title>
      <Typography.Paragraph style={{ margin: 0 }}>{t('unit.webhook.intro')}</Typography.Paragraph>
      <Card size="small">
        {status ? (
          <Descriptions size="small" column={1} bordered data-testid="webhook-status" items={[
            { key: 'url', label: t('unit.webhook.current'), children: <Typography.Text code>{status.url}</Typography.Text> },
            {
              key: 'health',
              label: t('unit.webhook.status'),
              children: status.consecutiveFailures > 0
                ? <Tag color="#a8071a">{t(status.consecutiveFailures === 1 ? 'unit.webhook.failingOnce' : 'unit.webhook.failing', { count: status.consecutiveFailures, since: at(status.failingSince) })}</Tag>
                : <Tag color="#135200">{t('unit.webhook.healthy')}</Tag>,
            },
          ]} />
        ) : (
          <Typography.Text>{t('unit.webhook.notSet')}</Typography.Text>
        )}
        <Form form={form} layout="vertical" onFinish={confirmSave} style={{ marginTop: 16 }}>
          <Form.Item name="url" label={t('unit.fields.url')} rules={[{ required: true, message: t('unit.common.required') }]}>
            <Input placeholder="https://he-thong.example.gov.vn/hooks/gateway" maxLength={2000} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>{t('unit.webhook.save')}</Button>
        </Form>
        {secret && (
          <Alert style={{ marginTop: 12 }} type="info" showIcon title={t('unit.webhook.secret')} description={<Typography.Text code copyable data-testid="webhook-secret">{secret}</Typography.Text>} />
        )}
        <div style={{ marginTop: 12 }}><FailureAlert error={error} onClose={() => setError(null)} /></div>
      </Card>
      <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('unit.webhook.log')}</h2>} extra={<Button size="small" onClick={() => void load(cursors.at(-1))}>{t('unit.common.refresh')}</Button>}>
        <Table<Delivery> rowKey="id" size="small" loading={loading} dataSource={page?.items ?? []} pagination={false} data-testid="webhook-deliveries"
          locale={{ emptyText: <Typography.Text>{t('unit.webhook.empty')}</Typography.Text> }}
          columns={[
            { title: t('unit.webhook.created'), dataIndex: 'createdAt', key: 'created', render: at },
            { title: t('unit.webhook.kind'), dataIndex: 'kind', key: 'kind', render: (k: string) => (language === 'vi' && NOTIFICATION_MESSAGES_VI[k] ? NOTIFICATION_MESSAGES_VI[k]({}) : label(k)) },
            { title: t('unit.webhook.status'), dataIndex: 'status', key: 'status', render: (s: string) => <Tag color={STATUS_COLOURS[s]}>{label(s)}</Tag> },
            { title: t('unit.webhook.attempts'), dataIndex: 'attempts', key: 'attempts' },
            { title: t('unit.webhook.lastError'), dataIndex: 'lastError', key: 'error', render: (v: string | null) => v ?? '' },
            { title: t('unit.webhook.nextAttempt'), dataIndex: 'nextAttemptAt', key: 'next', render: at },
            { title: t('unit.webhook.target'), dataIndex: 'url', key: 'url', render: (v: string) => <Typography.Text code style={{ maxWidth: 240 }} ellipsis={{ tooltip: v }}>{v}</Typography.Text> },
          ]} />
        <Space style={{ marginTop: 12 }}>
          <Button disabled={!cursors.length} onClick={() => setCursors([])}>{t('unit.list.first')}</Button>
          <Button disabled={!page?.nextCursor} onClick={() => page?.nextCursor && setCursors([...cursors, page.nextCursor])}>{t('unit.list.next')}</Button>
        </Space>
      </Card>
    </Space>
  );
}
