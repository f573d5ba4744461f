import { App, Button, List, Space, Switch, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../api/client';
import { type NotificationView, rowsOf } from '../api/views';
import { failureText, useLabels } from '../i18n';

/** The unit's inbox: every decision and deadline about its connections. */
export default function Notifications() {
  const { t, language } = useLabels();
  const { message } = App.useApp();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [rows, setRows] = useState<NotificationView[]>([]);
  const [loading, setLoading] = useState(true);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setRows(rowsOf<NotificationView>(await call(api.GET('/control/v1/notifications', { params: { query: unreadOnly ? { unread: 'true' } : {} } }))));
    } catch (error) {
      void message.error(failureText(error, language, t('errors.generic')));
    } finally {
      setLoading(false);
    }
  }, [unreadOnly, language, message, t]);
  useEffect(() => void load(), [load]);

  const markRead = async (id: string) => {
    try {
      await call(api.POST('/control/v1/notifications/{id}/read', { params: { path: { id } } }));
      await load();
    } catch (error) {
      void message.error(failureText(error, language, t('errors.generic')));
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{t('notifications.title')}</Typography.Title>
      <label>
        <Space><Switch checked={unreadOnly} onChange={setUnreadOnly} aria-label={t('notifications.unreadOnly')} />{t('notifications.unreadOnly')}</Space>
      </label>
      <List<NotificationView>
        bordered
        loading={loading}
        dataSource={rows}
        locale={{ emptyText: <Typography.Text>{t('notifications.empty')}</Typography.Text> }}
        renderItem={(n) => (
          <List.Item actions={n.readAt ? [] : [<Button key="read" size="small" onClick={() => markRead(n.id)}>{t('notifications.markRead')}</Button>]}>
            <List.Item.Meta
              title={<Space>{!n.readAt && <Tag color="#a8071a">●</Tag>}{new Date(n.createdAt).toLocaleString(language)}</Space>}
              description={language === 'vi' ? (n.messageVi ?? n.message) : n.message}
            />
          </List.Item>
        )}
      />
    </Space>
  );
}
