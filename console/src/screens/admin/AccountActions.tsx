import { Alert, Button, DatePicker, Form, Input, Modal, Radio, Select, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import type { Role } from '../../api/views';
import { failureText, useLabels } from '../../i18n';
import { ActivationResult } from './ActivationResult';
import { formatDateTime } from '../../shared/dates';
import { downloadText } from '../../shared/download';
import { useConfirm } from '../../shared/confirm';

type Account = components['schemas']['AccountView'];
type Issued = components['schemas']['IssuedActivationView'];
type IssuedCertificate = components['schemas']['IssuedSignInCertificateView'];

export type ActionKind = 'create' | 'lock' | 'unlock' | 'reset' | 'handOver' | 'deactivate' | 'reactivate' | 'signInCertificate' | 'secondFactor' | 'identity';
export const ROLES: Role[] = ['UNIT_ADMIN', 'DTD_REVIEWER', 'SECURITY_OFFICER', 'AUDITOR', 'SYSTEM_ADMIN'];

interface Values {
  username?: string;
  role?: Role;
  unit?: string;
  holderName?: string;
  newHolderName?: string;
  position?: string;
  phone?: string;
  email?: string;
  reason?: string;
  until?: Dayjs | null;
  cause?: 'LEFT' | 'CHANGED_POST';
  csrPem?: string;
  /** Written only: the stored number is shown masked; empty leaves it as it is. */
  citizenId?: string;
  /** ROLE: follow the role's policy (null on the API). */
  secondFactor?: 'ROLE' | 'TOTP' | 'CLIENT_CERTIFICATE';
}

const TITLES: Record<ActionKind, string> = {
  create: 'admin.create',
  lock: 'admin.lock',
  unlock: 'admin.unlock',
  reset: 'admin.reset',
  handOver: 'admin.handOver',
  deactivate: 'admin.deactivate',
  reactivate: 'admin.reactivate',
  signInCertificate: 'admin.signInCertificate',
  secondFactor: 'admin.secondFactor',
  identity: 'admin.identity',
};

const optional = (v?: string) => (v && v.trim() ? v.trim() : undefined);

/**
 * One dialog for every act on an account: its form, then (for those that issue a new activation
 * code) the administrator's half of the code. A refusal (409 USERNAME_TAKEN, ACCOUNT_DEACTIVATED…)
 * stays in the dialog, in words.
 */
export function AccountAction({ kind, account, onClose, onDone }: { kind: ActionKind; account: Account | null; onClose: () => void; onDone: () => void }) {
  const { t, label, language } = useLabels();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [certificate, setCertificate] = useState<IssuedCertificate | null>(null);
  const role = Form.useWatch('role', form);
  const confirm = useConfirm();
  const required = [{ required: true, message: t('signIn.required') }];
  const id = account?.id ?? '';
  const path = { params: { path: { id } } };

  const run = async (v: Values): Promise<Issued | null> => {
    // The generated schema types these nullable strings oddly (no `type` beside `nullable`): sent as they are.
    const identity: object = { position: optional(v.position), phone: optional(v.phone), email: optional(v.email) };
    switch (kind) {
      case 'create':
        return call<Issued>(api.POST('/control/v1/accounts', { body: { username: v.username!.trim(), role: v.role!, unit: v.role === 'UNIT_ADMIN' ? v.unit : undefined, holderName: v.holderName!, ...identity } }));
      case 'reset':
        return call<Issued>(api.POST('/control/v1/accounts/{id}/credential-reset', { ...path, body: { reason: v.reason! } }));
      case 'handOver':
        return call<Issued>(api.POST('/control/v1/accounts/{id}/handover', { ...path, body: { newHolderName: v.newHolderName!, reason: v.reason!, ...identity } }));
      case 'reactivate':
        return call<Issued>(api.POST('/control/v1/accounts/{id}/reactivate', { ...path, body: { reason: v.reason!, holderName: optional(v.holderName) } }));
      case 'lock':
        await call(api.POST('/control/v1/accounts/{id}/lock', { ...path, body: { reason: v.reason!, until: v.until ? v.until.toISOString() : undefined } }));
        return null;
      case 'unlock':
        await call(api.POST('/control/v1/accounts/{id}/unlock', { ...path, body: { reason: v.reason! } }));
        return null;
      case 'deactivate':
        await call(api.POST('/control/v1/accounts/{id}/deactivate', { ...path, body: { cause: v.cause!, reason: v.reason! } }));
        return null;
      case 'signInCertificate':
        // The holder made the key pair and the request: the private key never reaches the gateway.
        setCertificate(await call<IssuedCertificate>(api.POST('/control/v1/accounts/{id}/sign-in-certificate', { ...path, body: { csrPem: v.csrPem!.trim() } })));
        return null;
      case 'identity': {
        // Only what the administrator changed is sent (the history names those fields, and a field
        // someone else changed meanwhile is left alone); an emptied field clears it (null); the
        // citizen ID only when a new one is typed.
        const cleared = (value?: string) => (value && value.trim() ? value.trim() : null);
        const changed = (['position', 'phone', 'email'] as const).filter((f) => cleared(v[f]) !== (account?.[f] ?? null));
        const body: Record<string, string | null> = Object.fromEntries(changed.map((f) => [f, cleared(v[f])]));
        if (optional(v.citizenId)) body.citizenId = optional(v.citizenId)!;
        if (Object.keys(body).length) await call(api.PUT('/control/v1/accounts/{id}/identity', { ...path, body: body as object }));
        return null;
      }
      case 'secondFactor':
        await call(api.PUT('/control/v1/accounts/{id}/second-factor', { ...path, body: { secondFactor: v.secondFactor === 'ROLE' ? null : v.secondFactor! } }));
        return null;
    }
  };

  const submit = async (values: Values) => {
    // A new sign-in certificate replaces the registered one at once: its holder signs in with the new one only.
    if (kind === 'signInCertificate' && account?.signInCertificate
      && !(await confirm(t('admin.replaceCertificate'), t('admin.replaceCertificateConfirm', { username: account.username, until: formatDateTime(account.signInCertificate.notAfter) })))) return;
    setBusy(true);
    setError(null);
    try {
      const result = await run(values);
      onDone();
      if (result) setIssued(result);
      else if (kind !== 'signInCertificate') onClose();
    } catch (failure) {
      setError(failureText(failure, language, t('errors.generic')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={account ? `${t(TITLES[kind])}: ${account.username}` : t(TITLES[kind])}
      okText={issued || certificate ? t('incident.close') : t(TITLES[kind])}
      okButtonProps={{ danger: kind === 'deactivate' || kind === 'lock', loading: busy }}
      cancelText={t('board.cancel')}
      cancelButtonProps={issued || certificate ? { style: { display: 'none' } } : undefined}
      onOk={() => (issued || certificate ? onClose() : form.submit())}
      onCancel={onClose}
      destroyOnHidden
      width={600}
    >
      {error && <Alert role="alert" type="error" showIcon title={t('incident.refused')} description={error} style={{ marginBottom: 16 }} data-testid="action-error" />}
      {issued ? (
        <ActivationResult issued={issued} />
      ) : certificate ? (
        <SignInCertificateResult certificate={certificate} username={account?.username ?? ''} />
      ) : (
        <Form<Values> form={form} layout="vertical" onFinish={submit} initialValues={{ role: 'UNIT_ADMIN', cause: 'LEFT', secondFactor: account?.secondFactor ?? 'ROLE', ...(kind === 'identity' ? { position: account?.position ?? '', phone: account?.phone ?? '', email: account?.email ?? '' } : {}) }} aria-label={t(TITLES[kind])}>
          {kind === 'reset' && <Typography.Paragraph>{t('admin.resetHint')}</Typography.Paragraph>}
          {kind === 'handOver' && <Typography.Paragraph>{t('admin.handOverHint')}</Typography.Paragraph>}
          {kind === 'create' && (
            <>
              <Form.Item name="username" label={t('admin.username')} extra={t('admin.usernameRule')} rules={[...required, { pattern: /^[a-z0-9._-]{3,100}$/, message: t('admin.usernameRule') }]}><Input autoComplete="off" /></Form.Item>
              <Form.Item name="role" label={t('admin.role')} rules={required}>
                <Select options={ROLES.map((r) => ({ value: r, label: label(r) }))} />
              </Form.Item>
              {role === 'UNIT_ADMIN' && <Form.Item name="unit" label={t('admin.unit')} rules={required}><Input /></Form.Item>}
              <Form.Item name="holderName" label={t('admin.holderName')} rules={required}><Input /></Form.Item>
            </>
          )}
          {kind === 'handOver' && <Form.Item name="newHolderName" label={t('admin.newHolder')} rules={required}><Input /></Form.Item>}
          {(kind === 'create' || kind === 'handOver' || kind === 'identity') && (
            <>
              <Form.Item name="position" label={t('admin.position')}><Input /></Form.Item>
              <Form.Item name="phone" label={t('admin.phone')} rules={[{ pattern: /^\+?[0-9][0-9 .()-]{6,28}$/, message: t('validation.phone') }]}><Input /></Form.Item>
              <Form.Item name="email" label={t('admin.email')} rules={[{ type: 'email', message: t('validation.email') }]}><Input /></Form.Item>
            </>
          )}
          {kind === 'deactivate' && (
            <Form.Item name="cause" label={t('admin.cause')} rules={required}>
              <Radio.Group options={(['LEFT', 'CHANGED_POST'] as const).map((c) => ({ value: c, label: t(`admin.causes.${c}`) }))} />
            </Form.Item>
          )}
          {kind === 'reactivate' && <Form.Item name="holderName" label={t('admin.reactivateHolder')}><Input /></Form.Item>}
          {kind === 'lock' && <Form.Item name="until" label={t('admin.lockUntil')}><DatePicker showTime format="DD/MM/YYYY HH:mm" /></Form.Item>}
          {kind === 'identity' && (
            <Form.Item name="citizenId" label={t('admin.citizenId')} extra={t('admin.citizenIdHint', { masked: account?.citizenIdMasked ?? t('admin.none') })}
              rules={[{ pattern: /^\d{12}$/, transform: (value?: string) => value?.trim(), message: t('admin.citizenIdRule') }]}>
              <Input autoComplete="off" inputMode="numeric" maxLength={14} />
            </Form.Item>
          )}
          {kind === 'signInCertificate' && (
            <>
              <Typography.Paragraph>{t('admin.signInCertificateHint')}</Typography.Paragraph>
              <Form.Item name="csrPem" label={t('admin.csr')} rules={[...required, { pattern: /-----BEGIN CERTIFICATE REQUEST-----/, message: t('admin.csrPem') }]}>
                <Input.TextArea rows={8} spellCheck={false} style={{ fontFamily: 'monospace' }} />
              </Form.Item>
            </>
          )}
          {kind === 'secondFactor' && (
            <Form.Item name="secondFactor" label={t('admin.secondFactor')} rules={required} extra={account?.signInCertificate ? undefined : t('admin.noSignInCertificate')}>
              <Radio.Group options={[
                { value: 'ROLE', label: t('admin.followRole') },
                { value: 'TOTP', label: label('TOTP') },
                { value: 'CLIENT_CERTIFICATE', label: label('CLIENT_CERTIFICATE') },
              ]} />
            </Form.Item>
          )}
          {!['create', 'signInCertificate', 'secondFactor', 'identity'].includes(kind) && <Form.Item name="reason" label={t('admin.reason')} rules={required}><Input.TextArea rows={3} /></Form.Item>}
        </Form>
      )}
    </Modal>
  );
}

/** The issued sign-in certificate and its CA, to hand to the holder (PEM files; their key stays with them). */
function SignInCertificateResult({ certificate, username }: { certificate: IssuedCertificate; username: string }) {
  const { t } = useLabels();
  return (
    <div data-testid="sign-in-certificate">
      <Alert type="success" showIcon title={t('admin.signInCertificateIssued', { until: formatDateTime(certificate.notAfter) })} style={{ marginBottom: 12 }} />
      <Typography.Paragraph>{t('certificate.thumbprint')}: <Typography.Text code copyable>{certificate.thumbprint}</Typography.Text></Typography.Paragraph>
      <Space>
        <Button onClick={() => downloadText(certificate.certificatePem, `${username}-dang-nhap.pem`)}>{t('admin.downloadCertificate')}</Button>
        <Button onClick={() => downloadText(certificate.caCertificatePem, 'ca-cong.pem')}>{t('admin.downloadCa')}</Button>
      </Space>
    </div>
  );
}
