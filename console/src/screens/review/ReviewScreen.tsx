import { Flex, Spin, Tabs, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useLabels } from '../../i18n';
import { useSearchParam } from '../../shared/router';
import { ConnectionList } from './ConnectionList';
import { ReviewQueue } from './ReviewQueue';

// The detail (dossier, agreement editor, action forms) is the heavy part: loaded when opened.
const ConnectionReview = lazy(() => import('./ConnectionReview'));

/** The DTD reviewer's part of Appendix II part I: the work queue, every connection, one connection's file. */
export default function ReviewScreen() {
  const { t } = useLabels();
  // The connection open is in the address (?connection=…), so that back and reload work.
  const [open, setOpen] = useSearchParam('connection');
  // The tab too: coming back from a file opened from every connection finds that list again.
  const [tab, setTab] = useSearchParam('tab');

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
        activeKey={tab ?? 'queue'}
        onChange={(key) => setTab(key === 'queue' ? null : key, { replace: true })}
        items={[
          { key: 'queue', label: t('review.tabs.queue'), children: <ReviewQueue onOpen={setOpen} /> },
          { key: 'all', label: t('review.tabs.all'), children: <ConnectionList onOpen={setOpen} /> },
        ]}
      />
    </>
  );
}
