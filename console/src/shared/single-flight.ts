import { useCallback, useRef, useState } from 'react';

/**
 * One submission at a time: a second click, or Enter in the form, while one is on its way is
 * ignored. A ref decides, not the state: a double click's second submit arrives before React has
 * drawn the button as loading. `busy` is for that button.
 */
export function useSingleFlight(): [busy: boolean, once: (step: () => Promise<unknown>) => Promise<void>] {
  const flying = useRef(false);
  const [busy, setBusy] = useState(false);
  const once = useCallback(async (step: () => Promise<unknown>) => {
    if (flying.current) return;
    flying.current = true;
    setBusy(true);
    try {
      await step();
    } finally {
      flying.current = false;
      setBusy(false);
    }
  }, []);
  return [busy, once];
}
