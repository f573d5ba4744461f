import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Radio, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiFailure, call } from '../../api/client';
import type { components } from '../../api/schema';
import { useLabels } from '../../i18n';
import { DocumentLink } from '../../shared/DocumentLink';
import { Problem } from './Problem';
import { type Connection, DEADLINE_COLOURS, type Page } from './types';
import { formatDateTime } from '../../shared/dates';

type Report = components['schemas']['RemediationReportView'];
type Dialog = { kind: 'decide' | 'restore'; report: Report };

/**
 * IV.5.c on the reviewer's file of a connection: the unit's remediation reports with the competent
 * body's confirmation to read, DTD's answer (accept, or written recommendations) and, once the
 * re-test is done, the restoration — due 24 hours after the acceptance.
 */
export function RemediationReports({ connection, onChanged, readOnly = false }: { connection: Connection; onChanged: () => Promise<Connection | undefined>; readOnly?: boolean }) {
  const { t } = useLabels();
  const [reports, setReports] = useState<Report[]>([]);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const when = (v?: string | null) => formatDateTime(v);

  const load = useCallback(async () => {
    const page = await call<Page<Report>>(api.GET('/control/v1/connections/{id}/remediation-reports', { params: { path: { id: connection.id }, query: { limit: 100 } } }));
    setReports(page.items);
  }, [connection.id]);
  // Reload whenever the connection moves (a decision, a restoration, someone else's step).
  useEffect(() => void load().catch(() => setReports([])), [load, connection.state]);

  if (reports.length === 0) return null;
  const latestFirst = [...reports].reverse();
  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('review.remediation.title')}</h2>} data-testid="remediation-reports">
      <Space direction="vertical" style={{ width: '100%' }}>
        {latestFirst.map((r) => {
          const overdue = r.status === 'ACCEPTED' && r.restoreDeadline !== null && Date.parse(r.restoreDeadline) < Date.now();
          return (
            <Descriptions key={r.id} bordered size="small" column={1} data-testid="remediation-report" items={[
              { key: 'status', label: t('review.remediation.status'), children: <strong data-testid="remediation-status">{t(`review.remediation.statuses.${r.status}`)}</strong> },
              { key: 'submitted', label: t('review.remediation.submittedAt'), children: `${when(r.submittedAt)} — ${r.submittedBy}` },
              { key: 'cause', label: t('review.remediation.cause'), children: r.cause },
              { key: 'measures', label: t('review.remediation.measuresTaken'), children: r.measuresTaken },
              { key: 'commitment', label: t('review.remediation.securityCommitment'), children: r.securityCommitment },
              { key: 'confirmation', label: t('review.remediation.confirmation'), children: <DocumentLink documentId={r.confirmationDocumentId} /> },
              ...(r.decisionText ? [{ key: 'decision', label: t('review.remediation.decision'), children: `${r.decisionText} — ${r.decidedBy ?? ''}, ${when(r.decidedAt)}` }] : []),
              ...(r.restoreDeadline && !r.restoredAt
                ? [{ key: 'deadline', label: t('review.remediation.restoreDeadline'), children: <>{when(r.restoreDeadline)} {overdue && <Tag color={DEADLINE_COLOURS.RED} data-color="RED">{t('review.remediation.overdue')}</Tag>}</> }]
                : []),
              ...(r.restoredAt ? [{ key: 'restored', label: t('review.remediation.restoredAt'), children: when(r.restoredAt) }] : []),
              ...(!readOnly && (r.status === 'SUBMITTED' || (r.status === 'ACCEPTED' && connection.state === 'RETESTING'))
                ? [{
                    key: 'act',
                    label: t('review.detail.actions'),
                    children: r.status === 'SUBMITTED'
                      ? <Button type="primary" onClick={() => setDialog({ kind: 'decide', report: r })}>{t('review.remediation.decide')}</Button>
                      : <Button type="primary" onClick={() => setDialog({ kind: 'restore', report: r })}>{t('review.remediation.restore')}</Button>,
                  }]
                : []),
            ]} />
          );
        })}
      </Space>
      {dialog && <RemediationDialog dialog={dialog} onClose={() => setDialog(null)} onChanged={async () => { await onChanged(); await load(); }} />}
    </Card>
  );
}

function RemediationDialog({ dialog, onClose, onChanged }: { dialog: Dialog; onClose: () => void; onChanged: () => Promise<void> }) {
  const { t, label } = useLabels();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const required = [{ required: true, message: t('review.form.required') }];
  const path = { params: { path: { id: dialog.report.id } } };

  const submit = async (v: { decision?: 'ACCEPT' | 'RECOMMEND'; text?: string; retestFindings?: string }) => {
    setBusy(true);
    setError(null);
    try {
      if (dialog.kind === 'decide') await call(api.POST('/control/v1/remediation-reports/{id}/decision', { ...path, body: { decision: v.decision!, text: v.text! } }));
      else await call(api.POST('/control/v1/remediation-reports/{id}/restoration', { ...path, body: { retestFindings: v.retestFindings! } }));
      void message.success(t('review.act.done'));
      await onChanged();
      onClose();
    } catch (failure) {
      setError(failure);
      // Decided or moved meanwhile: show what it is now behind the message.
      if (failure instanceof ApiFailure && failure.status === 409) await onChanged();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={t(`review.remediation.${dialog.kind}`)} okText={t('review.act.submit')} cancelText={t('review.act.cancel')}
      okButtonProps={{ loading: busy }} onOk={() => form.submit()} onCancel={onClose} width={640} destroyOnHidden>
      <Problem error={error} />
      <Form form={form} layout="vertical" onFinish={submit}>
        {dialog.kind === 'decide' ? (
          <>
            <Form.Item name="decision" label={t('review.remediation.decisionLabel')} rules={required}>
              <Radio.Group options={(['ACCEPT', 'RECOMMEND'] as const).map((v) => ({ value: v, label: label(v) }))} />
            </Form.Item>
            <Form.Item name="text" label={t('review.remediation.decisionText')} rules={required}><Input.TextArea rows={4} /></Form.Item>
          </>
        ) : (
          <>
            <Alert type="info" showIcon title={t('review.remediation.retestHint')} style={{ marginBottom: 12 }} />
            <Form.Item name="retestFindings" label={t('review.remediation.retestFindings')} rules={required}><Input.TextArea rows={4} /></Form.Item>
          </>
        )}
      </Form>
      <Typography.Text type="secondary">{dialog.report.cause}</Typography.Text>
    </Modal>
  );
}
