import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { AuditArchiveRefused, archivePeriod } from '../src/audit/archive/audit-archive.js';
import { AuditCheckpointService } from '../src/audit/checkpoints/audit-checkpoint.service.js';
import { AuditQueryService } from '../src/audit/api/audit-query.service.js';
import type { AuditExport } from '../src/audit/archive/audit-export.js';
import { resolveRange, verifyStoredLog } from '../src/audit/archive/audit-log-reader.js';
import { attachedPeriods } from '../src/audit/archive/audit-partitions.js';
import { trustedKeys } from '../src/audit/checkpoints/audit-signing-key.js';
import { type AuditRecord, AuditService } from '../src/audit/chain/audit.service.js';
import { AUDIT_COMMANDS } from '../src/cli/audit-commands.js';
import { InvalidConfigError, loadGatewayConfig } from '../src/shared/config/gateway-config.js';
import { GatewayHarness } from './support/gateway-harness.js';
import { dropDetachedAuditMonths, resetDatabase, sql, testDatabaseUrl } from './support/test-database.js';

function entryAt(occurredAt: string): AuditRecord {
  return {
    occurredAt: new Date(occurredAt), requestId: crypto.randomUUID(), plane: 'data', environment: 'test', connectionId: null,
    certificateThumbprint: null, sourceAddress: '10.1.2.3', method: 'GET', path: '/api/v1/task-results', statusCode: 200, errorCode: null, durationMs: 3,
  };
}

/**
 * Archival of old months. The old entries are recorded through the audit service with the times
 * they carry (it takes the time it is given), before any current call, so that chain order
 * follows time as it does in a real log — apart from the few milliseconds around a month
 * boundary, where seq and month interleave (seq 2 below), as they do in life.
 */
describe('audit log: archival of a period older than the retention', () => {
  let harness: GatewayHarness;
  let db: DataSource;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-archive-'));
  const lines: string[] = [];
  const print = (line: string) => lines.push(line);
  const archive = (...argv: string[]) => AUDIT_COMMANDS['audit:archive'].run(harness.operator, argv, print);
  const exportPeriod = async (period: string, name = `${period}.json`) => {
    const file = path.join(dir, name);
    await AUDIT_COMMANDS['audit:export'].run(harness.operator, ['--period', period, '--out', file], print);
    return file;
  };
  const verifyAll = async () => {
    const keys = trustedKeys([harness.app.get(AuditCheckpointService).signingKey().publicKey]);
    return verifyStoredLog(db, await resolveRange(db), keys);
  };

  beforeAll(async () => {
    await resetDatabase();
    await dropDetachedAuditMonths();
    harness = await GatewayHarness.start();
    const checkpoints = harness.app.get(AuditCheckpointService);
    checkpoints.stopPeriodicSealing();
    db = harness.app.get(DataSource);
    const audit = harness.app.get(AuditService);
    // seq 1..3 in one group across the January/February boundary, sealed by one checkpoint.
    await Promise.all(['2019-01-31T23:59:59.990Z', '2019-02-01T00:00:00.001Z', '2019-01-31T23:59:59.995Z'].map((t) => audit.record(entryAt(t))));
    await checkpoints.seal();
    for (const t of ['2019-02-10T08:00:00Z', '2019-02-20T08:00:00Z', '2019-03-05T08:00:00Z']) await audit.record(entryAt(t));
    await checkpoints.seal();
    const caller = await harness.as(await harness.connection({ unit: 'Bộ Tài chính' }));
    await caller.get('/api/v1/task-results?limit=1').expect(200);
    await checkpoints.seal();
  });
  afterAll(async () => {
    await harness.stop();
    await dropDetachedAuditMonths();
  });
  beforeEach(() => lines.splice(0));

  it('refuses a retention shorter than five years at start-up', () => {
    expect(() => loadGatewayConfig({ AUDIT_RETENTION_YEARS: '4' })).toThrow(InvalidConfigError);
    expect(() => loadGatewayConfig({ AUDIT_RETENTION_YEARS: '4' })).toThrow(/AUDIT_RETENTION_YEARS="4": must be at least 5/);
    expect(loadGatewayConfig({}).AUDIT_RETENTION_YEARS).toBe(5);
  });

  it('refuses a period younger than the retention period, counted from the end of the month', async () => {
    const now = new Date();
    const young = `${now.getUTCFullYear() - 4}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    await expect(archive('--period', young, '--export', path.join(dir, 'x.json'))).rejects.toThrow(/RETENTION_NOT_REACHED.*younger than the retention period \(5 years\)/);
    // With a longer retention configured, 2019 is not old enough either.
    const refused = archivePeriod(db, () => Promise.reject(new Error('must not record')), {
      period: '2019-01', exportFile: await exportPeriod('2019-01'), drop: false, retentionYears: 10, keys: trustedKeys([]),
    });
    await expect(refused).rejects.toThrow(/RETENTION_NOT_REACHED.*until 2029-02-01T00:00:00.000Z/);
    // Five years after the end of January 2019, not a day earlier.
    const early = archivePeriod(db, () => Promise.reject(new Error('must not record')), {
      period: '2019-01', exportFile: path.join(dir, 'x.json'), drop: false, retentionYears: 5, keys: trustedKeys([]), now: new Date('2024-01-31T23:59:59Z'),
    });
    await expect(early).rejects.toBeInstanceOf(AuditArchiveRefused);
    expect(await attachedPeriods(db)).toContain('2019-01');
  });

  it('refuses without a valid export of the period, and out of order', async () => {
    await expect(archive('--period', '2019-01', '--export', path.join(dir, 'never-written.json'))).rejects.toThrow(/EXPORT_MISSING.*audit:export --period 2019-01/);

    const edited = await exportPeriod('2019-01', 'edited.json');
    const data = JSON.parse(fs.readFileSync(edited, 'utf8')) as AuditExport;
    data.entries[0].path = '/forged';
    fs.writeFileSync(edited, JSON.stringify(data));
    await expect(archive('--period', '2019-01', '--export', edited)).rejects.toThrow(/EXPORT_INVALID.*does not match its entry_hash/);

    // A file that verifies but is another range (March): January's entries are not in it.
    await expect(archive('--period', '2019-01', '--export', await exportPeriod('2019-03'))).rejects.toThrow(/EXPORT_(INVALID|INCOMPLETE)/);
    // February cannot leave while January, older, is still there.
    await expect(archive('--period', '2019-02', '--export', await exportPeriod('2019-02'))).rejects.toThrow(/OLDER_PERIOD_FIRST/);
    expect(await attachedPeriods(db)).toEqual(expect.arrayContaining(['2019-01', '2019-02']));
    expect((await sql(`SELECT count(*)::int AS n FROM audit_entries WHERE action = 'audit.archive'`))[0].n).toBe(0);
  });

  it('archives a verified old month: detached, still append-only, recorded in the chain; the rest still verifies', async () => {
    const file = await exportPeriod('2019-01');
    await archive('--period', '2019-01', '--export', file);
    expect(lines.join('\n')).toMatch(/period 2019-01: 2 entries verified/);
    expect(await attachedPeriods(db)).not.toContain('2019-01');
    expect((await sql(`SELECT count(*)::int AS n FROM audit_entries_2019_01`))[0].n).toBe(2);
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    await expect(client.query(`DELETE FROM audit_entries_2019_01`)).rejects.toThrow('append-only: DELETE on audit_entries_2019_01');
    await client.end();

    const [entry] = await sql<{ details: string; actor_username: string; target_id: string }>(`SELECT details, actor_username, target_id FROM audit_entries WHERE action = 'audit.archive'`);
    expect(entry.target_id).toBe('2019-01');
    expect(JSON.parse(entry.details)).toMatchObject({
      period: '2019-01', entries: 2, archivedThroughSeq: '3', drop: false,
      exportSha256: crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
    });
    // seq 2 (1 February) is still in the database and in January's file; the live log starts at 4.
    await harness.app.get(AuditCheckpointService).seal();
    expect(await verifyAll()).toMatchObject({ ok: true, startSeq: '4', anchored: true });
    await AUDIT_COMMANDS['audit:verify'].run(harness.operator, [], print);
    expect(lines).toContain('entries up to seq 3 are archived (audit:archive): verify them from their export files');
    expect(lines).toContain('OK: the hash chain and every checkpoint verify');
    // Auditors' API (GET /control/v1/audit/verification) says so too.
    const auditors = new AuditQueryService(db, harness.app.get(AuditCheckpointService), harness.config);
    expect(await auditors.verify({})).toMatchObject({ ok: true, startSeq: '4', archivedThroughSeq: '3' });
    // A month once archived takes no more entries (a writer that has not met it yet is told why).
    await expect(harness.app.get(AuditService).record(entryAt('2019-01-15T00:00:00Z'))).rejects.toThrow(/no partition/);
    await expect(new AuditService(db, harness.config).record(entryAt('2019-01-15T00:00:00Z'))).rejects.toThrow(/2019-01 was archived/);
  });

  it('drops the next month only with --drop, after its own export verifies', async () => {
    const file = await exportPeriod('2019-02');
    expect((JSON.parse(fs.readFileSync(file, 'utf8')) as AuditExport).startSeq).toBe('4');
    await archive('--period', '2019-02', '--export', file, '--drop');
    expect((await sql(`SELECT to_regclass('audit_entries_2019_02') AS t`))[0].t).toBeNull();
    await harness.app.get(AuditCheckpointService).seal();
    expect(await verifyAll()).toMatchObject({ ok: true, anchored: true });
    expect((await sql(`SELECT count(*)::int AS n FROM audit_entries WHERE action = 'audit.archive'`))[0].n).toBe(2);
  });

  it('does not believe an archive entry the database contradicts: a forged claim makes no entries skip verification', async () => {
    const [{ max }] = await sql<{ max: string }>(`SELECT max(seq)::text AS max FROM audit_entries`);
    // Written through the normal path, as someone able to append a well-formed entry could.
    await harness.app.get(AuditService).record({
      ...entryAt(new Date().toISOString()), plane: 'control', method: 'CLI', path: 'audit:archive', action: 'audit.archive',
      details: { period: '2019-03', partition: 'audit_entries_2019_03', entries: 1, archivedThroughSeq: max, drop: false },
    });
    const range = await resolveRange(db);
    expect(range.archivedThroughSeq).toBeUndefined();
    expect(range.startSeq).toBe('1');
    // Verification now covers the chain from its start, where the archived months are missing: not OK, for a person to look at.
    expect((await verifyAll()).ok).toBe(false);
  });
});
