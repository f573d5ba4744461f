import { Descriptions, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { components } from '../api/schema';
import { AUDIT_TARGETS_VI } from '../../../src/shared/i18n/audit-targets.vi';
import { ERROR_MESSAGES_VI } from '../../../src/shared/i18n/messages.vi';
import { useLabels } from '../i18n';
import { CodeInWords } from '../shared/CodeInWords';
import { formatDateTime } from '../shared/dates';
import { useDetailsText } from '../shared/event-details';
import { inPlace } from '../shared/router';

/** Data-plane calls that can change records: their entry links to the versions they wrote (IV.6). */
const WRITES = new Set(['PUT', 'POST', 'DELETE']);

type Entry = components['schemas']['AuditEntryDto'];
type Person = components['schemas']['AuditPersonDto'];

/**
 * Every field of one entry, as the evidence holds it: the auditor answering "what happened to
 * request X" needs the request id, the certificate, the source address and the hashes, which the
 * table's columns leave out. Codes are shown in words with the code beside them; ids and hashes
 * as stored, copyable (with `format`, what an auditor recomputing `entryHash` needs).
 */
export function AuditEntryDetails({ entry }: { entry: Entry }) {
  const { t, label, language } = useLabels();
  const detailsText = useDetailsText();
  const inWords = (vocabulary: Readonly<Record<string, string>>, code: string) => <CodeInWords words={language === 'vi' ? (vocabulary[code] ?? code) : label(code)} code={code} />;
  const copyable = (value: string | null | undefined) => (value ? <Typography.Text code copyable>{value}</Typography.Text> : '—');
  const person = (p: Person | null | undefined) => (p ? [p.username, p.holderName, p.role ? label(p.role) : null, p.accountId].filter(Boolean).join(' · ') || '—' : '—');
  const rows: Array<[string, ReactNode]> = [
    ['requestId', copyable(entry.requestId)],
    ['at', formatDateTime(entry.occurredAt, { seconds: true })],
    ['request', `${entry.method} ${entry.path}`],
    ['status', <>{entry.statusCode} · {entry.durationMs} ms</>],
    ['errorCode', entry.errorCode ? inWords(ERROR_MESSAGES_VI, entry.errorCode) : '—'],
    ['environment', entry.environment ? label(entry.environment) : '—'],
    ['connectionId', copyable(entry.connectionId)],
    ['certificate', copyable(entry.certificateThumbprint)],
    ['sourceAddress', entry.sourceAddress],
    ['actor', person(entry.actor)],
    ['assistant', person(entry.assistant)],
    ['target', entry.target ? <>{inWords(AUDIT_TARGETS_VI, entry.target.type)} {entry.target.id ?? ''}</> : '—'],
    ['payloadSha256', copyable(entry.payloadSha256)],
    ['details', entry.details ? detailsText(entry.details) || '—' : '—'],
    ['seq', `${entry.seq} (id ${entry.id}, ${t('audit.entry.formatN', { format: entry.format })})`],
    ['prevHash', copyable(entry.prevHash)],
    ['entryHash', copyable(entry.entryHash)],
  ];
  if (entry.plane === 'data' && WRITES.has(entry.method) && entry.outcome === 'success') {
    const href = `/record-history?${new URLSearchParams({ requestId: entry.requestId })}`;
    rows.push(['versions', <a href={href} onClick={inPlace(href)}>{t('audit.entry.openVersions')}</a>]);
  }
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
