import { Alert, Descriptions, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { components } from '../../api/schema';
import { RECORD_FIELDS_VI } from '../../../../src/shared/i18n/record-fields.vi';
import { useLabels } from '../../i18n';
import { DEADLINE_COLOURS } from '../../shared/colours';
import { formatDate, formatDateTime } from '../../shared/dates';

type Version = components['schemas']['RecordVersionView'];

/** Fields whose values are codes of the API's enums: shown in words. */
const CODED = new Set(['result', 'classification', 'periodType', 'reviewStatus', 'disputeStatus']);
/** Fields that are days: shown day first, as everywhere in the console. */
const DAYS = new Set(['assignedAt', 'dueDate', 'completedAt']);
/** Fields that are instants: shown on Vietnam's clock. */
const INSTANTS = new Set(['revokedAt', 'reviewedAt', 'receivedAt', 'disputedAt']);

/** A record field's name in the person's language: the guidance's words, or the API's name. */
export function useFieldName(dataSet: Version['dataSet']) {
  const { language } = useLabels();
  return (field: string) => (language === 'vi' ? (RECORD_FIELDS_VI[dataSet][field] ?? field) : field);
}

/**
 * One version as it was: every field it carried, the ones the change touched marked, the ones a
 * classified record may not show named, and the call that made it (request id, certificate).
 */
export function VersionBody({ version }: { version: Version }) {
  const { t, label } = useLabels();
  const name = useFieldName(version.dataSet);
  const changed = new Set(version.changedFields ?? []);
  const value = (field: string, raw: unknown): ReactNode => {
    if (raw === null || raw === undefined || raw === '') return '—';
    if (typeof raw === 'boolean') return raw ? t('recordHistory.yes') : t('recordHistory.no');
    if (Array.isArray(raw)) return raw.length ? raw.join(', ') : '—';
    if (CODED.has(field)) return label(String(raw));
    if (INSTANTS.has(field)) return formatDateTime(String(raw), { seconds: true });
    if (DAYS.has(field)) return formatDate(String(raw));
    return typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="version-body">
      {version.withheldFields.length > 0 && (
        <Alert type="info" showIcon title={t('recordHistory.withheld', { fields: version.withheldFields.map(name).join(', ') })} />
      )}
      <Descriptions
        size="small"
        column={1}
        bordered
        items={[
          ...Object.entries(version.body).map(([field, raw]) => ({
            key: field,
            label: changed.has(field) ? <Space size={4}>{name(field)}<Tag color={DEADLINE_COLOURS.YELLOW}>{t('recordHistory.changedTag')}</Tag></Space> : name(field),
            children: value(field, raw),
          })),
          { key: 'requestId', label: t('recordHistory.requestId'), children: <Typography.Text code copyable>{version.requestId}</Typography.Text> },
          { key: 'certificate', label: t('recordHistory.certificate'), children: <Typography.Text code copyable>{version.certificateThumbprint}</Typography.Text> },
        ]}
      />
    </Space>
  );
}
