import { Alert, Button, Drawer, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/schema';
import { failureText, useLabels } from '../../i18n';
import { AccountAction, type ActionKind } from './AccountActions';
import { AccountHistory } from './AccountHistory';
import { formatDateTime } from '../../shared/dates';

type Account = components['schemas']['AccountView'];
type Page = components['schemas']['AccountPage'];

const PAGE_SIZE = 50;
/** A lock "until unlocked" is stored as the year 9999. */
const FOREVER = new Date('9000-01-01').getTime();

/** Every account, a page at a time, with what a system administrator does to each. */
export function Accounts({ selfId }: { selfId: string }) {
  const { t, label, language } = useLabels();
  const [page, setPage] = useState<Page | null>(null);
  const [cursors, setCursors] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [action, setAction] = useState<{ kind: ActionKind; account: Account | null } | null>(null);
  const [history, setHistory] = useState<Account | null>(null);

  const load = useCallback(async (cursor?: string) => {
    try {
      setPage(await call<Page>(api.GET('/control/v1/accounts', { params: { query: { limit: PAGE_SIZE, cursor } } })));
    } catch (failure) {
      setError(failureText(failure, language, t('errors.generic')));
    }
  }, [language, t]);
  useEffect(() => void load(), [load]);
  const reload = () => void load(cursors[cursors.length - 1]);

  const status = (a: Account) => (
    <Space size={4} wrap>
      {a.active ? <Tag color="#135200">{t('admin.active')}</Tag> : <Tag color="#434343">{t('admin.deactivated')}</Tag>}
      {a.lockedUntil && (
        <Tag color="#a8071a">{new Date(a.lockedUntil).getTime() > FOREVER ? t('admin.lockedForever') : t('admin.lockedUntil', { until: formatDateTime(a.lockedUntil) })}</Tag>
      )}
      {a.active && !a.totpEnrolled && <Tag color="#874d00">{t('admin.totpPending')}</Tag>}
      {a.secondFactor && <Tag color="#00474f">{label(a.secondFactor)}</Tag>}
    </Space>
  );

  const actions = (a: Account) => {
    const act = (kind: ActionKind) => () => setAction({ kind, account: a });
    const self = a.id === selfId;
    return (
      <Space size={4} wrap>
        <Button size="small" onClick={() => setHistory(a)}>{t('admin.history')}</Button>
        {a.active && !self && (a.lockedUntil ? <Button size="small" onClick={act('unlock')}>{t('admin.unlock')}</Button> : <Button size="small" danger onClick={act('lock')}>{t('admin.lock')}</Button>)}
        {a.active && !self && <Button size="small" onClick={act('reset')}>{t('admin.reset')}</Button>}
        {a.active && <Button size="small" onClick={act('handOver')}>{t('admin.handOver')}</Button>}
        {a.active && !self && <Button size="small" danger onClick={act('deactivate')}>{t('admin.deactivate')}</Button>}
        {!a.active && <Button size="small" onClick={act('reactivate')}>{t('admin.reactivate')}</Button>}
        {a.active && <Button size="small" onClick={act('identity')}>{t('admin.identity')}</Button>}
        {a.active && <Button size="small" onClick={act('signInCertificate')}>{t('admin.signInCertificate')}</Button>}
        {a.active && <Button size="small" onClick={act('secondFactor')}>{t('admin.secondFactor')}</Button>}
      </Space>
    );
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert role="alert" type="error" showIcon title={error} />}
      <Button type="primary" onClick={() => setAction({ kind: 'create', account: null })}>{t('admin.create')}</Button>
      <Table<Account>
        rowKey="id"
        size="small"
        loading={!page}
        dataSource={page?.items ?? []}
        pagination={false}
        data-testid="accounts"
        columns={[
          { title: t('admin.username'), dataIndex: 'username', key: 'username' },
          { title: t('admin.holderName'), dataIndex: 'holderName', key: 'holder', render: (v: string, a: Account) => <>{v}{a.position ? <Typography.Text type="secondary"> — {a.position}</Typography.Text> : null}</> },
          { title: t('admin.role'), dataIndex: 'role', key: 'role', render: (r: string) => label(r) },
          { title: t('admin.unit'), dataIndex: 'unit', key: 'unit', render: (v: string | null) => v || '—' },
          { title: t('admin.status'), key: 'status', render: (_: unknown, a: Account) => status(a) },
          { title: t('admin.actions'), key: 'actions', render: (_: unknown, a: Account) => actions(a) },
        ]}
      />
      <Space>
        <Button disabled={cursors.length === 0} onClick={() => { setCursors([]); void load(); }}>{t('audit.first')}</Button>
        <Button disabled={!page?.nextCursor} onClick={() => { setCursors([...cursors, page!.nextCursor!]); void load(page!.nextCursor!); }}>{t('audit.next')}</Button>
      </Space>
      {action && <AccountAction kind={action.kind} account={action.account} onClose={() => setAction(null)} onDone={reload} />}
      <Drawer open={history !== null} onClose={() => setHistory(null)} title={history ? `${t('admin.history')}: ${history.username}` : ''} width={760} destroyOnHidden closable={{ 'aria-label': t('incident.close') }}>
        {history && <AccountHistory accountId={history.id} />}
      </Drawer>
    </Space>
  );
}
