import { Alert, Button, Card, Drawer, Spin, Table, Tag, Typography } from 'antd';
import { lazy, Suspense, useCallback, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { failureText, useLabels } from '../../i18n';
import { PageButtons, useCursorPages } from '../../shared/paging';
import { formatDateTime } from '../../shared/dates';
import { reasonLabel } from '../../shared/reasons';
import { useSearchParam } from '../../shared/router';

type Incident = components['schemas']['IncidentView'];
type Page = { items: Incident[]; nextCursor: string | null };

const IncidentDetail = lazy(() => import('../security/IncidentDetail'));
const PAGE = 10;
/** Ant Design's link blue fails WCAG AA contrast on white (axe): a darker one. */
const LINK = { padding: 0, color: '#003a8c', height: 'auto', whiteSpace: 'normal' as const, textAlign: 'left' as const };

/**
 * Security incidents for an inspector (Appendix III), a connection's or, without one, every
 * incident (those opened about no connection too): newest first, each opened to its steps,
 * documents and preserved evidence exactly as the security officer sees them, with nothing that
 * records a step. The incident open is in the address (?incident=…).
 */
export function ConnectionIncidents({ connectionId }: { connectionId?: string }) {
  const { t, label, language } = useLabels();
  const [open, setOpen] = useSearchParam('incident');
  const fetchPage = useCallback(
    (cursor?: string) => call<Page>(api.GET('/control/v1/incidents', { params: { query: { ...(connectionId ? { connectionId } : {}), limit: PAGE, ...(cursor ? { cursor } : {}) } } })),
    [connectionId],
  );
  const pages = useCursorPages(fetchPage);
  const title = t(connectionId ? 'inspection.incidents' : 'inspection.allIncidents');

  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{title}</h2>} data-testid={connectionId ? undefined : 'all-incidents'}>
      {pages.error ? <Alert role="alert" type="error" showIcon title={failureText(pages.error, language, t('errors.generic'))} /> : null}
      <Table<Incident> rowKey="id" size="small" pagination={false} loading={pages.loading} dataSource={pages.items} data-testid="connection-incidents"
        locale={{ emptyText: <Typography.Text>{t('inspection.noIncidents')}</Typography.Text> }}
        columns={[
          { title: t('incident.detectedAt'), key: 'at', render: (_: unknown, i) => formatDateTime(i.detectedAt ?? i.openedAt) },
          { title: t('board.summary'), key: 'summary', render: (_: unknown, i) => <Button type="link" style={LINK} onClick={() => setOpen(i.id)}>{i.summary}</Button> },
          { title: t('incident.reasonCode'), dataIndex: 'reasonCode', key: 'reason', render: (v: string) => reasonLabel(v, language) },
          { title: t('board.severity'), dataIndex: 'severity', key: 'severity', render: (v: string | null) => (v ? label(v) : t('board.unclassified')) },
          {
            title: t('inspection.status'),
            key: 'status',
            render: (_: unknown, i) => (i.closedAt
              ? t('inspection.closedAt', { at: formatDateTime(i.closedAt) })
              : <>{t('inspection.open')}{i.isOverdue && <Tag color="#a8071a" style={{ marginLeft: 8 }}>{t('board.legend.overdue')}</Tag>}</>),
          },
        ]} />
      {(pages.hasNext || !pages.isFirst) && <PageButtons pages={pages} label={title} />}
      {/* Closing replaces the address's entry: Back should not open the incident again. */}
      <Drawer open={Boolean(open)} onClose={() => setOpen(null, { replace: true })} width={720} title={t('inspection.incident')} destroyOnHidden
        closable={{ 'aria-label': t('incident.close') }}>
        {/* Read-only, the incident has nothing to tab to: the region itself takes the focus, so that
            a keyboard can scroll it (axe: scrollable-region-focusable). */}
        <div tabIndex={0} role="region" aria-label={t('inspection.incident')}>
          <Suspense fallback={<Spin />}>{open && <IncidentDetail incidentId={open} readOnly />}</Suspense>
        </div>
      </Drawer>
    </Card>
  );
}
