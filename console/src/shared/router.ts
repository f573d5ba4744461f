import { type MouseEvent, useEffect, useState } from 'react';

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

/**
 * Goes to another of the console's addresses without loading the page again: the history entry is
 * pushed and every listener (the shell's screen, a screen's open item) reads the new address as
 * it would after Back.
 */
export function navigate(url: string): void {
  window.history.pushState(null, '', url);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/**
 * A link's click handler for an address of the console: a plain click navigates in place; a click
 * with a modifier (new tab, new window) is left to the browser.
 */
export function inPlace(url: string) {
  return (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(url);
  };
}

/**
 * One search parameter of the address (`?connection=…`), so that back, reload and links work.
 * Setting it adds a history entry (Back returns to the value before), or with `replace` changes
 * the current one (closing a drawer: Back should not open it again). Null removes it.
 */
export function useSearchParam(name: string): [string | null, (value: string | null, options?: { replace?: boolean }) => void] {
  const read = () => new URLSearchParams(window.location.search).get(name);
  const [value, setValue] = useState<string | null>(read);
  useEffect(() => {
    const onPop = () => setValue(new URLSearchParams(window.location.search).get(name));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [name]);
  const set = (next: string | null, options: { replace?: boolean } = {}) => {
    const url = new URL(window.location.href);
    if (next) url.searchParams.set(name, next);
    else url.searchParams.delete(name);
    if (options.replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    setValue(next);
  };
  return [value, set];
}
