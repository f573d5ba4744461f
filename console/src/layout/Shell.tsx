import { AlertOutlined, ApartmentOutlined, ApiOutlined, AuditOutlined, BarChartOutlined, BellOutlined, CalendarOutlined, DesktopOutlined, FileTextOutlined, FolderOpenOutlined, HistoryOutlined, KeyOutlined, SwapOutlined, FileSearchOutlined, HomeOutlined, LinkOutlined, LogoutOutlined, NotificationOutlined, TeamOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Layout, Menu, Modal, Spin, Typography } from 'antd';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { ChangePassword } from '../auth/ChangePassword';
import { api, call } from '../api/client';
import type { Me, Role } from '../api/views';
import { useLabels } from '../i18n';
import { Home } from '../screens/Home';
import { usePath } from '../shared/router';
import { LanguageSwitch } from './LanguageSwitch';

// Each role's screens load on demand: the first screen needs only the shell.
const SecurityBoard = lazy(() => import('../screens/SecurityBoard'));
// The sessions list (a table) is opened from the header now and then: not in the first screen's bundle.
const OwnSessions = lazy(() => import('../auth/OwnSessions'));
const SecurityAlerts = lazy(() => import('../screens/security/SecurityAlerts'));
const AuditLog = lazy(() => import('../screens/AuditLog'));
const ConnectionRecords = lazy(() => import('../screens/inspection/ConnectionRecords'));
const RecordHistory = lazy(() => import('../screens/records/RecordHistory'));
const WorkingCalendar = lazy(() => import('../screens/calendar/WorkingCalendar'));
const PeriodicReports = lazy(() => import('../screens/reports/PeriodicReports'));
const UnitRegister = lazy(() => import('../screens/units/UnitRegister'));
const Notifications = lazy(() => import('../screens/Notifications'));
const UnitConnections = lazy(() => import('../screens/unit/UnitConnections'));
const UnitWebhook = lazy(() => import('../screens/unit/Webhook'));
const ReviewScreen = lazy(() => import('../screens/review/ReviewScreen'));
const AdminScreen = lazy(() => import('../screens/admin/AdminScreen'));
const Overview = lazy(() => import('../screens/overview/Overview'));
const MyDelegations = lazy(() => import('../screens/MyDelegations'));

interface Screen {
  path: string;
  label: string;
  icon: ReactNode;
  roles: Role[];
  render: (me: Me, onSessionChanged: () => void) => ReactNode;
}

const SCREENS: Screen[] = [
  { path: '/', label: 'shell.home', icon: <HomeOutlined />, roles: ['UNIT_ADMIN', 'DTD_REVIEWER', 'SECURITY_OFFICER', 'AUDITOR', 'SYSTEM_ADMIN'], render: () => null },
  // A unit's inbox, or the DTD's (the scheduled reports land there).
  { path: '/notifications', label: 'shell.notifications', icon: <BellOutlined />, roles: ['UNIT_ADMIN', 'DTD_REVIEWER'], render: () => <Notifications /> },
  // The unit administrator's screens (screens/unit/).
  { path: '/unit/connections', label: 'unit.nav.connections', icon: <LinkOutlined />, roles: ['UNIT_ADMIN'], render: () => <UnitConnections /> },
  { path: '/unit/webhook', label: 'unit.nav.webhook', icon: <ApiOutlined />, roles: ['UNIT_ADMIN'], render: () => <UnitWebhook /> },
  { path: '/board', label: 'shell.board', icon: <AlertOutlined />, roles: ['SECURITY_OFFICER'], render: () => <SecurityBoard /> },
  { path: '/security-alerts', label: 'alerts.title', icon: <NotificationOutlined />, roles: ['SECURITY_OFFICER'], render: () => <SecurityAlerts /> },
  { path: '/review', label: 'review.nav', icon: <FileSearchOutlined />, roles: ['DTD_REVIEWER'], render: () => <ReviewScreen /> },
  { path: '/reports', label: 'reports.nav', icon: <FileTextOutlined />, roles: ['DTD_REVIEWER', 'AUDITOR'], render: () => <PeriodicReports /> },
  { path: '/units', label: 'units.nav', icon: <ApartmentOutlined />, roles: ['DTD_REVIEWER'], render: () => <UnitRegister /> },
  { path: '/calendar', label: 'calendar.nav', icon: <CalendarOutlined />, roles: ['DTD_REVIEWER'], render: () => <WorkingCalendar /> },
  { path: '/audit', label: 'shell.audit', icon: <AuditOutlined />, roles: ['AUDITOR'], render: () => <AuditLog /> },
  { path: '/records', label: 'inspection.nav', icon: <FolderOpenOutlined />, roles: ['AUDITOR'], render: () => <ConnectionRecords /> },
  { path: '/record-history', label: 'recordHistory.nav', icon: <HistoryOutlined />, roles: ['DTD_REVIEWER', 'AUDITOR'], render: () => <RecordHistory /> },
  { path: '/overview', label: 'nav.overview', icon: <BarChartOutlined />, roles: ['DTD_REVIEWER', 'SECURITY_OFFICER', 'AUDITOR', 'SYSTEM_ADMIN'], render: () => <Overview /> },
  { path: '/delegation', label: 'delegation.title', icon: <SwapOutlined />, roles: ['UNIT_ADMIN', 'DTD_REVIEWER', 'SECURITY_OFFICER', 'AUDITOR', 'SYSTEM_ADMIN'], render: (me, onSessionChanged) => <MyDelegations me={me} onSessionChanged={onSessionChanged} /> },
  { path: '/accounts', label: 'nav.admin', icon: <TeamOutlined />, roles: ['SYSTEM_ADMIN'], render: (me) => <AdminScreen me={me} /> },
];

export function Shell({ me, failedSince, onSignedOut, onSessionChanged }: { me: Me; failedSince: number; onSignedOut: () => void; onSessionChanged: () => void }) {
  const { t, label } = useLabels();
  const [path, go] = usePath();
  const mine = SCREENS.filter((s) => s.roles.includes(me.role));
  const current = mine.find((s) => s.path === path) ?? mine[0];
  const [changingPassword, setChangingPassword] = useState(false);
  const [showingSessions, setShowingSessions] = useState(false);
  const { message } = App.useApp();

  const signOut = async () => {
    await call(api.POST('/control/v1/auth/sign-out')).catch(() => undefined);
    go('/');
    onSignedOut();
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {/* Wraps onto a second row rather than clip (antd's header is one 64 px line): at 1280 px and
          below, the title and a long role name did not fit beside the buttons. */}
      <Layout.Header style={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: '8px 16px', height: 'auto', minHeight: 64, lineHeight: 1.4, padding: '12px 24px', background: '#7f0000' }}>
        <Typography.Text strong style={{ color: '#fff', flex: '1 1 240px', minWidth: 200 }}>{t('app.title')}</Typography.Text>
        <Typography.Text style={{ color: '#fff' }} data-testid="whoami">
          {me.assistant ? t('shell.actingFor', { assistant: me.assistant.holderName, holder: me.holderName }) : me.holderName} — {label(me.role)}
        </Typography.Text>
        <LanguageSwitch />
        {/* The holder's own password: not while acting for someone else (the gateway refuses it). */}
        {!me.assistant && <Button icon={<KeyOutlined />} onClick={() => setChangingPassword(true)}>{t('password.title')}</Button>}
        <Button icon={<DesktopOutlined />} onClick={() => setShowingSessions(true)}>{t('sessions.title')}</Button>
        <Button icon={<LogoutOutlined />} onClick={signOut}>{t('shell.signOut')}</Button>
      </Layout.Header>
      <Modal open={changingPassword} title={t('password.title')} footer={null} onCancel={() => setChangingPassword(false)} destroyOnHidden>
        <ChangePassword
          onChanged={() => {
            setChangingPassword(false);
            void message.success(t('password.changed'));
          }}
        />
      </Modal>
      <Modal open={showingSessions} title={t('sessions.title')} footer={null} width={900} onCancel={() => setShowingSessions(false)} destroyOnHidden>
        <Suspense fallback={<Spin />}>
          <OwnSessions
            onEndedCurrent={() => {
              go('/');
              onSignedOut();
            }}
          />
        </Suspense>
      </Modal>
      <Layout>
        <Layout.Sider width={220} theme="light">
          <nav aria-label={t('app.console')}>
            <Menu
              mode="inline"
              selectedKeys={[current.path]}
              items={mine.map((s) => ({ key: s.path, icon: s.icon, label: t(s.label) }))}
              onClick={({ key }) => go(key)}
            />
          </nav>
        </Layout.Sider>
        <Layout.Content style={{ padding: 24 }}>
          <main>
            {failedSince > 0 && <Alert type="warning" showIcon closable title={t('signIn.failedSince', { count: failedSince })} style={{ marginBottom: 16 }} />}
            <Suspense fallback={<Flex justify="center"><Spin /></Flex>}>{current.path === '/' ? <Home me={me} /> : current.render(me, onSessionChanged)}</Suspense>
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
