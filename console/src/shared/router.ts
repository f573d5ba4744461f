import { useEffect, useState } from 'react';

/**
 * The console's few screens are paths (/board, /audit…) kept in the browser history; the control
 * plane answers index.html for each (serve-console.ts). A router library would add weight for
 * nothing more.
 */
export function usePath(): [string, (path: string) => void] {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const go = (next: string) => {
    if (next !== window.location.pathname) window.history.pushState(null, '', next);
    setPath(next);
  };
  return [path, go];
}
