import { App, Button, List, Space, Switch, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { api, call } from '../api/client';
import type { components } from '../api/schema';
import { failureText, useLabels } from '../i18n';
import { DocumentLink } from '../shared/DocumentLink';
import { FailureAlert } from '../shared/failure';
import { type CursorPage, PageButtons, useCursorPages } from '../shared/paging';
import { formatDateTime } from '../shared/dates';
import { inPlace } from '../shared/router';

type NotificationView = components['schemas']['NotificationView'];
const PAGE = 20;

/** The inbox: a unit's (every decision and deadline about its connections), or the DTD's. */
export default function Notifications() {
  const { t, language } = useLabels();
  const { message } = App.useApp();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const fetchPage = useCallback(
    (cursor?: string) => call<CursorPage<NotificationView>>(api.GET('/control/v1/notifications', { params: { query: { limit: PAGE, cursor, order: 'newest', ...(unreadOnly ? { unread: 'true' as const } : {}) } } })),
    [unreadOnly],
  );
  const pages = useCursorPages(fetchPage);

  const markRead = async (id: string) => {
    try {
      await call(api.POST('/control/v1/notifications/{id}/read', { params: { path: { id } } }));
      await pages.reload();
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
      <FailureAlert error={pages.error} />
      <List<NotificationView>
        bordered
        loading={pages.loading}
        dataSource={pages.items}
        locale={{ emptyText: <Typography.Text>{t('notifications.empty')}</Typography.Text> }}
        renderItem={(n) => (
          <List.Item actions={n.readAt ? [] : [<Button key="read" size="small" onClick={() => markRead(n.id)}>{t('notifications.markRead')}</Button>]}>
            <List.Item.Meta
              title={<Space>{!n.readAt && <Tag color="#a8071a">●</Tag>}{formatDateTime(n.createdAt)}</Space>}
              description={
                <>
                  {n.connectionName && <Typography.Text strong>{t('notifications.connection', { name: n.connectionName })} </Typography.Text>}
                  {language === 'vi' ? (n.messageVi ?? n.message) : n.message}
                  {/* A quarter's report opens on the reports screen, in place. */}
                  {n.kind === 'PERIODIC_REPORT' && typeof n.data?.reportId === 'string' && (
                    <> <a href={`/reports?report=${encodeURIComponent(n.data.reportId)}`} onClick={inPlace(`/reports?report=${encodeURIComponent(n.data.reportId)}`)} aria-label={`${t('notifications.openReport')} ${String(n.data.period ?? '')}`.trim()} style={{ color: '#003a8c', textDecoration: 'underline' }}>{t('notifications.openReport')}</a></>
                  )}
                  {/* A unit's assessment dossier: the file itself, and the connection's file where it is kept. */}
                  {n.kind === 'SECURITY_ASSESSMENT_DOSSIER_RECEIVED' && typeof n.data?.documentId === 'string' && (
                    <>
                      {' '}<DocumentLink documentId={n.data.documentId}>{t('notifications.openDossier')}</DocumentLink>
                      {n.connectionId && <> · <a href={`/review?connection=${n.connectionId}`} onClick={inPlace(`/review?connection=${n.connectionId}`)} style={{ color: '#003a8c', textDecoration: 'underline' }}>{t('notifications.openConnection')}</a></>}
                    </>
                  )}
                </>
              }
            />
          </List.Item>
        )}
      />
      <PageButtons pages={pages} label={t('notifications.title')} />
    </Space>
  );
}
