import { Flex, Space, Spin, Tabs, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useLabels } from '../../i18n';
import { useSearchParam } from '../../shared/router';
import { ConnectionList } from '../review/ConnectionList';
import { ConnectionIncidents } from './ConnectionIncidents';

// The file is the reviewer's, read-only: loaded when one is opened.
const ConnectionReview = lazy(() => import('../review/ConnectionReview'));

/**
 * The inspector's connection records (step 7: "minutes kept for inspection and audit"; IV.6): every
 * connection, and one connection's file as the DTD keeps it — dossier, decisions, agreements,
 * certificates, history, monitoring and maintenance minutes, remediation — with its incidents;
 * and every incident, those about no connection included.
 * Nothing here changes anything; the audit log records each read.
 */
export default function ConnectionRecords() {
  const { t } = useLabels();
  const [open, setOpen] = useSearchParam('connection');
  // An incident open in the address belongs to the connection open: both leave together.
  const [, setIncident] = useSearchParam('incident');
  const [tab, setTab] = useSearchParam('tab');
  const show = (id: string | null) => {
    setIncident(null, { replace: true });
    setOpen(id);
  };

  if (open) {
    return (
      <Suspense fallback={<Flex justify="center"><Spin /></Flex>}>
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <ConnectionReview id={open} onBack={() => show(null)} readOnly />
          <ConnectionIncidents connectionId={open} />
        </Space>
      </Suspense>
    );
  }
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('inspection.title')}</Typography.Title>
      <Typography.Paragraph>{t('inspection.intro')}</Typography.Paragraph>
      <Tabs
        activeKey={tab ?? 'connections'}
        onChange={(key) => setTab(key === 'connections' ? null : key, { replace: true })}
        items={[
          { key: 'connections', label: t('inspection.tabs.connections'), children: <ConnectionList onOpen={show} /> },
          { key: 'incidents', label: t('inspection.tabs.incidents'), children: <ConnectionIncidents /> },
        ]}
      />
    </>
  );
}
