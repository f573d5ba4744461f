import { Form, Input } from 'antd';
import { useLabels } from '../i18n';

/** A new password typed twice: at least 12 characters (the gateway judges its strength and names what is wrong). */
export function NewPasswordFields() {
  const { t } = useLabels();
  return (
    <>
      <Form.Item name="newPassword" label={t('password.new')} rules={[{ required: true, message: t('signIn.required') }, { min: 12, message: t('password.tooShort') }]}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['newPassword']}
        rules={[{ required: true, message: t('signIn.required') }, ({ getFieldValue }) => ({ validator: (_, v) => (v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch')))) })]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </>
  );
}
