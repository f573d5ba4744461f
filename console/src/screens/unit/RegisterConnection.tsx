import { App, Button, Card, Col, DatePicker, Form, Input, Row, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { useLabels } from '../../i18n';
import { DocumentField } from '../../shared/DocumentField';
import { FailureAlert, fieldLabel, markFieldErrors } from '../../shared/failure';

type Connection = components['schemas']['ConnectionView'];
type Registration = components['schemas']['RegisterConnectionDto'];
type Values = Omit<Registration, 'dossier'> & {
  /** Revising: what changed since DTD returned the request. */
  note?: string;
  dossier: Omit<Registration['dossier'], 'requestLetter'> & { requestLetter: Omit<Registration['dossier']['requestLetter'], 'date'> & { date: Dayjs } };
};

/** The API's own constraints (ContactPointDto), checked here first so that most mistakes never leave the page. */
const PHONE = /^[+0-9 ()-]{6,20}$/;

/**
 * Step 1: the technical dossier, the request letter and the two documents it quotes. With
 * `revise`, the same form filled with a returned request's dossier, sent back with a note of what
 * was revised (step 2: "hoàn thiện hồ sơ").
 */
export function RegisterConnection({ onRegistered, onCancel, revise }: { onRegistered: (c: Connection) => void; onCancel: () => void; revise?: Connection }) {
  const { t, language } = useLabels();
  const fieldText = (path: string) => fieldLabel(path, language);
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const required = [{ required: true, message: t('unit.common.required') }];

  const submit = async (values: Values) => {
    setBusy(true);
    setError(null);
    try {
      const body: Registration = { ...values, dossier: { ...values.dossier, requestLetter: { ...values.dossier.requestLetter, date: values.dossier.requestLetter.date.format('YYYY-MM-DD') } } };
      const created = revise
        ? await call<Connection>(api.POST('/control/v1/connections/{id}/resubmit', { params: { path: { id: revise.id } }, body: { dossier: body.dossier, note: values.note || undefined } }))
        : await call<Connection>(api.POST('/control/v1/connections', { body }));
      void message.success(t(revise ? 'unit.register.resubmitted' : 'unit.register.done'));
      onRegistered(created);
    } catch (failure) {
      setError(failure);
      markFieldErrors(form, failure);
    } finally {
      setBusy(false);
    }
  };

  const contact = (who: 'technicalContact' | 'businessContact') => (
    <Card size="small" title={<h3 style={{ fontSize: 14, margin: 0 }}>{t(who === 'technicalContact' ? 'unit.register.technical' : 'unit.register.business')}</h3>}>
      <Form.Item name={['dossier', who, 'name']} label={t('unit.register.contactName')} rules={required}><Input /></Form.Item>
      <Form.Item name={['dossier', who, 'email']} label={t('unit.register.contactEmail')} rules={[...required, { type: 'email', message: t('unit.common.email') }]}><Input type="email" /></Form.Item>
      <Form.Item name={['dossier', who, 'phone']} label={t('unit.register.contactPhone')} rules={[...required, { pattern: PHONE, message: t('unit.common.phone') }]}><Input type="tel" /></Form.Item>
    </Card>
  );

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 960 }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{t(revise ? 'unit.register.reviseTitle' : 'unit.register.title')}</Typography.Title>
      <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={revise ? revisedValues(revise) : { dossier: { securityLevel: 3, requestLetter: { date: dayjs() } } }} scrollToFirstError>
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('unit.register.system')}</h2>} style={{ marginBottom: 16 }}>
          <Form.Item name="name" label={t('unit.fields.name')} rules={required}><Input maxLength={200} disabled={Boolean(revise)} /></Form.Item>
          <Form.Item name={['dossier', 'systemDescription']} label={fieldText('dossier.systemDescription')} rules={required}><Input.TextArea rows={3} /></Form.Item>
          <Form.Item name={['dossier', 'dataScope']} label={fieldText('dossier.dataScope')} rules={required}><Input.TextArea rows={2} /></Form.Item>
          <Form.Item name={['dossier', 'purpose']} label={fieldText('dossier.purpose')} rules={required}><Input.TextArea rows={2} /></Form.Item>
          <Row gutter={16}>
            <Col span={8}>
              <Form.Item name={['dossier', 'securityLevel']} label={fieldText('dossier.securityLevel')} rules={required}>
                <Select options={[1, 2, 3, 4, 5].map((n) => ({ value: n, label: `${n}` }))} />
              </Form.Item>
            </Col>
            <Col span={16}>
              <Form.Item name={['dossier', 'securityAssessmentDocumentId']} label={t('unit.register.assessment')} rules={required}><DocumentField /></Form.Item>
            </Col>
          </Row>
        </Card>
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('unit.register.contacts')}</h2>} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col span={12}>{contact('technicalContact')}</Col>
            <Col span={12}>{contact('businessContact')}</Col>
          </Row>
        </Card>
        <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('unit.register.letter')}</h2>} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col span={8}><Form.Item name={['dossier', 'requestLetter', 'number']} label={t('unit.register.letterNumber')} rules={required}><Input placeholder="123/BTC-CNTT" /></Form.Item></Col>
            <Col span={8}><Form.Item name={['dossier', 'requestLetter', 'date']} label={t('unit.register.letterDate')} rules={required}><DatePicker format="DD/MM/YYYY" style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} /></Form.Item></Col>
            <Col span={8}><Form.Item name={['dossier', 'requestLetter', 'signedBy']} label={t('unit.register.letterSignedBy')} rules={required}><Input /></Form.Item></Col>
          </Row>
          <Form.Item name={['dossier', 'requestLetter', 'documentId']} label={t('unit.register.letterDocument')} rules={required}><DocumentField /></Form.Item>
        </Card>
        {revise && (
          <Form.Item name="note" label={t('unit.register.note')}><Input.TextArea rows={3} /></Form.Item>
        )}
        <FailureAlert error={error} onClose={() => setError(null)} />
        <Space style={{ marginTop: 16 }}>
          <Button type="primary" htmlType="submit" loading={busy}>{t(revise ? 'unit.register.resubmit' : 'unit.register.submit')}</Button>
          <Button onClick={onCancel}>{t('unit.common.cancel')}</Button>
        </Space>
      </Form>
    </Space>
  );

}

/** A returned request's dossier as the form holds it (the letter's date as a day). */
function revisedValues(c: Connection): Partial<Values> {
  const d = c.dossier!;
  return {
    name: c.name,
    dossier: {
      ...d,
      requestLetter: d.requestLetter ? { ...d.requestLetter, date: dayjs(d.requestLetter.date) } : undefined,
    } as Values['dossier'],
  };
}
