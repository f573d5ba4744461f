import { Alert, App, Button, Card, Form, Input, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { useLabels } from '../../i18n';
import { DocumentField } from '../../shared/DocumentField';
import { DocumentLink } from '../../shared/DocumentLink';
import { FailureAlert } from '../../shared/failure';
import { formatDate, formatDateTime } from '../../shared/dates';
import { useFormSubmit } from '../../shared/form-submit';
import { actorLabel, type MinutesChanges } from '../../shared/history-labels';

type Connection = components['schemas']['ConnectionView'];
type Event = components['schemas']['ConnectionEventView'];
type EventPage = components['schemas']['ConnectionEventPage'];
type Values = components['schemas']['SubmitAssessmentDossierDto'];


/** Where the unit may send it: a connection in operation (connection-lifecycle.ts, 'submitAssessmentDossier'). */
const IN_OPERATION = new Set(['LIVE', 'SUSPENDED', 'RETESTING']);

/**
 * IV.5.e for the unit: DTD may ask for the annual security assessment dossier; the unit sends it
 * here (uploaded, with what it holds) rather than by other means, and sees what DTD asked for,
 * by when, and what it has sent.
 */
/** `version` counts the connection's loads: a reload (Tải lại) reads the requests again too. */
export function AssessmentDossier({ connection, version, onChanged }: { connection: Connection; version: number; onChanged: () => Promise<void> }) {
  const { t, language } = useLabels();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [steps, setSteps] = useState<Event[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const id = connection.id;

  const load = useCallback(async () => {
    try {
      const page = await call<EventPage>(api.GET('/control/v1/connections/{id}/history', { params: { path: { id }, query: { action: 'maintenanceMinutes', order: 'newest', limit: 50 } } }));
      setSteps(page.items.filter((e) => ['ASSESSMENT_REQUESTED', 'ASSESSMENT_DOSSIER'].includes((e.changes as MinutesChanges).kind ?? '')));
    } catch (failure) {
      setLoadError(failure);
    }
  }, [id]);
  useEffect(() => void load(), [load, version]);

  const { busy, error, submit } = useFormSubmit<Values>(form, async (values) => {
    await call(api.POST('/control/v1/connections/{id}/security-assessment-dossiers', { params: { path: { id } }, body: values }));
    void message.success(t('unit.assessment.sent'));
    form.resetFields();
    await Promise.all([load(), onChanged()]);
  });

  // Newest first: the latest request is outstanding until a dossier follows it.
  const requested = steps.find((e) => (e.changes as MinutesChanges).kind === 'ASSESSMENT_REQUESTED');
  const dossiers = steps.filter((e) => (e.changes as MinutesChanges).kind === 'ASSESSMENT_DOSSIER');
  const outstanding = requested && !(dossiers[0] && dossiers[0].occurredAt > requested.occurredAt);
  const due = requested && (requested.changes as MinutesChanges).dueDate;

  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('unit.assessment.title')}</h2>} data-testid="assessment-dossier">
      <Space direction="vertical" style={{ width: '100%' }}>
        <FailureAlert error={loadError} />
        {outstanding && (
          <Alert type="warning" showIcon title={t('unit.assessment.requested', { date: due ? formatDate(due) : '—' })} description={(requested.changes as MinutesChanges).summary} />
        )}
        {IN_OPERATION.has(connection.state) ? (
          <Form<Values> form={form} name="assessmentDossier" layout="vertical" onFinish={submit} aria-label={t('unit.assessment.form')}>
            <Form.Item name="summary" label={t('unit.assessment.summary')} rules={[{ required: true, message: t('unit.assessment.summaryRequired') }]}>
              <Input.TextArea rows={3} maxLength={10000} />
            </Form.Item>
            <Form.Item name="documentId" label={t('unit.assessment.file')} rules={[{ required: true, message: t('unit.assessment.fileRequired') }]}>
              <DocumentField />
            </Form.Item>
            <FailureAlert error={error} />
            <Button type="primary" htmlType="submit" loading={busy}>{t('unit.assessment.send')}</Button>
          </Form>
        ) : (
          <Typography.Text type="secondary">{t('unit.assessment.notInOperation')}</Typography.Text>
        )}
        <Table<Event> rowKey="id" size="small" pagination={false} dataSource={dossiers} data-testid="assessment-dossiers"
          locale={{ emptyText: <Typography.Text>{t('unit.assessment.none')}</Typography.Text> }}
          columns={[
            { title: t('unit.detail.when'), dataIndex: 'occurredAt', key: 'at', render: (v: string) => formatDateTime(v) },
            { title: t('unit.assessment.summary'), key: 'summary', render: (_: unknown, e) => <span style={{ whiteSpace: 'pre-wrap' }}>{(e.changes as MinutesChanges).summary ?? ''}</span> },
            { title: t('unit.assessment.file'), key: 'file', render: (_: unknown, e) => { const doc = (e.changes as MinutesChanges).documentId; return doc ? <DocumentLink documentId={doc} /> : '—'; } },
            { title: t('unit.detail.who'), key: 'who', render: (_: unknown, e) => actorLabel(e.actorName, language) },
          ]} />
      </Space>
    </Card>
  );
}
