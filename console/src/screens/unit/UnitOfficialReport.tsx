import { App, Button, Form, Input, Modal, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { useLabels } from '../../i18n';
import { DayField } from '../../shared/DayField';
import { DocumentField } from '../../shared/DocumentField';
import { DocumentLink } from '../../shared/DocumentLink';
import { FailureAlert } from '../../shared/failure';
import { formatDate, formatDateTime, todayInVietnam } from '../../shared/dates';
import { useFormSubmit } from '../../shared/form-submit';

type Incident = components['schemas']['IncidentView'];
type Values = { number: string; date: string; recipient: string; documentId: string };

/**
 * IV.5.d, the unit's own step after its notice: the official report on an incident it reported,
 * due 24 hours after detection, filed once as the document it was sent as. Shows it once filed
 * (on time or late), or its due time and the form to file it.
 */
export function UnitOfficialReport({ connectionId, incident, onFiled }: { connectionId: string; incident: Incident; onFiled: () => Promise<void> }) {
  const { t } = useLabels();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [open, setOpen] = useState(false);
  const { busy, error, setError, submit } = useFormSubmit<Values>(form, async (values) => {
    await call(api.POST('/control/v1/connections/{id}/incidents/{incidentId}/unit-report', {
      params: { path: { id: connectionId, incidentId: incident.id } },
      body: { number: values.number, date: values.date, recipient: values.recipient, documentId: values.documentId },
    }));
    setOpen(false);
    // The list shows it filed before the notice says so.
    await onFiled();
    void message.success(t('unit.security.unitReportSent'));
  });
  const report = incident.unitReport;
  // Not the unit's notice (the detector's or an officer's incident): no report of its own is due.
  if (!report) return <>—</>;
  if (report.filedAt && report.document) {
    const d = report.document;
    return (
      <span data-testid="unit-report">
        {t('unit.security.unitReportFiled', { at: formatDateTime(report.filedAt) })} — {t('unit.security.reportDocument', { number: d.number, date: formatDate(d.date) })} <DocumentLink documentId={d.documentId} />{' '}
        <Tag color={report.onTime ? '#135200' : '#a8071a'}>{t(report.onTime ? 'unit.security.unitReportOnTime' : 'unit.security.unitReportLate')}</Tag>
      </span>
    );
  }
  const required = [{ required: true, message: t('unit.common.required') }];
  return (
    <span data-testid="unit-report">
      {t('unit.security.reportDue', { at: formatDateTime(report.due) })}{' '}
      {report.overdue && <Tag color="#a8071a">{t('unit.security.overdue')}</Tag>}
      <Button size="small" onClick={() => setOpen(true)}>{t('unit.security.unitReportFile')}</Button>
      <Modal open={open} title={t('unit.security.unitReportTitle')} onCancel={() => setOpen(false)} okText={t('unit.security.unitReportFile')} confirmLoading={busy} onOk={() => form.submit()} destroyOnHidden>
        <Typography.Paragraph>{t('unit.security.unitReportHint')}</Typography.Paragraph>
        <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ date: todayInVietnam(), recipient: t('unit.security.defaultRecipient') }} preserve={false}>
          <Form.Item name="number" label={t('unit.security.docNumber')} rules={required}><Input maxLength={100} /></Form.Item>
          {/* The day in Vietnam, as the gateway checks it (not the browser's own). */}
          <Form.Item name="date" label={t('unit.security.docDate')} rules={required}><DayField /></Form.Item>
          <Form.Item name="recipient" label={t('unit.security.docRecipient')} rules={required}><Input maxLength={300} /></Form.Item>
          <Form.Item name="documentId" label={t('unit.security.docFile')} rules={required}><DocumentField /></Form.Item>
        </Form>
        <FailureAlert error={error} onClose={() => setError(null)} />
      </Modal>
    </span>
  );
}
