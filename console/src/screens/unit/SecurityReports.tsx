import { App, Button, Card, DatePicker, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { useLabels } from '../../i18n';
import { DocumentField } from '../../shared/DocumentField';
import { FailureAlert, markFieldErrors } from '../../shared/failure';
import { formatDate, formatDateTime } from '../../shared/dates';
import { reasonLabel } from '../../shared/reasons';
import { useConfirm } from '../../shared/confirm';
import { UnitOfficialReport } from './UnitOfficialReport';

type Connection = components['schemas']['ConnectionView'];
type Incident = components['schemas']['IncidentView'];
type IncidentPage = components['schemas']['IncidentPage'];
type Report = components['schemas']['RemediationReportView'];
type ReportPage = components['schemas']['RemediationReportPage'];
type RemediationValues = components['schemas']['SubmitRemediationReportDto'];
type IncidentValues = { reasonCode: string; summary: string; detectedAt: Dayjs };

/** Where a unit may report an incident: where the security officer could cut it off (connection-lifecycle.ts, 'suspend'). */
const REPORTABLE = new Set(['TESTING', 'TEST_PASSED', 'GO_LIVE_SCHEDULED', 'LIVE', 'RETESTING']);
const REASON_CODES = ['CREDENTIALS_COMPROMISED', 'DATA_LEAK', 'ATTACK_DETECTED'] as const;

const REPORT_COLOURS: Record<string, string> = { SUBMITTED: '#003a8c', RECOMMENDATIONS: '#873800', ACCEPTED: '#00474f', RESTORED: '#135200' };

/**
 * IV.5.d and IV.5.c for the unit: report an incident (its connection is suspended at once, behind
 * a confirmation), and after a suspension file the remediation report with the competent body's
 * written confirmation; both lists show what DTD and the officers made of them.
 */
export function SecurityReports({ connection, onChanged }: { connection: Connection; onChanged: () => Promise<void> }) {
  const { t, label, language } = useLabels();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const [incidentForm] = Form.useForm<IncidentValues>();
  const [remediationForm] = Form.useForm<RemediationValues>();
  const [incidents, setIncidents] = useState<Incident[]>([]);
  const [reports, setReports] = useState<Report[]>([]);
  const [incidentError, setIncidentError] = useState<unknown>(null);
  const [remediationError, setRemediationError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'incident' | 'remediation' | null>(null);
  const id = connection.id;

  const load = useCallback(async () => {
    try {
      const [i, r] = await Promise.all([
        call<IncidentPage>(api.GET('/control/v1/connections/{id}/incidents', { params: { path: { id }, query: { limit: 20 } } })),
        call<ReportPage>(api.GET('/control/v1/connections/{id}/remediation-reports', { params: { path: { id }, query: { limit: 20 } } })),
      ]);
      setIncidents(i.items);
      setReports(r.items);
    } catch (failure) {
      setIncidentError(failure);
    }
  }, [id]);
  useEffect(() => void load(), [load, connection.updatedAt]);

  const reportIncident = async (values: IncidentValues) => {
    if (!(await confirm(t('unit.security.incident'), t('unit.security.incidentConfirm', { name: connection.name })))) return;
    setBusy('incident');
    setIncidentError(null);
    try {
      await call(api.POST('/control/v1/connections/{id}/incident-reports', { params: { path: { id } }, body: { reasonCode: values.reasonCode, summary: values.summary, detectedAt: values.detectedAt.toISOString() } }));
      void message.success(t('unit.security.incidentSent'));
      incidentForm.resetFields();
      await Promise.all([onChanged(), load()]);
    } catch (failure) {
      setIncidentError(failure);
      markFieldErrors(incidentForm, failure);
    } finally {
      setBusy(null);
    }
  };

  const fileRemediation = async (values: RemediationValues) => {
    setBusy('remediation');
    setRemediationError(null);
    try {
      await call(api.POST('/control/v1/connections/{id}/remediation-reports', { params: { path: { id } }, body: values }));
      void message.success(t('unit.security.remediationSent'));
      remediationForm.resetFields();
      // Filing a report leaves the connection as it was (still suspended): the list reloads itself.
      await Promise.all([onChanged(), load()]);
    } catch (failure) {
      setRemediationError(failure);
      markFieldErrors(remediationForm, failure);
    } finally {
      setBusy(null);
    }
  };

  const at = (v?: string | null) => formatDateTime(v) || '—';
  const required = [{ required: true, message: t('unit.common.required') }];
  const awaiting = reports.some((r) => r.status === 'SUBMITTED');
  const reasonText = (code: string) => reasonLabel(code, language);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {connection.state === 'SUSPENDED' && !awaiting && (
        <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('unit.security.remediation')}</h2>}>
          <Typography.Paragraph>{t('unit.security.remediationHint')}</Typography.Paragraph>
          <Form<RemediationValues> form={remediationForm} layout="vertical" onFinish={fileRemediation}>
            <Form.Item name="cause" label={t('unit.fields.cause')} rules={required}><Input.TextArea rows={3} maxLength={10000} /></Form.Item>
            <Form.Item name="measuresTaken" label={t('unit.fields.measuresTaken')} rules={required}><Input.TextArea rows={3} maxLength={10000} /></Form.Item>
            <Form.Item name="securityCommitment" label={t('unit.fields.securityCommitment')} rules={required}><Input.TextArea rows={2} maxLength={10000} /></Form.Item>
            <Form.Item name="confirmationDocumentId" label={t('unit.fields.confirmationDocumentId')} rules={required}><DocumentField /></Form.Item>
            <Button type="primary" htmlType="submit" loading={busy === 'remediation'}>{t('unit.security.submitRemediation')}</Button>
          </Form>
          <div style={{ marginTop: 12 }}><FailureAlert error={remediationError} onClose={() => setRemediationError(null)} /></div>
        </Card>
      )}
      <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('unit.security.reports')}</h2>}>
        <Table<Report> rowKey="id" size="small" dataSource={reports} pagination={false} data-testid="remediation-reports"
          locale={{ emptyText: <Typography.Text>{t('unit.common.none')}</Typography.Text> }}
          columns={[
            { title: t('unit.security.submitted'), dataIndex: 'submittedAt', key: 'at', render: at },
            { title: t('unit.security.status'), dataIndex: 'status', key: 'status', render: (s: string) => <Tag color={REPORT_COLOURS[s]}>{t(`unit.security.remediationStatus.${s}`)}</Tag> },
            { title: t('unit.fields.cause'), dataIndex: 'cause', key: 'cause' },
            { title: t('unit.security.decision'), dataIndex: 'decisionText', key: 'decision', render: (v: string | null) => v ?? '' },
            { title: t('unit.security.restoreBy'), dataIndex: 'restoreDeadline', key: 'restore', render: at },
          ]} />
      </Card>
      {REPORTABLE.has(connection.state) && (
        <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('unit.security.incident')}</h2>}>
          <Typography.Paragraph>{t('unit.security.incidentHint')}</Typography.Paragraph>
          <Form<IncidentValues> form={incidentForm} layout="vertical" onFinish={reportIncident} initialValues={{ reasonCode: 'CREDENTIALS_COMPROMISED', detectedAt: dayjs() }}>
            <Form.Item name="reasonCode" label={t('unit.fields.reasonCode')} rules={required}>
              <Select options={REASON_CODES.map((code) => ({ value: code, label: reasonText(code) }))} />
            </Form.Item>
            <Form.Item name="summary" label={t('unit.fields.summary')} rules={required}><Input.TextArea rows={3} maxLength={10000} /></Form.Item>
            <Form.Item name="detectedAt" label={t('unit.fields.detectedAt')} rules={required}>
              <DatePicker showTime format="DD/MM/YYYY HH:mm" disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
            </Form.Item>
            <Button danger type="primary" htmlType="submit" loading={busy === 'incident'}>{t('unit.security.reportIncident')}</Button>
          </Form>
          <div style={{ marginTop: 12 }}><FailureAlert error={incidentError} onClose={() => setIncidentError(null)} /></div>
        </Card>
      )}
      <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('unit.security.incidents')}</h2>}>
        <Table<Incident> rowKey="id" size="small" dataSource={incidents} pagination={false} data-testid="unit-incidents"
          locale={{ emptyText: <Typography.Text>{t('unit.common.none')}</Typography.Text> }}
          columns={[
            { title: t('unit.security.opened'), dataIndex: 'openedAt', key: 'at', render: at },
            { title: t('unit.fields.reasonCode'), dataIndex: 'reasonCode', key: 'code', render: reasonText },
            { title: t('unit.fields.summary'), dataIndex: 'summary', key: 'summary' },
            { title: t('unit.security.severity'), dataIndex: 'severity', key: 'severity', render: (v: string | null) => (v ? label(v) : t('unit.security.unclassified')) },
            // IV.5.d: the unit's notice within 2 hours of detection, its official report within 24.
            { title: t('unit.security.notice'), key: 'notice', render: (_: unknown, i: Incident) => <NoticeTiming incident={i} /> },
            { title: t('unit.security.unitReport'), key: 'unitReport', render: (_: unknown, i: Incident) => <UnitOfficialReport connectionId={id} incident={i} onFiled={load} /> },
            { title: t('unit.security.officialReport'), key: 'official', render: (_: unknown, i: Incident) => <OfficialReport incident={i} /> },
            { title: t('unit.security.status'), dataIndex: 'closedAt', key: 'closed', render: (v: string | null) => (v ? t('unit.security.closed') : t('unit.security.inProgress')) },
          ]} />
      </Card>
    </Space>
  );
}

/** How long after detection the unit's notice came, against the 2 hours of IV.5.d. */
function NoticeTiming({ incident }: { incident: Incident }) {
  const { t, label } = useLabels();
  const notice = incident.unitNotice;
  // Not the unit's notice: say who opened it (the detector, an officer after a telephone call…).
  if (!notice) return <>{t('unit.security.openedBy', { source: label(incident.source) })}</>;
  const hours = Math.floor(notice.minutesAfterDetection / 60);
  const minutes = notice.minutesAfterDetection % 60;
  const after = hours ? (minutes ? t('unit.security.afterHours', { hours, minutes }) : t('unit.security.afterWholeHours', { hours })) : t('unit.security.afterMinutes', { minutes });
  return (
    <span data-testid="notice-timing">
      {after}{' '}
      <Tag color={notice.withinTwoHours ? '#135200' : '#a8071a'}>{t(notice.withinTwoHours ? 'unit.security.withinTwoHours' : 'unit.security.pastTwoHours')}</Tag>
    </span>
  );
}

/**
 * Appendix III.III step 5, the DTD's: its official report to the competent authority within 24
 * hours, as the unit may follow it (sent, or when it is due). Not a step the unit takes.
 */
function OfficialReport({ incident }: { incident: Incident }) {
  const { t } = useLabels();
  if (incident.officialReportAt) {
    const d = incident.officialReportDocument;
    return <>{t('unit.security.reportSent', { at: formatDateTime(incident.officialReportAt) })}{d ? ` — ${t('unit.security.reportDocument', { number: d.number, date: formatDate(d.date) })}` : ''}</>;
  }
  if (incident.closedAt) return <>—</>;
  return (
    <span data-testid="official-report-due">
      {t('unit.security.reportDue', { at: formatDateTime(incident.deadlines.officialReport) })}{' '}
      {incident.overdue.officialReport && <Tag color="#a8071a">{t('unit.security.overdue')}</Tag>}
    </span>
  );
}
