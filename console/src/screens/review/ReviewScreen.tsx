import { Flex, Spin, Tabs, Typography } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useLabels } from '../../i18n';
import { ConnectionList } from './ConnectionList';
import { ReviewQueue } from './ReviewQueue';

// The detail (dossier, agreement editor, action forms) is the heavy part: loaded when opened.
const ConnectionReview = lazy(() => import('./ConnectionReview'));

/** The connection a reviewer has open, kept in the address (?connection=…) so that back and reload work. */
function useOpenConnection(): [string | null, (id: string | null) => void] {
  const read = () => new URLSearchParams(window.location.search).get('connection');
  const [id, setId] = useState<string | null>(read);
  useEffect(() => {
    const onPop = () => setId(read());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const open = (next: string | null) => {
    window.history.pushState(null, '', next ? `${window.location.pathname}?connection=${next}` : window.location.pathname);
    setId(next);
  };
  return [id, open];
}

/** The DTD reviewer's part of Appendix II part I: the work queue, every connection, one connection's file. */
export default function ReviewScreen() {
  const { t } = useLabels();
  const [open, setOpen] = useOpenConnection();
  const [tab, setTab] = useState('queue');

  if (open) {
    return (
      <Suspense fallback={<Flex justify="center"><Spin /></Flex>}>
        <ConnectionReview id={open} onBack={() => setOpen(null)} />
      </Suspense>
    );
  }
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>{t('review.title')}</Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'queue', label: t('review.tabs.queue'), children: <ReviewQueue onOpen={setOpen} /> },
          { key: 'all', label: t('review.tabs.all'), children: <ConnectionList onOpen={setOpen} /> },
        ]}
      />
    </>
  );
}
