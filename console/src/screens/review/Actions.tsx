import { App, Form, Input, Modal, Radio, Select } from 'antd';
import { type ReactNode, useState } from 'react';
import { api, ApiFailure, call } from '../../api/client';
import { useLabels } from '../../i18n';
import { DayField } from '../../shared/DayField';
import { DocumentField } from '../../shared/DocumentField';
import { Problem } from './Problem';
import { type Connection } from './types';
import { todayInVietnam } from '../../shared/dates';
import { useConfirm } from '../../shared/confirm';

/** What a step-7 record may be (MaintenanceMinutesDto): the guidance's minutes, and IV.5.e's records. */
const MINUTES_KINDS = ['MAINTENANCE', 'SPOT_CHECK', 'ASSESSMENT_REQUESTED', 'ASSESSMENT_DOSSIER'] as const;

export type ActionKind = 'securityCheck' | 'appraise' | 'configure' | 'testReport' | 'confirmTest' | 'goLive' | 'reEvaluate' | 'maintenanceMinutes' | 'terminate';

type Values = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * One step of the lifecycle as a form in a dialog. A refusal stays in the dialog in words; a 409
 * (someone moved the connection meanwhile) reloads the connection and says where it is now.
 */
export function ActionDialog({ kind, connection, onClose, onChanged }: {
  kind: ActionKind;
  connection: Connection;
  onClose: () => void;
  onChanged: () => Promise<Connection | undefined>;
}) {
  const { t, label } = useLabels();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [stateNow, setStateNow] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const id = connection.id;
  const path = { params: { path: { id } } };
  const required = [{ required: true, message: t('review.form.required') }];
  const today = todayInVietnam();

  const send = async (v: Values): Promise<unknown> => {
    switch (kind) {
      case 'securityCheck':
        return call(api.POST('/control/v1/connections/{id}/security-check', { ...path, body: { checkedBy: v.checkedBy, checkedOn: v.checkedOn, result: v.result, findings: v.findings || undefined, documentId: v.documentId } }));
      case 'appraise':
        if (v.decision === 'REJECT') return call(api.POST('/control/v1/connections/{id}/terminate', { ...path, body: { reason: v.reasons } }));
        return call(api.POST('/control/v1/connections/{id}/appraisal', {
          ...path,
          body: {
            decision: v.decision,
            reasons: v.reasons,
            ...(v.decision === 'APPROVE' ? { leadershipDecision: { decidedBy: v.decidedBy, decidedOn: v.decidedOn, number: v.number || undefined, documentId: v.documentId } } : {}),
          },
        }));
      case 'configure':
        return call(api.POST('/control/v1/connections/{id}/configure', { ...path, body: { unitCode: v.unitCode } }));
      case 'testReport': {
        const area = (name: string) => ({ result: v[`${name}Result`], notes: v[`${name}Notes`] });
        return call(api.POST('/control/v1/connections/{id}/test-report', { ...path, body: { documentId: v.documentId, results: { functional: area('functional'), performance: area('performance'), security: area('security') } } }));
      }
      case 'confirmTest':
        return call(api.POST('/control/v1/connections/{id}/test-confirmations/dtd', { ...path, body: { notes: v.notes || undefined } }));
      case 'goLive':
        return call(api.POST('/control/v1/connections/{id}/go-live', { ...path, body: { goLiveDate: v.goLiveDate, incidentContact: { name: v.contactName, phone: v.contactPhone, email: v.contactEmail } } }));
      case 'reEvaluate':
        return call(api.POST('/control/v1/connections/{id}/re-evaluations', {
          ...path,
          body: { outcome: v.outcome, findings: v.findings, ...(v.outcome === 'CONDITIONS_NOT_MET' ? { consequence: v.consequence, ...(v.consequence === 'DEADLINE' ? { remedyDeadline: v.remedyDeadline } : {}) } : {}) },
        }));
      case 'maintenanceMinutes':
        return call(api.POST('/control/v1/connections/{id}/maintenance-minutes', {
          ...path,
          body: { kind: v.kind, summary: v.summary, documentId: v.documentId || undefined, ...(v.kind === 'ASSESSMENT_REQUESTED' ? { dueDate: v.dueDate } : {}) },
        }));
      case 'terminate':
        return call(api.POST('/control/v1/connections/{id}/terminate', { ...path, body: { reason: v.reason } }));
    }
  };

  const submit = async (values: Values) => {
    if (kind === 'terminate' || values.decision === 'REJECT') {
      // Turning down a dossier ends the request; no certificate exists yet to revoke: asked in its own words.
      const rejecting = kind !== 'terminate';
      if (!(await confirm(rejecting ? t('review.act.reject') : t('review.act.terminate'), t(rejecting ? 'review.act.rejectConfirm' : 'review.act.terminateConfirm', { name: connection.name })))) return;
    }
    setBusy(true);
    setError(null);
    try {
      await send(values);
      void message.success(t('review.act.done'));
      await onChanged();
      onClose();
    } catch (failure) {
      setError(failure);
      // Only ILLEGAL_TRANSITION means the connection moved on; another 409 (a paper still missing) leaves the step open.
      if (failure instanceof ApiFailure && failure.code === 'ILLEGAL_TRANSITION') setStateNow((await onChanged())?.state);
    } finally {
      setBusy(false);
    }
  };

  const decision = Form.useWatch('decision', form);
  const outcome = Form.useWatch('outcome', form);
  const consequence = Form.useWatch('consequence', form);
  const minutesKind = Form.useWatch('kind', form);
  const text = (name: string, labelKey: string, rows = 0, rules = required): ReactNode => (
    <Form.Item name={name} label={t(labelKey)} rules={rules}>{rows ? <Input.TextArea rows={rows} /> : <Input />}</Form.Item>
  );
  const date = (name: string, labelKey: string): ReactNode => (
    <Form.Item name={name} label={t(labelKey)} rules={required}><DayField /></Form.Item>
  );
  const document = (name = 'documentId', labelKey = 'review.form.document', rules = required): ReactNode => (
    <Form.Item name={name} label={t(labelKey)} rules={rules}><DocumentField /></Form.Item>
  );
  const passFail = (area: string): ReactNode => (
    <>
      <Form.Item name={`${area}Result`} label={t(`review.form.${area}`)} rules={required}>
        <Radio.Group options={['PASS', 'FAIL'].map((v) => ({ value: v, label: label(v) }))} />
      </Form.Item>
      {text(`${area}Notes`, 'review.form.notes')}
    </>
  );

  const fields: Record<ActionKind, ReactNode> = {
    securityCheck: (
      <>
        {text('checkedBy', 'review.form.checkedBy')}
        {date('checkedOn', 'review.form.checkedOn')}
        <Form.Item name="result" label={t('review.form.result')} rules={required}>
          <Radio.Group options={['SATISFACTORY', 'UNSATISFACTORY'].map((v) => ({ value: v, label: label(v) }))} />
        </Form.Item>
        {text('findings', 'review.form.findings', 3, [])}
        {document()}
      </>
    ),
    appraise: (
      <>
        <Form.Item name="decision" label={t('review.form.decision')} rules={required}>
          <Radio.Group options={[{ value: 'APPROVE', label: t('review.form.approve') }, { value: 'RETURN', label: t('review.form.return') }, { value: 'REJECT', label: t('review.form.reject') }]} />
        </Form.Item>
        {text('reasons', 'review.form.reasons', 4)}
        {decision === 'APPROVE' && (
          <>
            {text('decidedBy', 'review.form.decidedBy')}
            {date('decidedOn', 'review.form.decidedOn')}
            {text('number', 'review.form.decisionNumber', 0, [])}
            {document()}
          </>
        )}
      </>
    ),
    configure: text('unitCode', 'review.form.unitCode'),
    testReport: (
      <>
        {document()}
        {passFail('functional')}
        {passFail('performance')}
        {passFail('security')}
      </>
    ),
    confirmTest: text('notes', 'review.form.notes', 3, []),
    goLive: (
      <>
        {date('goLiveDate', 'review.form.goLiveDate')}
        {text('contactName', 'review.form.contactName')}
        {text('contactPhone', 'review.form.contactPhone')}
        {text('contactEmail', 'review.form.contactEmail')}
      </>
    ),
    reEvaluate: (
      <>
        <Form.Item name="outcome" label={t('review.form.outcome')} rules={required}>
          <Radio.Group options={['CONDITIONS_MET', 'CONDITIONS_NOT_MET'].map((v) => ({ value: v, label: label(v) }))} />
        </Form.Item>
        {text('findings', 'review.form.findings', 4)}
        {outcome === 'CONDITIONS_NOT_MET' && (
          <Form.Item name="consequence" label={t('review.form.consequence')} rules={required}>
            <Select options={['SUSPEND', 'DEADLINE'].map((v) => ({ value: v, label: label(v) }))} />
          </Form.Item>
        )}
        {outcome === 'CONDITIONS_NOT_MET' && consequence === 'DEADLINE' && date('remedyDeadline', 'review.form.remedyDeadline')}
      </>
    ),
    maintenanceMinutes: (
      <>
        {/* Step 7's minutes, or IV.5.e: a spot check, the demand for the annual dossier (the unit is told), the dossier received. */}
        <Form.Item name="kind" label={t('review.minutes.kind')} rules={required}>
          <Radio.Group options={MINUTES_KINDS.map((v) => ({ value: v, label: label(v) }))} style={{ display: 'flex', flexDirection: 'column', gap: 4 }} />
        </Form.Item>
        {text('summary', `review.minutes.summaryOf.${minutesKind ?? 'MAINTENANCE'}`, 6)}
        {minutesKind === 'ASSESSMENT_REQUESTED' && date('dueDate', 'review.minutes.dueDate')}
        {/* The signed minutes, when there is a paper one (an online check may have none); the dossier itself when it is one. */}
        {minutesKind !== 'ASSESSMENT_REQUESTED' && document('documentId', minutesKind === 'ASSESSMENT_DOSSIER' ? 'review.minutes.dossier' : 'review.minutes.document', minutesKind === 'ASSESSMENT_DOSSIER' ? required : [])}
      </>
    ),
    terminate: text('reason', 'review.form.reason', 3),
  };

  const titles: Record<ActionKind, string> = {
    securityCheck: 'review.act.securityCheck',
    appraise: 'review.act.appraise',
    configure: 'review.act.configure',
    testReport: 'review.act.testReport',
    confirmTest: 'review.act.confirmTest',
    goLive: 'review.act.goLive',
    reEvaluate: 'review.act.reEvaluate',
    maintenanceMinutes: 'review.act.maintenanceMinutes',
    terminate: 'review.act.terminate',
  };

  return (
    <Modal
      open
      title={`${t(titles[kind])}: ${connection.name}`}
      okText={kind === 'terminate' ? t('review.act.terminate') : t('review.act.submit')}
      // After ILLEGAL_TRANSITION the connection has moved on (reloaded below): this step cannot be recorded any more.
      okButtonProps={{ danger: kind === 'terminate', loading: busy, disabled: stateNow !== undefined }}
      cancelText={t('review.act.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={640}
      destroyOnHidden
    >
      <Problem error={error} currentState={stateNow} />
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ checkedOn: today, decidedOn: today, goLiveDate: today, unitCode: connection.unitCode ?? undefined, contactName: connection.incidentContact?.name, kind: 'MAINTENANCE' }}
      >
        {fields[kind]}
      </Form>
    </Modal>
  );
}
