import { Descriptions, Typography } from 'antd';
import type { components } from '../api/schema';
import { AUDIT_TARGETS_VI } from '../../../src/shared/i18n/audit-targets.vi';
import { useLabels } from '../i18n';
import { formatDateTime } from '../shared/dates';

type Entry = components['schemas']['AuditEntryDto'];
type Person = components['schemas']['AuditPersonDto'];

/**
 * Everything one entry holds, as the evidence shows it: the auditor answering "what happened to
 * request X" needs the request id, the certificate, the source address and the hashes, which the
 * table's columns leave out. Values are shown as stored (ids and hashes copyable), nothing derived.
 */
export function AuditEntryDetails({ entry }: { entry: Entry }) {
  const { t, label, language } = useLabels();
  const targetType = (type: string) => (language === 'vi' ? (AUDIT_TARGETS_VI as Record<string, string>)[type] : undefined) ?? type;
  const person = (p: Person | null | undefined) => (p ? [p.username, p.holderName, p.role ? label(p.role) : null].filter(Boolean).join(' · ') : null);
  const code = (value: string | null | undefined) => (value ? <Typography.Text code copyable>{value}</Typography.Text> : '—');
  const rows: Array<[string, React.ReactNode]> = [
    ['requestId', code(entry.requestId)],
    ['at', formatDateTime(entry.occurredAt, { seconds: true })],
    ['request', `${entry.method} ${entry.path}`],
    ['status', `${entry.statusCode}${entry.errorCode ? ` · ${entry.errorCode}` : ''} · ${entry.durationMs} ms`],
    ['environment', entry.environment ? label(entry.environment) : '—'],
    ['connectionId', code(entry.connectionId)],
    ['certificate', code(entry.certificateThumbprint)],
    ['sourceAddress', entry.sourceAddress],
    ['actor', person(entry.actor) ?? '—'],
    ['assistant', person(entry.assistant) ?? '—'],
    ['target', entry.target ? `${targetType(entry.target.type)} ${entry.target.id ?? ''}` : '—'],
    ['payloadSha256', code(entry.payloadSha256)],
    ['details', entry.details ? <Typography.Text code>{JSON.stringify(entry.details)}</Typography.Text> : '—'],
    ['prevHash', code(entry.prevHash)],
    ['entryHash', code(entry.entryHash)],
  ];
  return (
    <Descriptions
      size="small"
      column={1}
      bordered
      data-testid="audit-entry-details"
      items={rows.map(([key, value]) => ({ key, label: t(`audit.entry.${key}`), children: value }))}
    />
  );
}
