import { Alert, App, Button, Select, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import type { Role } from '../../api/views';
import { failureText, useLabels } from '../../i18n';
import { ROLES } from './AccountActions';

type PolicyPage = components['schemas']['RoleSignInPolicyPage'];
type Factor = 'TOTP' | 'CLIENT_CERTIFICATE';

/**
 * The roles and how their accounts prove the second factor (III.2.c). A role's accounts follow
 * its policy unless set otherwise; moving a role to certificates while some of its accounts have
 * none is refused (409 NO_SIGN_IN_CERTIFICATE), and said so here.
 */
export function RolePolicies() {
  const { t, label, language } = useLabels();
  const { message } = App.useApp();
  const [policies, setPolicies] = useState<Map<string, Factor>>(new Map());
  const [choice, setChoice] = useState<Map<string, Factor>>(new Map());
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const page = await call<PolicyPage>(api.GET('/control/v1/sign-in-policies', { params: { query: { limit: 100 } } }));
      setPolicies(new Map(page.items.map((p) => [p.role, p.secondFactor as Factor])));
    } catch (failure) {
      setError(failureText(failure, language, t('errors.generic')));
    }
  }, [language, t]);
  useEffect(() => void load(), [load]);

  const apply = async (role: Role) => {
    setError(null);
    try {
      await call(api.PUT('/control/v1/sign-in-policies/{role}', { params: { path: { role } }, body: { secondFactor: choice.get(role) ?? policies.get(role) ?? 'TOTP' } }));
      void message.success(t('admin.done'));
      await load();
    } catch (failure) {
      setError(failureText(failure, language, t('errors.generic')));
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph>{t('admin.policy.intro')}</Typography.Paragraph>
      {error && <Alert role="alert" type="error" showIcon title={t('incident.refused')} description={error} data-testid="policy-error" />}
      <Table
        rowKey="role"
        size="small"
        pagination={false}
        data-testid="role-policies"
        dataSource={ROLES.map((role) => ({ role }))}
        columns={[
          { title: t('admin.role'), dataIndex: 'role', key: 'role', render: (r: string) => label(r) },
          {
            title: t('admin.policy.secondFactor'),
            key: 'factor',
            render: (_: unknown, { role }: { role: Role }) => (
              <Select<Factor>
                aria-label={`${t('admin.policy.secondFactor')}: ${label(role)}`}
                style={{ width: 240 }}
                value={choice.get(role) ?? policies.get(role) ?? 'TOTP'}
                onChange={(v) => setChoice(new Map(choice).set(role, v))}
                options={(['TOTP', 'CLIENT_CERTIFICATE'] as const).map((f) => ({ value: f, label: t(`admin.policy.factors.${f}`) }))}
              />
            ),
          },
          { title: t('admin.actions'), key: 'apply', render: (_: unknown, { role }: { role: Role }) => <Button size="small" onClick={() => void apply(role)}>{t('admin.policy.save')}</Button> },
        ]}
      />
    </Space>
  );
}
