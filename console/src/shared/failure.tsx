import { Alert, type FormInstance, Typography } from 'antd';
import { ApiFailure } from '../api/client';
import { problemVi } from '../../../src/shared/i18n/problems.vi';
import i18n, { failureText, useLabels } from '../i18n';
import { unitEn } from '../i18n/unit.en';
import { unitVi } from '../i18n/unit.vi';

/**
 * A field's name as people read it. The API names fields by JSON path ("dossier.technicalContact.email");
 * i18next would read the dots as nesting, so the labels are looked up in the table itself.
 */
export function fieldLabel(field: string, language: string): string {
  const labels: Record<string, string> = (language === 'en' ? unitEn : unitVi).unit.fields;
  return labels[field] ?? labels[field.replace(/\.\d+(?=\.|$)/g, '')] ?? field;
}

/** A field's problem in the person's language: the API's English, in Vietnamese where problemVi knows it. */
export function problemText(problem: string, language: string): string {
  return language === 'vi' ? (problemVi(problem) ?? problem) : problem;
}

/**
 * A refusal as a person reads it: the gateway's Vietnamese text (`messageVi`; English `message`
 * under the switch), the fields to correct by their names, and the request ID for support —
 * never the raw JSON body. A 409 (a step not possible in the connection's current state) reads as
 * "not possible at this moment" rather than as an error of the person's input.
 */
export function FailureAlert({ error, onClose }: { error: unknown; onClose?: () => void }) {
  const { t, language } = useLabels();
  if (!error) return null;
  const failure = error instanceof ApiFailure ? error : null;
  const text = failure ? failureText(failure, language, t('errors.generic')) : t('errors.network');
  const details = failure?.body.details ?? [];
  return (
    <Alert
      type={failure?.status === 409 ? 'warning' : 'error'}
      showIcon
      closable={!!onClose}
      onClose={onClose}
      data-testid="failure"
      role="alert"
      title={failure?.status === 409 ? t('unit.failure.conflict') : t('unit.failure.title')}
      description={
        <>
          <Typography.Paragraph style={{ marginBottom: details.length ? 4 : 0 }}>{text}</Typography.Paragraph>
          {details.length > 0 && (
            <>
              <Typography.Text>{t('unit.failure.fields')}</Typography.Text>
              <ul style={{ margin: '4px 0' }} data-testid="failure-fields">
                {details.map((d) => (
                  <li key={`${d.field}:${d.problem}`}>
                    <Typography.Text strong>{fieldLabel(d.field, language)}</Typography.Text>: {problemText(d.problem, language)}
                  </li>
                ))}
              </ul>
            </>
          )}
          {failure?.body.requestId && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {failure.code ? `${t('unit.failure.code')}: ${failure.code} · ` : ''}
              {t('unit.failure.requestId')}: {failure.body.requestId}
            </Typography.Text>
          )}
        </>
      }
    />
  );
}

/** Marks the form's own fields the server refused (400 details), beside the summary above. */
export function markFieldErrors(form: FormInstance, error: unknown): void {
  if (!(error instanceof ApiFailure) || !error.body.details) return;
  // A path the form has no field for only keeps its error in the store: the summary still shows it.
  form.setFields(error.body.details.map((d) => ({ name: d.field.split('.'), errors: [problemText(d.problem, i18n.language)] })));
}
