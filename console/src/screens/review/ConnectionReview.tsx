import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Flex, Space, Spin, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import { useLabels } from '../../i18n';
import { type ActionKind, ActionDialog } from './Actions';
import { AgreementEditor } from './AgreementEditor';
import { IssueFromPendingRequests, RevokeCertificateDialog } from './CertificateActions';
import { AgreementDetails } from '../../shared/AgreementDetails';
import { CertificateStatus } from '../../shared/CertificateStatus';
import { DocumentLink } from '../../shared/DocumentLink';
import { MaintenanceMinutes } from './MaintenanceMinutes';
import { RemediationReports } from './RemediationReports';
import { Problem } from './Problem';
import { stateLabel, type Agreement, type Certificate, type Connection, type ConnectionEvent, type Page } from './types';
import { formatDate, formatDateTime } from '../../shared/dates';
import { actorLabel, eventLabel } from '../../shared/history-labels';

const AGREEMENT_STATES = new Set(['APPROVED', 'AGREEMENT_SIGNED', 'TESTING', 'TEST_PASSED', 'GO_LIVE_SCHEDULED', 'LIVE']);
/** What DTD may do in each state (connection-lifecycle.ts); anything else is a 409 the screen explains. */
const ACTIONS: Record<string, ActionKind[]> = {
  SUBMITTED: ['securityCheck', 'appraise'],
  AGREEMENT_SIGNED: ['configure'],
  TESTING: ['testReport', 'confirmTest'],
  TEST_PASSED: ['goLive'],
  LIVE: ['reEvaluate', 'maintenanceMinutes'],
  SUSPENDED: ['maintenanceMinutes'],
  RETESTING: ['maintenanceMinutes'],
};

interface Files {
  connection: Connection;
  agreements: Agreement[];
  certificates: Certificate[];
  history: Page<ConnectionEvent>;
  reconciliation?: { records: { taskResults: number; kpiResults: number } };
}

const HISTORY_PAGE = 20;

/**
 * One connection's file for the reviewer: dossier and documents, history, agreement, certificates,
 * minutes, and the next step. `readOnly` is the same file for an inspector: no step can be taken.
 */
export default function ConnectionReview({ id, onBack, readOnly = false }: { id: string; onBack: () => void; readOnly?: boolean }) {
  const { t, label, language } = useLabels();
  const [files, setFiles] = useState<Files | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<ActionKind | 'agreement' | null>(null);
  const [revoking, setRevoking] = useState<Certificate | null>(null);
  const when = (v?: string | null) => formatDateTime(v);

  const load = useCallback(async (): Promise<Connection | undefined> => {
    const path = { params: { path: { id } } };
    try {
      const connection = await call<Connection>(api.GET('/control/v1/connections/{id}', path));
      const [agreements, certificates, history, reconciliation] = await Promise.all([
        call<Page<Agreement>>(api.GET('/control/v1/connections/{id}/agreements', { params: { path: { id }, query: { limit: 100 } } })),
        call<Page<Certificate>>(api.GET('/control/v1/connections/{id}/certificates', { params: { path: { id }, query: { limit: 100 } } })),
        call<Page<ConnectionEvent>>(api.GET('/control/v1/connections/{id}/history', { params: { path: { id }, query: { limit: HISTORY_PAGE, order: 'newest' } } })),
        connection.state === 'TESTING' ? call<Files['reconciliation']>(api.GET('/control/v1/connections/{id}/test-reconciliation', path)) : Promise.resolve(undefined),
      ]);
      setFiles({ connection, agreements: agreements.items, certificates: certificates.items, history, reconciliation });
      setError(null);
      return connection;
    } catch (failure) {
      setError(failure);
      return undefined;
    }
  }, [id]);
  useEffect(() => void load(), [load]);

  // Older steps, a page at a time after the newest (the whole history stays reachable).
  // The cursor is an offset: a step taken meanwhile shifts the next page by one, so a row already
  // shown is skipped rather than listed twice.
  const [loadingMore, setLoadingMore] = useState(false);
  const moreHistory = async () => {
    const cursor = files?.history.nextCursor;
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    try {
      const older = await call<Page<ConnectionEvent>>(api.GET('/control/v1/connections/{id}/history', { params: { path: { id }, query: { limit: HISTORY_PAGE, order: 'newest', cursor } } }));
      setFiles((f) => {
        if (!f) return f;
        const shown = new Set(f.history.items.map((e) => e.id));
        return { ...f, history: { items: [...f.history.items, ...older.items.filter((e) => !shown.has(e.id))], nextCursor: older.nextCursor } };
      });
    } catch (failure) {
      setError(failure);
    } finally {
      setLoadingMore(false);
    }
  };

  const back = <Button icon={<ArrowLeftOutlined />} onClick={onBack}>{t('review.detail.back')}</Button>;
  if (!files) return error ? <>{back}<div style={{ marginTop: 16 }}><Problem error={error} /></div></> : <Flex justify="center"><Spin /></Flex>;
  const c = files.connection;
  const latest = files.agreements.at(-1);
  const actions = readOnly ? [] : (ACTIONS[c.state] ?? []);
  const hasTestCsr = c.pendingCertificateRequests.some((p) => p.environment === 'test');
  const h2 = (key: string) => <h2 style={{ fontSize: 16, margin: 0 }}>{t(key)}</h2>;
  const d = c.dossier;
  // The test's progress: under the steps for the reviewer, on its own for an inspector.
  const testing = (
    <>
      {files.reconciliation && (
        <Typography.Paragraph style={{ marginTop: 12 }} data-testid="reconciliation">
          <strong>{t('review.detail.reconciliation')}:</strong>{' '}
          {t('review.detail.reconciliationText', { tasks: files.reconciliation.records.taskResults, kpis: files.reconciliation.records.kpiResults })}
        </Typography.Paragraph>
      )}
      {c.testConfirmation && (
        <Typography.Paragraph style={{ marginTop: 12 }}>
          <strong>{t('review.detail.testConfirmation')}:</strong>{' '}
          {t('review.detail.unitConfirmed')}: {when(c.testConfirmation.unitConfirmedAt) || t('review.detail.notConfirmed')};{' '}
          {t('review.detail.dtdConfirmed')}: {when(c.testConfirmation.dtdConfirmedAt) || t('review.detail.notConfirmed')}
        </Typography.Paragraph>
      )}
    </>
  );

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      {back}
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{c.name}</Typography.Title>
      {error ? <Problem error={error} /> : null}
      <Descriptions bordered size="small" column={2} data-testid="connection-summary" items={[
        { key: 'state', label: t('review.queue.state'), children: <strong data-testid="connection-state">{stateLabel(c.state, language)}</strong> },
        { key: 'unit', label: t('review.queue.unit'), children: c.ownerUnit },
        { key: 'unitCode', label: t('review.detail.unitCode'), children: c.unitCode ?? t('review.detail.none') },
        { key: 'account', label: t('review.detail.technicalAccount'), children: c.technicalAccount },
        { key: 'goLive', label: t('review.detail.goLiveDate'), children: formatDate(c.goLiveDate) || t('review.detail.none') },
        // Step 6: who the officer on duty calls, day or night.
        { key: 'contact', label: t('review.detail.incidentContact'), children: <span data-testid="incident-contact">{c.incidentContact ? `${c.incidentContact.name} · ${c.incidentContact.phone} · ${c.incidentContact.email}` : t('review.detail.none')}</span> },
        { key: 'reEval', label: t('review.detail.reEvaluationDue'), children: formatDate(c.reEvaluationDue) || t('review.detail.none') },
        { key: 'csr', label: t('review.detail.pendingCsr'), children: c.pendingCertificateRequests.map((p) => `${label(p.environment)} (${when(p.submittedAt)})`).join('; ') || t('review.detail.none') },
        ...(c.remedyDeadline ? [{ key: 'remedy', label: t('review.detail.remedyDeadline'), children: `${formatDate(c.remedyDeadline.due)}: ${c.remedyDeadline.findings}` }] : []),
      ]} />

      {readOnly ? (
        (files.reconciliation || c.testConfirmation) && <Card title={h2('review.detail.testConfirmation')}>{testing}</Card>
      ) : (
        <Card title={h2('review.detail.actions')}>
          <Space wrap>
            {actions.map((kind) => (
              <Button key={kind} type="primary" disabled={kind === 'configure' && !hasTestCsr} onClick={() => setDialog(kind)}>{t(`review.act.${kind}`)}</Button>
            ))}
            {AGREEMENT_STATES.has(c.state) && <Button type={c.state === 'APPROVED' ? 'primary' : 'default'} onClick={() => setDialog('agreement')}>{t('review.act.agreement')}</Button>}
            {c.state !== 'TERMINATED' && <Button danger onClick={() => setDialog('terminate')}>{t('review.act.terminate')}</Button>}
          </Space>
          {c.state === 'AGREEMENT_SIGNED' && !hasTestCsr && <Alert style={{ marginTop: 12 }} type="info" showIcon title={t('review.act.waitingForCsr')} />}
          {testing}
        </Card>
      )}
      <RemediationReports connection={c} onChanged={load} readOnly={readOnly} />

      <Card title={h2('review.detail.dossier')}>
        {d ? (
          <Descriptions bordered size="small" column={1} data-testid="dossier" items={[
            { key: 'scope', label: t('review.detail.dataScope'), children: d.dataScope },
            { key: 'purpose', label: t('review.detail.purpose'), children: d.purpose },
            { key: 'system', label: t('review.detail.systemDescription'), children: d.systemDescription },
            { key: 'level', label: t('review.detail.securityLevel'), children: d.securityLevel },
            { key: 'tech', label: t('review.detail.technicalContact'), children: `${d.technicalContact.name} — ${d.technicalContact.phone} — ${d.technicalContact.email}` },
            { key: 'business', label: t('review.detail.businessContact'), children: `${d.businessContact.name} — ${d.businessContact.phone} — ${d.businessContact.email}` },
            ...(d.requestLetter ? [{ key: 'letter', label: t('review.detail.requestLetter'), children: <>{t('review.detail.letter', { ...d.requestLetter, date: formatDate(d.requestLetter.date) })} — <DocumentLink documentId={d.requestLetter.documentId} /></> }] : []),
            { key: 'assessment', label: t('review.detail.securityAssessment'), children: <DocumentLink documentId={d.securityAssessmentDocumentId} /> },
            ...(c.securityCheck ? [{ key: 'check', label: t('review.detail.securityCheck'), children: <>{label(c.securityCheck.result)} — {c.securityCheck.checkedBy}, {formatDate(c.securityCheck.checkedOn)} — <DocumentLink documentId={c.securityCheck.documentId} /></> }] : []),
            ...(c.leadershipDecision ? [{ key: 'decision', label: t('review.detail.leadershipDecision'), children: <>{c.leadershipDecision.decidedBy}, {formatDate(c.leadershipDecision.decidedOn)}{c.leadershipDecision.number ? `, ${c.leadershipDecision.number}` : ''} — <DocumentLink documentId={c.leadershipDecision.documentId} /></> }] : []),
            ...(c.returnReason ? [{ key: 'returned', label: t('review.detail.returnReason'), children: c.returnReason }] : []),
          ]} />
        ) : (
          <Typography.Text>{t('review.detail.noDossier')}</Typography.Text>
        )}
      </Card>

      <Card title={h2('review.detail.agreements')}>
        {/* Each version opens to all of it: units, source addresses, duties, signatories, the signed scan. */}
        <Table<Agreement> rowKey="id" size="small" pagination={false} dataSource={files.agreements} data-testid="agreements"
          locale={{ emptyText: <Typography.Text>{t('review.detail.none')}</Typography.Text> }}
          expandable={{ expandedRowRender: (a) => <AgreementDetails agreement={a} testId="agreement-details" /> }}
          columns={[
            { title: t('review.detail.version'), dataIndex: 'version', key: 'version' },
            { title: t('review.detail.signedOn'), dataIndex: 'signedOn', key: 'signedOn', render: (v: string) => formatDate(v) },
            { title: t('review.agreement.dataSets'), key: 'dataSets', render: (_: unknown, a) => a.scope.dataSets.map((v) => label(v)).join(', ') },
            { title: t('review.agreement.directions'), key: 'directions', render: (_: unknown, a) => a.scope.directions.map((v) => label(v)).join(', ') },
            { title: t('review.agreement.frequency'), dataIndex: 'frequency', key: 'frequency' },
            { title: t('review.agreement.quotas'), key: 'quotas', render: (_: unknown, a) => Object.entries(a.quotas).map(([k, v]) => `${t(`review.agreement.${k}`)}: ${v}`).join('; ') },
          ]} />
      </Card>

      <Card title={h2('review.detail.certificates')}>
        {!readOnly && <IssueFromPendingRequests connection={c} onChanged={load} />}
        <Table<Certificate> rowKey="id" size="small" pagination={false} dataSource={files.certificates} data-testid="certificates"
          locale={{ emptyText: <Typography.Text>{t('review.detail.none')}</Typography.Text> }}
          columns={[
            { title: t('review.detail.environment'), dataIndex: 'environment', key: 'env', render: (v: string) => label(v) },
            { title: t('review.detail.serial'), dataIndex: 'serialNumber', key: 'serial' },
            { title: t('review.detail.notAfter'), dataIndex: 'notAfter', key: 'notAfter', render: when },
            { title: t('review.detail.expiry'), key: 'expiry', render: (_: unknown, cert) => <CertificateStatus certificate={cert} /> },
            ...(readOnly || c.state === 'TERMINATED'
              ? []
              : [{
                  title: t('review.detail.actions'),
                  key: 'revoke',
                  render: (_: unknown, cert: Certificate) => (cert.revokedAt ? null : <Button size="small" danger aria-label={`${t('review.certificates.revoke')} ${cert.serialNumber}`} onClick={() => setRevoking(cert)}>{t('review.certificates.revoke')}</Button>),
                }]),
          ]} />
      </Card>

      <Card title={h2('review.detail.history')}>
        <Table<ConnectionEvent> rowKey="id" size="small" pagination={false} dataSource={files.history.items} data-testid="history"
          columns={[
            { title: t('review.detail.at'), dataIndex: 'occurredAt', key: 'at', render: when },
            { title: t('review.detail.action'), dataIndex: 'action', key: 'action', render: (_: string, e: ConnectionEvent) => eventLabel(e, language) },
            { title: t('review.detail.transition'), key: 'transition', render: (_: unknown, e) => `${e.fromState ? stateLabel(e.fromState, language) : '—'} → ${stateLabel(e.toState, language)}` },
            { title: t('review.detail.actor'), key: 'actor', render: (_: unknown, e) => (e.assistantName ? `${actorLabel(e.actorName, language)} (${e.assistantName})` : actorLabel(e.actorName, language)) },
            { title: t('review.detail.reason'), dataIndex: 'reason', key: 'reason' },
          ]} />
        {files.history.nextCursor && <Button style={{ marginTop: 8 }} loading={loadingMore} onClick={() => void moreHistory()}>{t('review.detail.more')}</Button>}
      </Card>

      <MaintenanceMinutes connectionId={c.id} version={files.history.items[0]?.id ?? ''} />

      {revoking && <RevokeCertificateDialog connection={c} certificate={revoking} onClose={() => setRevoking(null)} onChanged={load} />}
      {dialog === 'agreement' && <AgreementEditor connection={c} latest={latest} onClose={() => setDialog(null)} onChanged={load} />}
      {dialog && dialog !== 'agreement' && <ActionDialog kind={dialog} connection={c} onClose={() => setDialog(null)} onChanged={load} />}
    </Space>
  );
}
