import { DownloadOutlined, FileTextOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Radio, Space, Table, Tag, Typography, Upload } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { useLabels } from '../../i18n';
import { FailureAlert } from '../../shared/failure';
import { useFormSubmit } from '../../shared/form-submit';
import { downloadText } from '../../shared/download';
import { CertificateStatus } from '../../shared/CertificateStatus';
import { formatDateTime } from '../../shared/dates';

type Connection = components['schemas']['ConnectionView'];
type Certificate = components['schemas']['CertificateView'];
type CertificatePage = components['schemas']['CertificatePage'];
type Csr = components['schemas']['SubmitCsrDto'];

/** The issued certificate as a PEM file named by the unit, environment and serial. */
function downloadPem(certificate: Certificate, connection: Connection): void {
  downloadText(certificate.certificatePem, `${connection.unitCode ?? connection.id.slice(0, 8)}-${certificate.environment}-${certificate.serialNumber}.pem`);
}

/** Steps 4 and 6 for the unit: send a CSR (pasted or from a file) and take the issued certificate. */
export function Certificates({ connection, onChanged }: { connection: Connection; onChanged: () => Promise<void> }) {
  const { t } = useLabels();
  const { message } = App.useApp();
  const [form] = Form.useForm<Csr>();
  const [certificates, setCertificates] = useState<Certificate[]>([]);
  const { busy, error, setError, submit } = useFormSubmit(form, async (values: Csr) => {
    await call(api.POST('/control/v1/connections/{id}/certificate-requests', { params: { path: { id: connection.id } }, body: { environment: values.environment, csrPem: values.csrPem.trim() } }));
    void message.success(t('unit.certificates.sent'));
    form.resetFields(['csrPem']);
    await onChanged();
  });

  const load = useCallback(async () => {
    try {
      const page = await call<CertificatePage>(api.GET('/control/v1/connections/{id}/certificates', { params: { path: { id: connection.id }, query: { limit: 100 } } }));
      setCertificates(page.items);
    } catch (failure) {
      setError(failure);
    }
  }, [connection.id, setError]);
  useEffect(() => void load(), [load, connection.updatedAt]);

  const at = (v: string | null) => formatDateTime(v) || '—';
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('unit.certificates.upload')}</h2>}>
        <Typography.Paragraph>{t('unit.certificates.pasteOrFile')}</Typography.Paragraph>
        {connection.pendingCertificateRequests.length > 0 && (
          <Typography.Paragraph data-testid="pending-csr">
            {t('unit.detail.pendingCsr')}: {connection.pendingCertificateRequests.map((p) => `${t(`unit.certificates.${p.environment}`)} (${at(p.submittedAt)})`).join(', ')}
          </Typography.Paragraph>
        )}
        <Form<Csr> form={form} layout="vertical" onFinish={submit} initialValues={{ environment: 'test' }}>
          <Form.Item name="environment" label={t('unit.fields.environment')}>
            <Radio.Group options={[{ value: 'test', label: t('unit.certificates.test') }, { value: 'production', label: t('unit.certificates.production') }]} />
          </Form.Item>
          <Form.Item name="csrPem" label={t('unit.fields.csrPem')} rules={[{ required: true, message: t('unit.common.required') }]}>
            <Input.TextArea rows={6} placeholder="-----BEGIN CERTIFICATE REQUEST-----" style={{ fontFamily: 'monospace' }} />
          </Form.Item>
          <Space>
            <Upload
              accept=".csr,.pem,.req,.txt"
              showUploadList={false}
              beforeUpload={(file) => {
                void file.text().then((text) => form.setFieldsValue({ csrPem: text }));
                return false;
              }}
            >
              <Button icon={<FileTextOutlined />}>{t('unit.certificates.file')}</Button>
            </Upload>
            <Button type="primary" htmlType="submit" loading={busy}>{t('unit.certificates.submit')}</Button>
          </Space>
        </Form>
        <div style={{ marginTop: 12 }}><FailureAlert error={error} onClose={() => setError(null)} /></div>
      </Card>
      <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('unit.certificates.issued')}</h2>}>
        <Table<Certificate> rowKey="id" size="small" dataSource={certificates} pagination={false} data-testid="certificates"
          locale={{ emptyText: <Typography.Text>{t('unit.certificates.empty')}</Typography.Text> }}
          columns={[
            { title: t('unit.fields.environment'), dataIndex: 'environment', key: 'env', render: (e: string) => t(`unit.certificates.${e}`) },
            { title: t('unit.certificates.serial'), dataIndex: 'serialNumber', key: 'serial', render: (v: string) => <Typography.Text code>{v.slice(0, 16)}</Typography.Text> },
            { title: t('unit.certificates.subject'), dataIndex: 'subject', key: 'subject' },
            { title: t('unit.certificates.validity'), key: 'validity', render: (_: unknown, c: Certificate) => `${at(c.notBefore)} – ${at(c.notAfter)}` },
            // The thumbprint is what the gateway binds the token to and what its logs name (cnf x5t#S256).
            { title: t('certificate.thumbprint'), dataIndex: 'thumbprintSha256', key: 'thumbprint', render: (v: string) => <Typography.Text code copyable={{ text: v }}>{v.slice(0, 16)}…</Typography.Text> },
            { title: t('unit.certificates.status'), key: 'status', render: (_: unknown, c: Certificate) => <CertificateStatus certificate={c} /> },
            { title: '', key: 'download', render: (_: unknown, c: Certificate) => <Button size="small" icon={<DownloadOutlined />} onClick={() => downloadPem(c, connection)}>{t('unit.certificates.download')}</Button> },
          ]} />
      </Card>
    </Space>
  );
}
