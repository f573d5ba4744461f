import { AutoComplete, Checkbox, DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, call } from '../../api/client';
import type { ConnectionView, IncidentView } from '../../api/views';
import { REASON_LABELS_VI } from '../../../../src/shared/i18n/messages.vi';
import { useLabels } from '../../i18n';
import { FailureAlert } from '../../shared/failure';
import { REASON_CODE_PATTERN, reasonLabel } from '../../shared/reasons';
import { SEVERITIES } from '../incident-clocks';
import { useFormSubmit } from '../../shared/form-submit';

type Values = { reasonCode: string; summary: string; detectedAt: Dayjs; severity?: string; suspend?: boolean };

/**
 * Step 1 of Appendix III by hand: an incident reported by telephone or e-mail, or seen by the
 * officer, opened from the board (about one connection, or none), optionally cutting the
 * connection off at once. Its clocks run from the detection time given here.
 */
export function OpenIncidentDialog({ connection, suspendable, onClose, onOpened }: {
  connection: ConnectionView | null;
  suspendable: boolean;
  onClose: () => void;
  onOpened: (incident: IncidentView) => void;
}) {
  const { t, label, language } = useLabels();
  const [form] = Form.useForm<Values>();
  const { busy, error, submit } = useFormSubmit(form, async (v: Values) => {
    const incident = await call<IncidentView>(api.POST('/control/v1/incidents', {
      body: { connectionId: connection?.id, reasonCode: v.reasonCode.trim(), summary: v.summary, detectedAt: v.detectedAt.toISOString(), severity: v.severity as (typeof SEVERITIES)[number] | undefined, suspend: v.suspend || undefined },
    }));
    onOpened(incident);
  });

  return (
    <Modal open title={connection ? t('board.openIncidentFor', { name: connection.name }) : t('board.openIncident')} okText={t('board.openIncident')} cancelText={t('board.cancel')}
      onOk={() => form.submit()} onCancel={onClose} confirmLoading={busy} destroyOnHidden>
      <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ detectedAt: dayjs() }} aria-label={t('board.openIncident')}>
        {/* The gateway's codes offered in words; another upper-case code may be typed. */}
        <Form.Item name="reasonCode" label={t('board.reasonCode')} rules={[{ required: true, pattern: REASON_CODE_PATTERN, message: t('validation.reasonCode') }]}>
          <AutoComplete options={Object.keys(REASON_LABELS_VI).map((code) => ({ value: code, label: `${reasonLabel(code, language)} (${code})` }))}
            filterOption={(input, option) => `${option?.value ?? ''} ${String(option?.label ?? '')}`.toLowerCase().includes(input.toLowerCase())} />
        </Form.Item>
        <Form.Item name="summary" label={t('board.summary')} rules={[{ required: true, whitespace: true, message: t('signIn.required') }]}><Input.TextArea rows={3} /></Form.Item>
        {/* Not in the future: the gateway refuses it (the clocks run from this time). */}
        <Form.Item name="detectedAt" label={t('board.detectedAt')} rules={[{ required: true, message: t('signIn.required') }, { validator: (_, v?: Dayjs) => (v && v.isAfter(dayjs()) ? Promise.reject(new Error(t('board.detectedInFuture'))) : Promise.resolve()) }]}>
          <DatePicker showTime format="DD/MM/YYYY HH:mm" disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item name="severity" label={t('board.severity')}>
          <Select allowClear placeholder={t('board.unclassified')} options={SEVERITIES.map((s) => ({ value: s, label: label(s) }))} />
        </Form.Item>
        {connection && suspendable && (
          <Form.Item name="suspend" valuePropName="checked"><Checkbox>{t('board.suspendToo')}</Checkbox></Form.Item>
        )}
      </Form>
      <FailureAlert error={error} />
    </Modal>
  );
}
