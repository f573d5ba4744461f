import { App, Button, Form, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { api, ApiFailure, call } from '../../api/client';
import { useLabels } from '../../i18n';
import { Problem } from './Problem';
import { mayIssueCertificate } from '../../../../src/connections/certificate-issuance-states';
import type { Certificate, Connection } from './types';
import { useConfirm } from '../../shared/confirm';

/** The unit's pending requests DTD can answer here, each as a button (step 4, step 7's renewal). */
export function IssueFromPendingRequests({ connection, onChanged }: { connection: Connection; onChanged: () => Promise<Connection | undefined> }) {
  const { t, label } = useLabels();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const [error, setError] = useState<unknown>(null);
  // The gateway's rule (certificate-issuance-states.ts); anything else is a 409 said in words.
  const pending = connection.pendingCertificateRequests.filter((p) => mayIssueCertificate(p.environment, connection.state));
  // A refusal stays said after a reload emptied the list (someone answered the request meanwhile).
  if (pending.length === 0) return error ? <Problem error={error} /> : null;

  const issue = async (environment: 'test' | 'production') => {
    if (!(await confirm(t('review.certificates.issueTitle', { environment: label(environment) }), t('review.certificates.issueConfirm', { name: connection.name }), { danger: false }))) return;
    setError(null);
    try {
      await call(api.POST('/control/v1/connections/{id}/certificates', { params: { path: { id: connection.id } }, body: { environment } }));
      void message.success(t('review.certificates.issued'));
      await onChanged();
    } catch (failure) {
      setError(failure);
      if (failure instanceof ApiFailure && failure.status === 409) await onChanged();
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%', marginBottom: 12 }}>
      <Problem error={error} />
      <Space wrap>
        {pending.map((p) => (
          <Button key={p.environment} type="primary" onClick={() => void issue(p.environment)}>{t('review.certificates.issue', { environment: label(p.environment) })}</Button>
        ))}
      </Space>
    </Space>
  );
}

/** Revokes one certificate at once (refused at the handshake within a second), with the reason recorded. */
export function RevokeCertificateDialog({ connection, certificate, onClose, onChanged }: {
  connection: Connection;
  certificate: Certificate;
  onClose: () => void;
  onChanged: () => Promise<Connection | undefined>;
}) {
  const { t, label } = useLabels();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async ({ reason }: { reason: string }) => {
    setBusy(true);
    setError(null);
    try {
      await call(api.POST('/control/v1/connections/{id}/certificates/{certificateId}/revoke', { params: { path: { id: connection.id, certificateId: certificate.id } }, body: { reason } }));
      void message.success(t('review.certificates.revoked'));
      await onChanged();
      onClose();
    } catch (failure) {
      setError(failure);
      await onChanged();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={t('review.certificates.revokeTitle', { environment: label(certificate.environment), serial: certificate.serialNumber })}
      okText={t('review.certificates.revoke')} okButtonProps={{ danger: true, loading: busy }} cancelText={t('review.act.cancel')}
      onOk={() => form.submit()} onCancel={onClose} width={560} destroyOnHidden>
      <Problem error={error} />
      <p>{t('review.certificates.revokeWarning')}</p>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="reason" label={t('review.form.reason')} rules={[{ required: true, message: t('review.form.required') }, { max: 200, message: t('review.certificates.reasonTooLong') }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
