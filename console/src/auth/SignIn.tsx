import { Alert, Button, Card, Flex, Form, Input, QRCode, Steps, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiFailure, call } from '../api/client';
import type { SignInAnswer } from '../api/views';
import { failureText, useLabels } from '../i18n';
import { LanguageSwitch } from '../layout/LanguageSwitch';
import { Activation } from './Activation';
import { ChangePassword } from './ChangePassword';

interface Props {
  notice: string | null;
  onSignedIn: (failedSinceLastSignIn: number) => void;
}

interface Enrolment {
  enrolmentToken: string;
  otpauthUri: string;
}

const CODE = /^\d{6}$/;
/**
 * The gateway answers every refused sign-in alike, backing off included (nothing tells a guesser
 * whether a username exists or is held back). The console, which knows what this person typed,
 * explains the back-off once their refusals in a row make it likely.
 */
const LOCKOUT_NOTICE_AFTER = 3;

/** Password + TOTP; the first sign-in enrols the authenticator app from a QR code (or its secret). */
export function SignIn({ notice, onSignedIn }: Props) {
  const { t, language } = useLabels();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [refusals, setRefusals] = useState<{ username: string; count: number }>({ username: '', count: 0 });
  // 'activate': a new holder's first visit; 'expired': signed in, but the password must change first.
  const [mode, setMode] = useState<'signIn' | 'activate' | 'expired'>('signIn');
  const [activated, setActivated] = useState(false);
  const [expiredPassword, setExpiredPassword] = useState('');
  const [form] = Form.useForm();

  const attempt = async (run: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (failure) {
      setError(failureText(failure, language, t('errors.network')));
    } finally {
      setBusy(false);
    }
  };

  const signIn = (values: { username: string; password: string; totpCode?: string }) =>
    attempt(async () => {
      let answer: SignInAnswer;
      try {
        answer = await call<SignInAnswer>(api.POST('/control/v1/auth/sign-in', { body: { ...values, totpCode: values.totpCode || undefined } }));
      } catch (failure) {
        if (failure instanceof ApiFailure && failure.code === 'INVALID_CREDENTIALS') {
          setRefusals((r) => ({ username: values.username, count: r.username === values.username ? r.count + 1 : 1 }));
        }
        throw failure;
      }
      setRefusals({ username: '', count: 0 });
      if ('mfaEnrolmentRequired' in answer) setEnrolment({ enrolmentToken: answer.enrolmentToken, otpauthUri: answer.otpauthUri });
      else if (answer.passwordChangeRequired) {
        // This session may only change the password: it was just typed, so it is not asked again.
        setExpiredPassword(values.password);
        setMode('expired');
      } else onSignedIn(answer.failedSignInsSinceLastSignIn ?? 0);
    });

  const enrol = (values: { totpCode: string }) =>
    attempt(async () => {
      await call(api.POST('/control/v1/auth/mfa-enrolment', { body: { enrolmentToken: enrolment!.enrolmentToken, totpCode: values.totpCode } }));
      onSignedIn(0);
    });

  const secret = enrolment ? (new URL(enrolment.otpauthUri).searchParams.get('secret') ?? '') : '';
  return (
    <Flex component="main" justify="center" align="center" style={{ minHeight: '100vh', background: '#f5f5f5' }}>
      <Card style={{ width: 440 }} styles={{ title: { whiteSpace: 'normal' } }} title={<Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>{t('app.title')}</Typography.Title>} extra={<LanguageSwitch />}>
        {notice && !error && <Alert type="info" showIcon title={t(notice)} style={{ marginBottom: 16 }} />}
        {error && <Alert role="alert" type="error" showIcon title={t('signIn.refused')} description={error} style={{ marginBottom: 16 }} data-testid="sign-in-error" />}
        {error && refusals.count >= LOCKOUT_NOTICE_AFTER && (
          <Alert type="warning" showIcon title={t('lockout.title')} description={t('lockout.body', { count: refusals.count })} style={{ marginBottom: 16 }} data-testid="lockout-notice" />
        )}
        {mode === 'activate' ? (
          <Activation
            onCancel={() => setMode('signIn')}
            onActivated={(username) => {
              setActivated(true);
              setMode('signIn');
              form.setFieldsValue({ username, password: '' });
            }}
          />
        ) : mode === 'expired' ? (
          <>
            <Typography.Title level={2} style={{ fontSize: 18 }}>{t('password.title')}</Typography.Title>
            <Alert type="warning" showIcon title={t('password.expired')} style={{ marginBottom: 16 }} />
            <ChangePassword currentPassword={expiredPassword} onChanged={() => onSignedIn(0)} />
          </>
        ) : !enrolment ? (
          <Form form={form} layout="vertical" onFinish={signIn} requiredMark={false} aria-label={t('signIn.title')}>
            {activated && <Alert type="success" showIcon title={t('activation.done')} style={{ marginBottom: 16 }} />}
            <Typography.Title level={2} style={{ fontSize: 18 }}>{t('signIn.title')}</Typography.Title>
            <Form.Item name="username" label={t('signIn.username')} rules={[{ required: true, message: t('signIn.required') }]}>
              <Input autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item name="password" label={t('signIn.password')} rules={[{ required: true, message: t('signIn.required') }]}>
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Form.Item name="totpCode" label={t('signIn.totp')} extra={t('signIn.totpHint')} rules={[{ pattern: CODE, message: t('signIn.codeFormat') }]}>
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>{t('signIn.submit')}</Button>
            <Button type="link" block onClick={() => { setError(null); setMode('activate'); }} style={{ marginTop: 8, color: '#003a8c' }}>{t('activation.open')}</Button>
          </Form>
        ) : (
          <Form layout="vertical" onFinish={enrol} requiredMark={false} aria-label={t('enrol.title')}>
            <Typography.Title level={2} style={{ fontSize: 18 }}>{t('enrol.title')}</Typography.Title>
            <Steps direction="vertical" size="small" current={1} items={[{ title: t('enrol.step1') }, { title: t('enrol.step2') }]} />
            <Flex vertical align="center" gap={8} style={{ margin: '12px 0' }}>
              {/* The canvas carries role="img" (Ant Design); its aria-label says what it is. */}
              <QRCode value={enrolment.otpauthUri} size={200} aria-label={t('enrol.qrAlt')} />
              <Typography.Text>
                {t('enrol.secret')}: <Typography.Text code copyable data-testid="totp-secret">{secret}</Typography.Text>
              </Typography.Text>
            </Flex>
            <Form.Item name="totpCode" label={t('signIn.totp')} rules={[{ required: true, message: t('signIn.required') }, { pattern: CODE, message: t('signIn.codeFormat') }]}>
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} autoFocus />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>{t('enrol.submit')}</Button>
          </Form>
        )}
      </Card>
    </Flex>
  );
}
