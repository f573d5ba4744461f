import { Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { api, call } from '../api/client';
import { useLabels } from '../i18n';
import { NewPasswordFields } from './NewPasswordFields';
import { FailureAlert, markFieldErrors } from '../shared/failure';

const CODE_PART = /^[0-9A-Za-z -]{16,32}$/;

/**
 * A new holder takes up their account: the two halves of the one-time code (the administrator's
 * and a security officer's, each given in person) and a password of their own. The second factor
 * is enrolled at the first sign-in that follows.
 */
export function Activation({ onActivated, onCancel }: { onActivated: (username: string) => void; onCancel: () => void }) {
  const { t } = useLabels();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: { username: string; administratorPart: string; securityOfficerPart: string; newPassword: string }) => {
    setBusy(true);
    setError(null);
    try {
      const { username, administratorPart, securityOfficerPart, newPassword } = values;
      await call(api.POST('/control/v1/auth/activation', { body: { username: username.trim(), administratorPart: administratorPart.trim(), securityOfficerPart: securityOfficerPart.trim(), newPassword } }));
      onActivated(username.trim());
    } catch (failure) {
      setError(failure);
      markFieldErrors(form, failure);
    } finally {
      setBusy(false);
    }
  };

  const part = [{ required: true, message: t('signIn.required') }, { pattern: CODE_PART, message: t('activation.partFormat') }];
  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} aria-label={t('activation.title')}>
      <Typography.Title level={2} style={{ fontSize: 18 }}>{t('activation.title')}</Typography.Title>
      <Typography.Paragraph>{t('activation.intro')}</Typography.Paragraph>
      <FailureAlert error={error} />
      <Form.Item name="username" label={t('signIn.username')} rules={[{ required: true, message: t('signIn.required') }]}>
        <Input autoComplete="username" autoFocus />
      </Form.Item>
      <Form.Item name="administratorPart" label={t('activation.administratorPart')} rules={part}>
        <Input autoComplete="off" placeholder="XXXX-XXXX-XXXX-XXXX" />
      </Form.Item>
      <Form.Item name="securityOfficerPart" label={t('activation.securityOfficerPart')} rules={part}>
        <Input autoComplete="off" placeholder="XXXX-XXXX-XXXX-XXXX" />
      </Form.Item>
      <Typography.Paragraph type="secondary">{t('password.rules')}</Typography.Paragraph>
      <NewPasswordFields />
      <Button type="primary" htmlType="submit" block loading={busy}>{t('activation.submit')}</Button>
      <Button type="link" block onClick={onCancel} style={{ marginTop: 8, color: '#003a8c' }}>{t('activation.back')}</Button>
    </Form>
  );
}
