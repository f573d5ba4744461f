import { Tabs, Typography } from 'antd';
import type { Me } from '../../api/views';
import { useLabels } from '../../i18n';
import { Accounts } from './Accounts';
import { Delegations } from './Delegations';
import { RolePolicies } from './RolePolicies';

/** The system administrator's screen: accounts, delegations, roles' sign-in policies. */
export default function AdminScreen({ me }: { me: Me }) {
  const { t } = useLabels();
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('admin.title')}</Typography.Title>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'accounts', label: t('admin.tabs.accounts'), children: <Accounts selfId={me.accountId} /> },
          { key: 'delegations', label: t('admin.tabs.delegations'), children: <Delegations selfId={me.accountId} /> },
          { key: 'roles', label: t('admin.tabs.roles'), children: <RolePolicies /> },
        ]}
      />
    </>
  );
}
