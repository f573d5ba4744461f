import { Alert } from 'antd';
import { ApiFailure } from '../../api/client';
import { failureText, useLabels } from '../../i18n';
import { problemText } from '../../shared/failure';
import { stateLabel } from './types';

/**
 * A refusal in words: the gateway's `messageVi` (or its English message), each field of a
 * validation error by its label rather than its JSON path, and for a 409 the state the
 * connection is in now. Never the raw body.
 */
export function Problem({ error, currentState }: { error: unknown; currentState?: string }) {
  const { t, language, label } = useLabels();
  if (!error) return null;
  const details = error instanceof ApiFailure ? (error.body.details ?? []) : [];
  const fieldLabel = (path: string) => {
    // "signatories.1.name" → the label of "signatories"; "scope.writeUnits.0" → of "scope.writeUnits".
    const parts = path.split('.').filter((p) => !/^\d+$/.test(p));
    for (let n = parts.length; n > 0; n--) {
      const key = `review.fields.${parts.slice(0, n).join('.')}`;
      const text = t(key);
      if (text !== key) return text;
    }
    return path;
  };
  const conflict = error instanceof ApiFailure && error.code === 'ILLEGAL_TRANSITION';
  return (
    <Alert
      type="error"
      showIcon
      data-testid="review-problem"
      style={{ marginBottom: 16 }}
      title={failureText(error, language, t('errors.generic'))}
      description={
        conflict && currentState ? (
          t('review.problem.currentState', { state: stateLabel(currentState, language) })
        ) : details.length ? (
          <>
            {t('review.problem.fields')}
            <ul style={{ margin: 0 }}>
              {details.map((d, i) => (
                <li key={i}>
                  <strong>{fieldLabel(d.field)}</strong>: {problemText(d.problem, language)}
                </li>
              ))}
            </ul>
          </>
        ) : undefined
      }
    />
  );
}
