import { App, Button, Descriptions, Drawer, Form, Input, Modal, Select, Space, Spin, Switch, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { useLabels } from '../../i18n';
import { DayField } from '../../shared/DayField';
import { FailureAlert } from '../../shared/failure';
import { useFormSubmit } from '../../shared/form-submit';
import { PageButtons, useCursorPages } from '../../shared/paging';
import { formatDate, formatDateTime } from '../../shared/dates';
import { useConfirm } from '../../shared/confirm';

type Unit = components['schemas']['UnitView'];
type UnitDetail = components['schemas']['UnitDetailView'];
type Page = { items: Unit[]; nextCursor: string | null };
type Dialog = { kind: 'create' } | { kind: 'rename' | 'merge'; unit: Unit } | null;

const KINDS = ['PARTY_COMMITTEE_UNDER_CC', 'CENTRAL_PARTY_BODY', 'MINISTRY_OR_CENTRAL_AGENCY', 'PROVINCE', 'COMMUNE'] as const;
const LINK = { padding: 0, color: '#003a8c' };

/**
 * The unit register (Danh mục đơn vị) for the DTD: the codes agreements and records name units by,
 * kept current through the reorganisation of provinces and communes — a new unit, a rename (the
 * old name stays accepted), a merger (scopes and records pass to the successor, in each
 * connection's history). A name in any spelling finds its unit (the gateway's resolver).
 */
export default function UnitRegister() {
  const { t } = useLabels();
  const [kind, setKind] = useState<(typeof KINDS)[number] | undefined>();
  const [includeFormer, setIncludeFormer] = useState(false);
  const [found, setFound] = useState<{ words: string; units: Unit[]; exact: boolean } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [detail, setDetail] = useState<string | null>(null);

  const fetchPage = useCallback(
    (cursor?: string) => call<Page>(api.GET('/control/v1/units', { params: { query: { limit: 50, ...(kind ? { kind } : {}), ...(includeFormer ? { includeFormer: 'true' } : {}), ...(cursor ? { cursor } : {}) } } })),
    [kind, includeFormer],
  );
  const pages = useCursorPages(fetchPage);

  const find = async (words: string) => {
    setError(null);
    if (!words.trim()) return setFound(null);
    try {
      const answer = await call<components['schemas']['UnitResolutionView']>(api.GET('/control/v1/units/resolve', { params: { query: { name: words.trim() } } }));
      setFound({ words: words.trim(), units: answer.unit ? [answer.unit] : answer.suggestions, exact: Boolean(answer.unit) });
    } catch (failure) {
      setError(failure);
    }
  };

  const changed = async () => {
    setDialog(null);
    setFound(null);
    await pages.reload();
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>{t('units.title')}</Typography.Title>
      <Typography.Paragraph style={{ margin: 0 }}>{t('units.intro')}</Typography.Paragraph>
      <Space wrap>
        <Input.Search allowClear enterButton={t('board.find')} placeholder={t('units.findPlaceholder')} aria-label={t('units.findPlaceholder')} style={{ width: 420 }} onSearch={(v) => void find(v)} />
        <Select allowClear aria-label={t('units.kind')} placeholder={t('units.anyKind')} style={{ width: 300 }} value={kind} onChange={setKind}
          options={KINDS.map((k) => ({ value: k, label: t(`units.kinds.${k}`) }))} />
        <Space>
          <Switch id="include-former" checked={includeFormer} onChange={setIncludeFormer} />
          <label htmlFor="include-former">{t('units.includeFormer')}</label>
        </Space>
        <Button type="primary" onClick={() => setDialog({ kind: 'create' })}>{t('units.create')}</Button>
      </Space>
      {error ? <FailureAlert error={error} onClose={() => setError(null)} /> : null}
      {pages.error ? <FailureAlert error={pages.error} /> : null}
      {found && <Typography.Text data-testid="unit-found">{found.exact ? t('units.foundExact', { words: found.words }) : found.units.length ? t('units.foundClosest', { words: found.words }) : t('units.foundNone', { words: found.words })}</Typography.Text>}
      <Table<Unit> rowKey="code" size="small" pagination={false} loading={!found && pages.loading} dataSource={found ? found.units : pages.items} data-testid="units"
        locale={{ emptyText: <Typography.Text>{t('units.none')}</Typography.Text> }}
        columns={[
          { title: t('units.code'), dataIndex: 'code', key: 'code' },
          { title: t('units.name'), key: 'name', render: (_: unknown, u) => <Button type="link" style={LINK} onClick={() => setDetail(u.code)}>{u.name}</Button> },
          { title: t('units.kind'), key: 'kind', render: (_: unknown, u) => t(`units.kinds.${u.kind}`) },
          { title: t('units.parent'), dataIndex: 'parentCode', key: 'parent', render: (v: string | null) => v ?? '—' },
          {
            title: t('units.status'),
            key: 'status',
            render: (_: unknown, u) => (u.successorCode
              ? <Tag color="#595959">{t('units.mergedInto', { code: u.successorCode, day: formatDate(u.validTo) })}</Tag>
              : u.validTo ? <Tag color="#595959">{t('units.endedOn', { day: formatDate(u.validTo) })}</Tag> : <Tag color="#135200">{t('units.inForce')}</Tag>),
          },
          {
            title: t('review.detail.actions'),
            key: 'actions',
            render: (_: unknown, u) => (u.successorCode || u.validTo ? null : (
              <Space>
                <Button size="small" onClick={() => setDialog({ kind: 'rename', unit: u })}>{t('units.rename')}</Button>
                <Button size="small" danger onClick={() => setDialog({ kind: 'merge', unit: u })}>{t('units.merge')}</Button>
              </Space>
            )),
          },
        ]} />
      {!found && <PageButtons pages={pages} label={t('units.title')} />}
      {dialog && <UnitDialog dialog={dialog} onClose={() => setDialog(null)} onChanged={changed} />}
      <Drawer open={detail !== null} onClose={() => setDetail(null)} width={640} title={t('units.detail')} destroyOnHidden closable={{ 'aria-label': t('incident.close') }}>
        {detail && <UnitHistory code={detail} />}
      </Drawer>
    </Space>
  );
}

/** A new unit, a rename or a merger, each with the decision it comes from. */
function UnitDialog({ dialog, onClose, onChanged }: { dialog: NonNullable<Dialog>; onClose: () => void; onChanged: () => Promise<void> }) {
  const { t } = useLabels();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const [form] = Form.useForm();
  const required = [{ required: true, message: t('review.form.required') }];
  const source = (
    <Form.Item name="source" label={t('units.source')} rules={[...required, { min: 5, max: 500, message: t('calendar.sourceLength') }]}>
      <Input.TextArea rows={2} placeholder={t('units.sourcePlaceholder')} />
    </Form.Item>
  );

  // The three forms differ; each branch reads its own fields.
  const { busy, error, submit } = useFormSubmit(form, async (v: Record<string, string | undefined>) => {
    if (dialog.kind === 'create') {
      const formerNames = (v.formerNames ?? '').split('\n').map((n) => n.trim()).filter(Boolean);
      await call(api.POST('/control/v1/units', { body: { code: v.code!, name: v.name!, shortName: v.shortName || undefined, kind: v.kind as (typeof KINDS)[number], parentCode: v.parentCode || undefined, validFrom: v.validFrom || undefined, formerNames: formerNames.length ? formerNames : undefined, source: v.source! } }));
    } else if (dialog.kind === 'rename') {
      await call(api.POST('/control/v1/units/{code}/rename', { params: { path: { code: dialog.unit.code } }, body: { name: v.name!, shortName: v.shortName || undefined, source: v.source! } }));
    } else {
      await call(api.POST('/control/v1/units/{code}/merge', { params: { path: { code: dialog.unit.code } }, body: { successorCode: v.successorCode!, effectiveOn: v.effectiveOn!, source: v.source! } }));
    }
    void message.success(t('review.act.done'));
    await onChanged();
  });
  // A merger is asked once more, naming both units, before anything is sent.
  const send = async (v: Record<string, string | undefined>) => {
    if (dialog.kind === 'merge' && !(await confirm(t('units.mergeTitle', { name: dialog.unit.name }), t('units.mergeConfirm', { name: dialog.unit.name, successor: v.successorCode })))) return;
    await submit(v);
  };

  const title = dialog.kind === 'create' ? t('units.create') : t(dialog.kind === 'rename' ? 'units.renameTitle' : 'units.mergeTitle', { name: dialog.unit.name });
  return (
    <Modal open title={title} okText={t('review.act.submit')} cancelText={t('review.act.cancel')} okButtonProps={{ loading: busy, danger: dialog.kind === 'merge' }}
      onOk={() => form.submit()} onCancel={onClose} width={640} destroyOnHidden>
      {error ? <FailureAlert error={error} /> : null}
      {/* A rename's short name starts empty: the gateway keeps a distinct short name, and one equal to
          the old name follows the new one (prefilled, the old name would stay the short name). */}
      <Form form={form} layout="vertical" onFinish={send} initialValues={dialog.kind === 'create' ? { kind: 'COMMUNE' } : {}}>
        {dialog.kind === 'create' && (
          <>
            <Form.Item name="code" label={t('units.code')} rules={required} extra={t('units.codeHint')}><Input /></Form.Item>
            <Form.Item name="name" label={t('units.name')} rules={required}><Input /></Form.Item>
            <Form.Item name="shortName" label={t('units.shortName')}><Input /></Form.Item>
            <Form.Item name="kind" label={t('units.kind')} rules={required}><Select options={KINDS.map((k) => ({ value: k, label: t(`units.kinds.${k}`) }))} /></Form.Item>
            <Form.Item name="parentCode" label={t('units.parent')}><Input /></Form.Item>
            <Form.Item name="validFrom" label={t('units.validFrom')}><DayField /></Form.Item>
            <Form.Item name="formerNames" label={t('units.formerNames')}><Input.TextArea rows={2} /></Form.Item>
            {source}
          </>
        )}
        {dialog.kind === 'rename' && (
          <>
            <Typography.Paragraph>{t('units.renameHint', { name: dialog.unit.name })}</Typography.Paragraph>
            <Form.Item name="name" label={t('units.newName')} rules={required}><Input /></Form.Item>
            <Form.Item name="shortName" label={t('units.shortName')} extra={t('units.shortNameHint', { shortName: dialog.unit.shortName })}><Input /></Form.Item>
            {source}
          </>
        )}
        {dialog.kind === 'merge' && (
          <>
            <Typography.Paragraph>{t('units.mergeHint')}</Typography.Paragraph>
            <Form.Item name="successorCode" label={t('units.successorCode')} rules={required}><Input /></Form.Item>
            <Form.Item name="effectiveOn" label={t('units.effectiveOn')} rules={required}><DayField /></Form.Item>
            {source}
          </>
        )}
      </Form>
    </Modal>
  );
}

/** One unit: its names, the units merged into it, and each change with its decision. */
function UnitHistory({ code }: { code: string }) {
  const { t } = useLabels();
  const [unit, setUnit] = useState<UnitDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    void call<UnitDetail>(api.GET('/control/v1/units/{code}', { params: { path: { code } } })).then(setUnit).catch(setError);
  }, [code]);
  if (error) return <FailureAlert error={error} />;
  if (!unit) return <Spin />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="unit-detail">
      <Descriptions bordered size="small" column={1} items={[
        { key: 'name', label: t('units.name'), children: `${unit.name} (${unit.code})` },
        { key: 'kind', label: t('units.kind'), children: t(`units.kinds.${unit.kind}`) },
        { key: 'former', label: t('units.formerNames'), children: unit.formerNames.join('; ') || '—' },
        { key: 'predecessors', label: t('units.predecessors'), children: unit.predecessorCodes.join(', ') || '—' },
        { key: 'source', label: t('units.source'), children: unit.source },
      ]} />
      <Table rowKey={(e) => `${e.occurredAt}-${e.action}`} size="small" pagination={false} dataSource={unit.history}
        locale={{ emptyText: <Typography.Text>{t('units.shippedOnly')}</Typography.Text> }}
        columns={[
          { title: t('review.detail.at'), dataIndex: 'occurredAt', key: 'at', render: (v: string) => formatDateTime(v) },
          { title: t('review.detail.action'), dataIndex: 'action', key: 'action', render: (v: string) => t(`units.actions.${v}`) },
          { title: t('review.detail.actor'), dataIndex: 'actorName', key: 'actor' },
          { title: t('units.source'), dataIndex: 'source', key: 'source' },
        ]} />
    </Space>
  );
}
