import { Space, Switch, Table, Tag, Typography } from 'antd';
import { type ReactNode, useCallback, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { FailureAlert } from '../../shared/failure';
import { enumLabel, useLabels } from '../../i18n';
import { type CursorPage, PageButtons, useCursorPages } from '../../shared/paging';
import { formatDateTime } from '../../shared/dates';
import { reasonLabel } from '../../shared/reasons';
import { inPlace } from '../../shared/router';

type Alert = components['schemas']['SecurityAlertView'];
const PAGE = 20;

/** What an alert is about, in a line: the parts of its body a person acts on. */
function summaryOf(alert: Alert, t: (key: string, options?: Record<string, unknown>) => string, language: string): ReactNode {
  const body = alert.body as Record<string, unknown> & { incident?: { summary?: string; reasonCode?: string } };
  switch (alert.kind) {
    case 'INCIDENT_OPENED':
    case 'UNIT_INCIDENT_REPORT_FILED': {
      const filed = alert.kind === 'UNIT_INCIDENT_REPORT_FILED' ? body as { document?: { number?: string }; onTime?: boolean } : null;
      const text = `${filed ? `${t(filed.onTime ? 'alerts.unitReportOnTime' : 'alerts.unitReportLate', { number: filed.document?.number })} — ` : ''}${reasonLabel(body.incident?.reasonCode, language)}: ${body.incident?.summary ?? ''}`;
      // The incident itself, on the board (which opens it from the address), without reloading the console.
      if (!alert.incidentId) return text;
      const href = `/board?incident=${encodeURIComponent(alert.incidentId)}`;
      return <a href={href} onClick={inPlace(href)} style={{ color: '#003a8c', textDecoration: 'underline' }}>{text}</a>;
    }
    case 'ACCOUNT_ACTIVATION_ISSUED':
      return t('alerts.activation', { username: body.username, holder: body.holderName, part: body.securityOfficerPart, expires: formatDateTime(String(body.expiresAt)) });
    case 'SIGN_IN_BLOCKED':
      return t('alerts.signInBlocked', { username: body.username, failures: body.failures, source: body.source });
    case 'ACCOUNT_LOCKED':
    case 'ACCOUNT_DEACTIVATED':
      return `${String(body.username)} (${enumLabel(String(body.role), language)})`;
    default:
      // The gateway's own words (English): its kind above already says it in Vietnamese.
      return typeof body.message !== 'string' ? '' : language === 'vi' ? <Typography.Text type="secondary">{t('audit.technical')}: <span lang="en">{body.message}</span></Typography.Text> : body.message;
  }
}

/**
 * The alerts the gateway raised, newest first, for the officer on duty: incidents opened, sign-ins
 * held back, accounts locked, the officer's half of each activation code, Redis lost and back;
 * with whether the alert webhook (SECURITY_ALERT_WEBHOOK_URL) has taken each one.
 */
export default function SecurityAlerts() {
  const { t, language } = useLabels();
  const [undeliveredOnly, setUndeliveredOnly] = useState(false);
  const fetchPage = useCallback(
    (cursor?: string) => call<CursorPage<Alert>>(api.GET('/control/v1/security-alerts', { params: { query: { limit: PAGE, cursor, ...(undeliveredOnly ? { undelivered: 'true' as const } : {}) } } })),
    [undeliveredOnly],
  );
  const pages = useCursorPages(fetchPage);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{t('alerts.title')}</Typography.Title>
      <Typography.Paragraph>{t('alerts.hint')}</Typography.Paragraph>
      <label>
        <Space><Switch checked={undeliveredOnly} onChange={setUndeliveredOnly} aria-label={t('alerts.undeliveredOnly')} />{t('alerts.undeliveredOnly')}</Space>
      </label>
      <FailureAlert error={pages.error} />
      <Table<Alert>
        rowKey="id"
        size="small"
        loading={pages.loading}
        dataSource={pages.items}
        pagination={false}
        data-testid="security-alerts"
        locale={{ emptyText: <Typography.Text>{t('alerts.none')}</Typography.Text> }}
        columns={[
          { title: t('alerts.at'), dataIndex: 'createdAt', key: 'at', render: (v: string) => formatDateTime(v) },
          { title: t('alerts.kind'), dataIndex: 'kind', key: 'kind', render: (k: string) => t(`alerts.kinds.${k}`, { defaultValue: k }) },
          { title: t('alerts.summary'), key: 'summary', render: (_: unknown, a: Alert) => summaryOf(a, t, language) },
          {
            title: t('alerts.delivery'),
            key: 'delivery',
            render: (_: unknown, a: Alert) =>
              a.deliveredAt ? (
                <Tag color="#135200">{t('alerts.delivered', { at: formatDateTime(a.deliveredAt) })}</Tag>
              ) : (
                <Tag color="#874d00" title={a.lastError ?? undefined}>{a.attempts ? t('alerts.retrying', { count: a.attempts }) : t('alerts.pending')}</Tag>
              ),
          },
        ]}
      />
      <PageButtons pages={pages} label={t('alerts.title')} />
    </Space>
  );
}
