import { Button, Space } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLabels } from '../i18n';

export interface CursorPage<T> {
  items: T[];
  nextCursor?: string | null;
}

/**
 * One page of a server-paged list ({items, nextCursor}), with the cursors walked so far: the list
 * is never loaded whole, however many rows the server holds. `fetchPage` must be stable (a
 * useCallback); a new one (a changed filter) starts again from the first page.
 */
export function useCursorPages<T>(fetchPage: (cursor?: string) => Promise<CursorPage<T>>) {
  const [cursors, setCursors] = useState<string[]>([]);
  const [page, setPage] = useState<CursorPage<T>>({ items: [], nextCursor: null });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const cursor = cursors.at(-1);

  useEffect(() => setCursors([]), [fetchPage]);
  // Only the latest request's answer is shown: a new search (fetchPage) from a later page sends
  // one request with the old cursor before the reset one, and answers can arrive in any order.
  const latest = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++latest.current;
    setLoading(true);
    setError(null);
    try {
      const answer = await fetchPage(cursor);
      if (mine === latest.current) setPage(answer);
    } catch (failure) {
      if (mine === latest.current) setError(failure);
    } finally {
      if (mine === latest.current) setLoading(false);
    }
  }, [fetchPage, cursor]);
  useEffect(() => void reload(), [reload]);

  return {
    items: page.items,
    loading,
    error,
    reload,
    isFirst: cursors.length === 0,
    hasNext: Boolean(page.nextCursor),
    first: () => setCursors([]),
    next: () => page.nextCursor && setCursors((walked) => [...walked, page.nextCursor!]),
  };
}

/** "First page" and "Next page" under a server-paged table. */
export function PageButtons({ pages, label }: { pages: Pick<ReturnType<typeof useCursorPages>, 'isFirst' | 'hasNext' | 'first' | 'next'>; label: string }) {
  const { t } = useLabels();
  return (
    <Space style={{ marginTop: 12 }} role="group" aria-label={label}>
      <Button disabled={pages.isFirst} onClick={pages.first}>{t('audit.first')}</Button>
      <Button disabled={!pages.hasNext} onClick={pages.next}>{t('audit.next')}</Button>
    </Space>
  );
}
