import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { App, AutoComplete, Button, Card, Checkbox, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiFailure, call } from '../../api/client';
import type { components } from '../../api/schema';
import { useLabels } from '../../i18n';
import { DayField } from '../../shared/DayField';
import { DocumentField } from '../../shared/DocumentField';
import { Problem } from './Problem';
import { type Agreement, type Connection } from './types';
import { todayInVietnam } from '../../shared/dates';

type Body = components['schemas']['RecordAgreementDto'];
const DATA_SETS = ['task-results', 'kpi-results'] as const;
const DIRECTIONS = ['push', 'pull'] as const;
const CLEARANCES = ['NONE', 'CONFIDENTIAL', 'SECRET'] as const;
const QUOTAS = ['readsPerMinute', 'writesPerMinute', 'readsPerDay', 'writesPerDay'] as const;
const FREQUENCIES = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly'] as const;
const DTD = 'Cục Chuyển đổi số - Cơ yếu';

/** The form starts from the version in force (a new version replaces it), or from the request's own scope. */
function startFrom(connection: Connection, latest: Agreement | undefined, t: (k: string) => string) {
  if (latest) {
    return { ...latest, ...latest.scope, quotas: latest.quotas, signedOn: todayInVietnam(), documentId: undefined };
  }
  return {
    dataSets: [...DATA_SETS],
    directions: [...DIRECTIONS],
    writeUnits: [connection.ownerUnit],
    readUnits: [connection.ownerUnit],
    classifiedClearance: 'NONE',
    frequency: t('review.agreement.frequencies.daily'),
    quotas: { readsPerMinute: 600, writesPerMinute: 120 },
    dataFormat: 'JSON theo Phụ lục II, Hướng dẫn 11-HD/VPTW',
    allowedSourceAddresses: [],
    signatories: [{ name: '', position: '', organisation: DTD }, { name: '', position: '', organisation: connection.ownerUnit }],
    signedOn: todayInVietnam(),
  };
}

/**
 * Step 3: the signed minutes. Scope (data sets, operations, units) and quotas become what the
 * data plane enforces; the frequency is written as agreed and enforced through the quotas.
 */
export function AgreementEditor({ connection, latest, onClose, onChanged }: {
  connection: Connection;
  latest?: Agreement;
  onClose: () => void;
  onChanged: () => Promise<Connection | undefined>;
}) {
  const { t, label } = useLabels();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [stateNow, setStateNow] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const required = [{ required: true, message: t('review.form.required') }];

  const submit = async (v: Record<string, any>) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const quotas = Object.fromEntries(QUOTAS.filter((q) => v.quotas?.[q]).map((q) => [q, v.quotas[q]]));
    const body: Body = {
      scope: { dataSets: v.dataSets, directions: v.directions, writeUnits: v.writeUnits ?? [], readUnits: v.readUnits ?? [], classifiedClearance: v.classifiedClearance },
      dataFormat: v.dataFormat,
      frequency: v.frequency,
      quotas,
      securityMeasures: v.securityMeasures,
      allowedSourceAddresses: v.allowedSourceAddresses ?? [],
      responsibilities: v.responsibilities,
      incidentHandling: v.incidentHandling,
      signatories: v.signatories,
      signedOn: v.signedOn,
      documentId: v.documentId,
    };
    setBusy(true);
    setError(null);
    try {
      await call(api.POST('/control/v1/connections/{id}/agreements', { params: { path: { id: connection.id } }, body }));
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

  const text = (name: string, key: string, rows = 2) => (
    <Form.Item name={name} label={t(`review.agreement.${key}`)} rules={required}><Input.TextArea rows={rows} /></Form.Item>
  );

  return (
    <Modal
      open
      title={`${t('review.agreement.title')}: ${connection.name}`}
      okText={t('review.agreement.record')}
      okButtonProps={{ loading: busy }}
      cancelText={t('review.act.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={960}
      destroyOnHidden
    >
      <Typography.Paragraph>{t('review.agreement.guidance')}</Typography.Paragraph>
      <Problem error={error} currentState={stateNow} />
      <Form form={form} layout="vertical" onFinish={submit} initialValues={startFrom(connection, latest, t)}>
        <Card size="small" title={<h2 style={{ fontSize: 14, margin: 0 }}>{t('review.agreement.scope')}</h2>} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col span={12}>
              {/* No `rules` here: Ant Design would put aria-required on a plain div (axe); the gateway refuses an empty list in words. */}
              <Form.Item name="dataSets" label={t('review.agreement.dataSets')}>
                <Checkbox.Group options={DATA_SETS.map((v) => ({ value: v, label: label(v) }))} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="directions" label={t('review.agreement.directions')}>
                <Checkbox.Group options={DIRECTIONS.map((v) => ({ value: v, label: label(v) }))} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="writeUnits" label={t('review.agreement.writeUnits')}><Select mode="tags" tokenSeparators={[',', ';']} open={false} /></Form.Item>
          <Form.Item name="readUnits" label={t('review.agreement.readUnits')}><Select mode="tags" tokenSeparators={[',', ';']} open={false} /></Form.Item>
          <Form.Item name="classifiedClearance" label={t('review.agreement.classifiedClearance')}>
            <Select options={CLEARANCES.map((v) => ({ value: v, label: label(v) }))} />
          </Form.Item>
        </Card>
        <Card size="small" title={<h2 style={{ fontSize: 14, margin: 0 }}>{t('review.agreement.quotas')}</h2>} style={{ marginBottom: 16 }}>
          <Form.Item name="frequency" label={t('review.agreement.frequency')} rules={required}>
            <AutoComplete options={FREQUENCIES.map((f) => ({ value: t(`review.agreement.frequencies.${f}`) }))} />
          </Form.Item>
          <Row gutter={16}>
            {QUOTAS.map((q) => (
              <Col span={6} key={q}>
                <Form.Item name={['quotas', q]} label={t(`review.agreement.${q}`)}><InputNumber min={1} style={{ width: '100%' }} /></Form.Item>
              </Col>
            ))}
          </Row>
        </Card>
        {text('dataFormat', 'dataFormat', 1)}
        {text('securityMeasures', 'securityMeasures')}
        <Form.Item name="allowedSourceAddresses" label={t('review.agreement.allowedSourceAddresses')}><Select mode="tags" tokenSeparators={[',', ' ']} open={false} /></Form.Item>
        {text('responsibilities', 'responsibilities')}
        {text('incidentHandling', 'incidentHandling')}
        <Card size="small" title={<h2 style={{ fontSize: 14, margin: 0 }}>{t('review.agreement.signatories')}</h2>} style={{ marginBottom: 16 }}>
          <Form.List name="signatories">
            {(items, { add, remove }) => (
              <>
                {items.map((item, n) => (
                  <Space key={item.key} align="start" wrap data-testid={`signatory-${n}`}>
                    <Form.Item name={[item.name, 'name']} label={`${t('review.agreement.signatoryName')} ${n + 1}`} rules={required}><Input /></Form.Item>
                    <Form.Item name={[item.name, 'position']} label={`${t('review.agreement.position')} ${n + 1}`} rules={required}><Input /></Form.Item>
                    <Form.Item name={[item.name, 'organisation']} label={`${t('review.agreement.organisation')} ${n + 1}`} rules={required}><Input style={{ minWidth: 260 }} /></Form.Item>
                    {items.length > 2 && <Button aria-label={t('review.agreement.remove')} icon={<MinusCircleOutlined />} onClick={() => remove(item.name)} style={{ marginTop: 30 }} />}
                  </Space>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add({ name: '', position: '', organisation: '' })}>{t('review.agreement.addSignatory')}</Button>
              </>
            )}
          </Form.List>
        </Card>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="signedOn" label={t('review.agreement.signedOn')} rules={required}><DayField /></Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="documentId" label={t('review.agreement.document')} rules={required}><DocumentField /></Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
