import type { FormInstance } from 'antd';
import { useState } from 'react';
import { markFieldErrors } from './failure';

/**
 * A form's sending: busy while the request runs, its refusal kept to show (FailureAlert) and each
 * field the gateway named marked on the form, in words. `action` does the call and what follows it.
 */
export function useFormSubmit<V>(form: FormInstance, action: (values: V) => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (values: V) => {
    setBusy(true);
    setError(null);
    try {
      await action(values);
    } catch (failure) {
      setError(failure);
      markFieldErrors(form, failure);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, submit };
}
