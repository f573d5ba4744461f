import { Alert, Card, Table, Typography } from 'antd';
import { useCallback } from 'react';
import { api, call } from '../../api/client';
import { failureText, useLabels } from '../../i18n';
import { DocumentLink } from '../../shared/DocumentLink';
import { PageButtons, useCursorPages } from '../../shared/paging';
import { formatDate, formatDateTime } from '../../shared/dates';
import { actorLabel, type MinutesChanges } from '../../shared/history-labels';
import type { ConnectionEvent, Page } from './types';

const PAGE = 10;


/**
 * Step 7's monitoring and maintenance minutes, "kept for inspection and audit": the history's
 * minutes steps alone (`?action=maintenanceMinutes`), newest first, each with its scanned document.
 * `version` (the newest step's id) changes when a step is recorded, to show new minutes at once.
 */
export function MaintenanceMinutes({ connectionId, version }: { connectionId: string; version: string }) {
  const { t, label, language } = useLabels();
  const fetchPage = useCallback(
    (cursor?: string) =>
      call<Page<ConnectionEvent>>(api.GET('/control/v1/connections/{id}/history', {
        params: { path: { id: connectionId }, query: { action: 'maintenanceMinutes', order: 'newest', limit: PAGE, ...(cursor ? { cursor } : {}) } },
      })),
    // `version` is not read: a new one (minutes just recorded) starts again from the newest page.
    [connectionId, version],
  );
  const pages = useCursorPages(fetchPage);
  const title = t('review.minutes.title');

  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{title}</h2>}>
      {pages.error ? <Alert role="alert" type="error" showIcon title={failureText(pages.error, language, t('errors.generic'))} /> : null}
      <Table<ConnectionEvent> rowKey="id" size="small" pagination={false} loading={pages.loading} dataSource={pages.items} data-testid="maintenance-minutes"
        locale={{ emptyText: <Typography.Text>{t('review.minutes.none')}</Typography.Text> }}
        columns={[
          { title: t('review.detail.at'), dataIndex: 'occurredAt', key: 'at', render: (v: string) => formatDateTime(v) },
          {
            title: t('review.minutes.kind'),
            key: 'kind',
            render: (_: unknown, e) => {
              const c = e.changes as MinutesChanges;
              return <>{label(c.kind ?? 'MAINTENANCE')}{c.dueDate ? ` — ${t('review.minutes.due', { date: formatDate(c.dueDate) })}` : ''}</>;
            },
          },
          { title: t('review.minutes.summary'), key: 'summary', render: (_: unknown, e) => <span style={{ whiteSpace: 'pre-wrap' }}>{(e.changes as MinutesChanges).summary ?? ''}</span> },
          { title: t('review.minutes.file'), key: 'document', render: (_: unknown, e) => { const id = (e.changes as MinutesChanges).documentId; return id ? <DocumentLink documentId={id} /> : t('review.minutes.noScan'); } },
          { title: t('review.detail.actor'), key: 'actor', render: (_: unknown, e) => actorLabel(e.actorName, language) },
        ]} />
      {(pages.hasNext || !pages.isFirst) && <PageButtons pages={pages} label={title} />}
    </Card>
  );
}
