import { Button, Form, Input, Typography } from 'antd';
import { api, call } from '../api/client';
import { FailureAlert } from '../shared/failure';
import { useFormSubmit } from '../shared/form-submit';
import { useLabels } from '../i18n';
import { NewPasswordFields } from './NewPasswordFields';

interface Props {
  /** Known when the sign-in just checked it (an expired password); asked for otherwise. */
  currentPassword?: string;
  onChanged: () => void;
}

/**
 * A new password of the holder's own: 12 characters or more, strong enough, none of the last few
 * (the gateway checks and names what is wrong). Every earlier session ends; the new one is the
 * browser's cookie.
 */
export function ChangePassword({ currentPassword, onChanged }: Props) {
  const { t } = useLabels();
  const [form] = Form.useForm();
  const { busy, error, submit } = useFormSubmit(form, async (values: { currentPassword?: string; newPassword: string }) => {
    await call(api.POST('/control/v1/auth/password', { body: { currentPassword: currentPassword ?? values.currentPassword ?? '', newPassword: values.newPassword } }));
    onChanged();
  });

  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} aria-label={t('password.title')}>
      <Typography.Paragraph>{t('password.rules')}</Typography.Paragraph>
      <FailureAlert error={error} />
      {currentPassword === undefined && (
        <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('signIn.required') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
      )}
      <NewPasswordFields />
      <Button type="primary" htmlType="submit" block loading={busy}>{t('password.submit')}</Button>
    </Form>
  );
}
