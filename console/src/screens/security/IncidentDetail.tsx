import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, Select, Space, Spin, Steps, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import type { IncidentView } from '../../api/views';
import { failureText, useLabels } from '../../i18n';
import { CLOCK_COLOURS, type Clock, clockStatus, SEVERITIES } from '../incident-clocks';
import { dayEndingAt, formatDate, formatDateTime } from '../../shared/dates';
import { reasonLabel } from '../../shared/reasons';
import { DocumentField } from '../../shared/DocumentField';
import { DocumentLink } from '../../shared/DocumentLink';
import { CodeInWords } from '../../shared/CodeInWords';

type Detail = components['schemas']['IncidentDetailView'];
type Evidence = components['schemas']['EvidenceItemView'];
type StepDocument = components['schemas']['IncidentStepDocumentView'];
type UnitReport = NonNullable<Detail['unitReport']>;

/** The steps recorded by POST /incidents/{id}/steps, in order; the first three are done by sending a document. */
const RECORDED_STEPS = ['REPORTED_TO_AUTHORITY', 'OFFICIAL_REPORT_SENT', 'REVIEW_WRITTEN', 'CLOSED'] as const;
const DOCUMENTED = new Set<string>(['REPORTED_TO_AUTHORITY', 'OFFICIAL_REPORT_SENT', 'REVIEW_WRITTEN']);

interface StepForm {
  step: (typeof RECORDED_STEPS)[number];
  number?: string;
  date?: Dayjs;
  recipient?: string;
  documentId?: string;
}

/**
 * One incident for the security officer: its facts, the guidance's steps with their clocks and
 * documents, the preserved evidence (each item re-hashed by the server), and the next step to
 * record. A refused step (409: out of order, not classified) is said in words. `readOnly`: the same
 * incident for an inspector, without the classification and the step form.
 */
export default function IncidentDetail({ incidentId, onChanged, readOnly = false }: { incidentId: string; onChanged?: () => void; readOnly?: boolean }) {
  const { t, label, language } = useLabels();
  const { message } = App.useApp();
  const [incident, setIncident] = useState<Detail | null>(null);
  // The connection by its name and unit (the incident carries only its id).
  const [connection, setConnection] = useState<{ name: string; ownerUnit: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const at = (v: string | null | undefined) => formatDateTime(v);

  const load = useCallback(async () => {
    try {
      setIncident(await call<Detail>(api.GET('/control/v1/incidents/{id}', { params: { path: { id: incidentId } } })));
    } catch (failure) {
      setError(failureText(failure, language, t('errors.generic')));
    }
  }, [incidentId, language, t]);
  useEffect(() => void load(), [load]);
  useEffect(() => {
    if (!incident?.connectionId) return;
    void call<{ name: string; ownerUnit: string }>(api.GET('/control/v1/connections/{id}', { params: { path: { id: incident.connectionId } } }))
      .then(setConnection)
      .catch(() => setConnection(null));
  }, [incident?.connectionId]);

  const act = async (run: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await run();
      void message.success(t('incident.saved'));
      await load();
      onChanged?.();
    } catch (failure) {
      setError(failureText(failure, language, t('errors.generic')));
    } finally {
      setBusy(false);
    }
  };

  const classify = (severity: (typeof SEVERITIES)[number]) =>
    act(() => call(api.POST('/control/v1/incidents/{id}/classification', { params: { path: { id: incidentId } }, body: { severity } })));

  const record = (values: StepForm) =>
    act(() =>
      call(
        api.POST('/control/v1/incidents/{id}/steps', {
          params: { path: { id: incidentId } },
          body: {
            step: values.step,
            ...(DOCUMENTED.has(values.step)
              ? { document: { number: values.number!, date: values.date!.format('YYYY-MM-DD'), recipient: values.recipient!, documentId: values.documentId! } }
              : {}),
          },
        }),
      ),
    );

  if (!incident) return error ? <Alert role="alert" type="error" showIcon title={error} /> : <Spin />;

  const clockTag = (clock: Clock) => {
    const status = clockStatus(incident as unknown as IncidentView, clock);
    // A deadline in whole working days ends at midnight: "end of 17/12", as the work queue writes it, not "00:00 on 18/12".
    const deadline = incident.deadlines[clock];
    const day = deadline ? dayEndingAt(deadline) : null;
    return <Tag color={CLOCK_COLOURS[status]} data-clock={clock} data-status={status}>{t(`board.legend.${status}`)} — {t('incident.due', { at: day ? t('review.queue.endOfDay', { day }) : at(deadline) })}</Tag>;
  };
  // The step's document as filed, one click away (an auditor or the next officer on duty opens it here).
  const docLine = (d: StepDocument | null) => (d ? <div>{t('incident.document', { number: d.number, date: formatDate(d.date), recipient: d.recipient })} <DocumentLink documentId={d.documentId} /></div> : null);
  const steps: Array<{ key: string; done: string | null; clock?: Clock; document?: StepDocument | null }> = [
    // Received when the incident was opened (a unit's report may tell of a detection hours earlier).
    { key: 'OPENED', done: incident.openedAt },
    { key: 'CLASSIFIED', done: incident.classifiedAt, clock: 'classification' },
    { key: 'REPORTED_TO_AUTHORITY', done: incident.reportedAt, clock: 'reportToAuthority', document: incident.reportDocument },
    { key: 'OFFICIAL_REPORT_SENT', done: incident.officialReportAt, clock: 'officialReport', document: incident.officialReportDocument },
    { key: 'REVIEW_WRITTEN', done: incident.reviewAt, clock: 'review', document: incident.reviewDocument },
    { key: 'CLOSED', done: incident.closedAt },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="incident-detail">
      {error && <Alert role="alert" type="error" showIcon title={t('incident.refused')} description={error} data-testid="incident-error" />}
      <Descriptions size="small" column={1} bordered items={[
        { key: 'summary', label: t('board.summary'), children: incident.summary },
        { key: 'reason', label: t('incident.reasonCode'), children: <CodeInWords words={reasonLabel(incident.reasonCode, language)} code={incident.reasonCode} /> },
        { key: 'severity', label: t('board.severity'), children: incident.severity ? label(incident.severity) : t('board.unclassified') },
        { key: 'source', label: t('incident.source'), children: label(incident.source) },
        { key: 'openedBy', label: t('incident.openedBy'), children: incident.openedBy },
        { key: 'detected', label: t('incident.detectedAt'), children: at(incident.detectedAt ?? incident.openedAt) },
        ...(incident.connectionId ? [{ key: 'connection', label: t('incident.connection'), children: connection ? <CodeInWords words={`${connection.name} (${connection.ownerUnit})`} code={incident.connectionId} /> : incident.connectionId }] : []),
        ...(incident.unitReport ? [{ key: 'unitReport', label: t('incident.unitReport'), children: <UnitReportLine report={incident.unitReport} /> }] : []),
        ...(incident.incidentContact ? [{ key: 'contact', label: t('incident.contact'), children: Object.values(incident.incidentContact).filter(Boolean).join(' — ') }] : []),
      ]} />
      <Card size="small" title={<h3 style={{ fontSize: 15, margin: 0 }}>{t('incident.steps')}</h3>}>
        <Steps
          direction="vertical"
          size="small"
          items={steps.map((s) => ({
            title: t(`incident.stepNames.${s.key}`),
            status: s.done ? 'finish' : s.clock && incident.overdue[s.clock] ? 'error' : 'wait',
            description: (
              <div data-step={s.key}>
                {s.done ? t('incident.doneAt', { at: at(s.done) }) : null}
                {s.clock && !s.done && !incident.closedAt ? clockTag(s.clock) : null}
                {docLine(s.document ?? null)}
              </div>
            ),
          }))}
        />
        {!incident.closedAt && !readOnly && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space wrap>
              <Typography.Text>{t('incident.classify')}:</Typography.Text>
              {SEVERITIES.map((s) => <Button key={s} size="small" disabled={busy} type={incident.severity === s ? 'primary' : 'default'} onClick={() => classify(s)}>{label(s)}</Button>)}
            </Space>
            {/* Remounted with each step recorded: a fresh form on the next step, nothing of the last one's paper. */}
            <StepRecorder key={steps.filter((s) => s.done).length} next={RECORDED_STEPS.find((s) => !steps.find((x) => x.key === s)?.done) ?? 'CLOSED'} busy={busy} onRecord={record} />
          </Space>
        )}
      </Card>
      <Card size="small" title={<h3 style={{ fontSize: 15, margin: 0 }}>{t('incident.evidence')}</h3>}>
        <Table<Evidence>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={incident.evidence}
          data-testid="incident-evidence"
          locale={{ emptyText: <Typography.Text>{t('incident.noEvidence')}</Typography.Text> }}
          expandable={{ expandedRowRender: (e) => <pre style={{ whiteSpace: 'pre-wrap', maxHeight: 300, overflow: 'auto', margin: 0 }}>{JSON.stringify(e.content, null, 2)}</pre> }}
          columns={[
            { title: t('incident.kind'), dataIndex: 'kind', key: 'kind', render: (k: string) => <CodeInWords words={t(`incident.evidenceKinds.${k}`, { defaultValue: k })} code={k} /> },
            { title: t('incident.recordedBy'), dataIndex: 'recordedBy', key: 'by' },
            { title: t('audit.at'), dataIndex: 'recordedAt', key: 'at', render: (v: string) => at(v) },
            { title: 'SHA-256', key: 'intact', render: (_: unknown, e: Evidence) => <Tag color={e.intact ? '#135200' : '#a8071a'}>{e.intact ? t('incident.intact') : t('incident.altered')}</Tag> },
          ]}
        />
      </Card>
    </Space>
  );
}

/** IV.5.d: the unit's own official report on the incident it reported, as filed, or when it is due. */
function UnitReportLine({ report }: { report: UnitReport }) {
  const { t } = useLabels();
  if (!report.filedAt || !report.document) {
    return <span data-testid="unit-report">{t('incident.unitReportPending', { at: formatDateTime(report.due) })} {report.overdue && <Tag color="#a8071a">{t('incident.unitReportOverdue')}</Tag>}</span>;
  }
  const d = report.document;
  return (
    <span data-testid="unit-report">
      {t('incident.unitReportFiled', { at: formatDateTime(report.filedAt) })} — {t('incident.document', { number: d.number, date: formatDate(d.date), recipient: d.recipient })} <DocumentLink documentId={d.documentId} />{' '}
      <Tag color={report.onTime ? '#135200' : '#a8071a'}>{t(report.onTime ? 'incident.unitReportOnTime' : 'incident.unitReportLate')}</Tag>
    </span>
  );
}

/** The next step of the incident and its document, as a form (IV.5.d's steps with the paper each was done with). */
function StepRecorder({ next, busy, onRecord }: { next: StepForm['step']; busy: boolean; onRecord: (values: StepForm) => Promise<void> }) {
  const { t } = useLabels();
  const [form] = Form.useForm<StepForm>();
  const step = Form.useWatch('step', form);
  return (
    <Form<StepForm> form={form} layout="vertical" onFinish={onRecord} aria-label={t('incident.record')} initialValues={{ step: next }}>
      <Form.Item name="step" label={t('incident.step')} rules={[{ required: true, message: t('signIn.required') }]}>
        <Select options={RECORDED_STEPS.map((s) => ({ value: s, label: t(`incident.stepNames.${s}`) }))} />
      </Form.Item>
      {step && DOCUMENTED.has(step) && (
        <>
          <Form.Item name="number" label={t('incident.docNumber')} rules={[{ required: true, message: t('signIn.required') }]}><Input /></Form.Item>
          <Form.Item name="date" label={t('incident.docDate')} rules={[{ required: true, message: t('signIn.required') }]}><DatePicker format="DD/MM/YYYY" /></Form.Item>
          <Form.Item name="recipient" label={t('incident.docRecipient')} rules={[{ required: true, message: t('signIn.required') }]}><Input /></Form.Item>
          {/* The document itself, filed here (scanned by the gateway): no pasting an id from elsewhere at night. */}
          <Form.Item name="documentId" label={t('incident.docId')} rules={[{ required: true, message: t('signIn.required') }]}><DocumentField /></Form.Item>
        </>
      )}
      <Button type="primary" htmlType="submit" loading={busy}>{t('incident.record')}</Button>
    </Form>
  );
}
