import crypto from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { AuditCheckpointService } from '../src/audit/checkpoints/audit-checkpoint.service.js';
import { resolveRange, verifyStoredLog } from '../src/audit/archive/audit-log-reader.js';
import { attachedPeriods, ensurePartitions, MONTHS_AHEAD, periodContaining } from '../src/audit/archive/audit-partitions.js';
import { trustedKeys } from '../src/audit/checkpoints/audit-signing-key.js';
import { type AuditRecord, AuditService } from '../src/audit/chain/audit.service.js';
import { GatewayHarness } from './support/gateway-harness.js';
import { dropDetachedAuditMonths, resetDatabase, sql, testDatabaseUrl } from './support/test-database.js';

/** An entry as the service records it, at a chosen time (the service takes the time it is given). */
function entryAt(occurredAt: string, path = '/api/v1/task-results'): AuditRecord {
  return {
    occurredAt: new Date(occurredAt), requestId: crypto.randomUUID(), plane: 'data', environment: 'test', connectionId: null,
    certificateThumbprint: null, sourceAddress: '10.1.2.3', method: 'GET', path, statusCode: 200, errorCode: null, durationMs: 3,
  };
}

/** Runs one statement in its own session; resolves to the error it raised, if any. */
async function errorOf(statement: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query(statement);
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end();
  }
}

describe('audit log: partitioned by month', () => {
  let harness: GatewayHarness;
  let audit: AuditService;
  let db: DataSource;

  beforeAll(async () => {
    await resetDatabase();
    await dropDetachedAuditMonths();
    harness = await GatewayHarness.start();
    harness.app.get(AuditCheckpointService).stopPeriodicSealing();
    audit = harness.app.get(AuditService);
    db = harness.app.get(DataSource);
  });
  afterAll(() => harness.stop());

  const partitionOf = async (requestId: string) =>
    (await sql<{ part: string }>(`SELECT tableoid::regclass::text AS part FROM audit_entries WHERE request_id = $1`, [requestId]))[0]?.part;

  it('has this month and the next ones ready from start-up', async () => {
    const now = new Date();
    const expected = Array.from({ length: MONTHS_AHEAD + 1 }, (_, i) => periodContaining(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1))).label);
    expect(await attachedPeriods(db)).toEqual(expect.arrayContaining(expected));
  });

  it('puts each entry in the partition of its UTC month, on either side of a month boundary', async () => {
    await sql(`DROP TABLE IF EXISTS audit_entries_2019_01, audit_entries_2019_02`); // empty after the reset, if another suite made them
    expect((await sql(`SELECT to_regclass('audit_entries_2019_01') AS t`))[0].t).toBeNull();
    // Months that do not exist yet: the writer creates them before its INSERT, nobody gets an error.
    const entries = [
      entryAt('2019-01-31T23:59:59.999Z'),
      entryAt('2019-02-01T00:00:00.000Z'),
      entryAt('2019-02-01T06:59:59.999+07:00'), // still 31 January in UTC
    ];
    await Promise.all(entries.map((e) => audit.record(e)));
    expect(await partitionOf(entries[0].requestId)).toBe('audit_entries_2019_01');
    expect(await partitionOf(entries[1].requestId)).toBe('audit_entries_2019_02');
    expect(await partitionOf(entries[2].requestId)).toBe('audit_entries_2019_01');

    const caller = await harness.as(await harness.connection({ unit: 'Bộ Tài chính' }));
    const call = await caller.get('/api/v1/task-results?limit=1').expect(200);
    expect(await partitionOf(call.headers['x-request-id'])).toBe(periodContaining(new Date()).partition);
  });

  it('keeps one gapless chain across partitions, which verifies', async () => {
    await audit.record(entryAt('2019-03-15T10:00:00Z'));
    await harness.app.get(AuditCheckpointService).seal();
    const rows = await sql<{ seq: string; part: string }>(`SELECT seq, tableoid::regclass::text AS part FROM audit_entries ORDER BY seq`);
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    expect(new Set(rows.map((r) => r.part)).size).toBeGreaterThanOrEqual(4);
    const keys = trustedKeys([harness.app.get(AuditCheckpointService).signingKey().publicKey]);
    const report = await verifyStoredLog(db, await resolveRange(db), keys);
    expect(report).toMatchObject({ ok: true, entriesChecked: rows.length, unsealedEntries: 0 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on every partition, old, current and newly created', async () => {
    await ensurePartitions(db, new Date('2031-05-01T00:00:00Z'), new Date('2031-05-01T00:00:00Z'));
    const partitions = (await attachedPeriods(db)).map((p) => `audit_entries_${p.replace('-', '_')}`);
    expect(partitions).toEqual(expect.arrayContaining(['audit_entries_2019_01', 'audit_entries_2031_05', periodContaining(new Date()).partition]));
    const holding = (await sql<{ part: string }>(`SELECT DISTINCT tableoid::regclass::text AS part FROM audit_entries`)).map((r) => r.part);
    expect(holding.length).toBeGreaterThanOrEqual(4);
    for (const part of partitions) {
      // A row trigger has nothing to fire for on an empty partition: those are checked below.
      if (holding.includes(part)) {
        expect(await errorOf(`UPDATE "${part}" SET path = '/forged'`)).toMatch(`append-only: UPDATE on ${part}`);
        expect(await errorOf(`DELETE FROM "${part}"`)).toMatch(`append-only: DELETE on ${part}`);
      }
      expect(await errorOf(`TRUNCATE "${part}"`)).toMatch(`append-only: TRUNCATE on ${part}`);
    }
    // Every partition, empty or not, carries both guards.
    const guards = await sql<{ part: string; n: string }>(
      `SELECT c.relname AS part, count(t.oid) AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         LEFT JOIN pg_trigger t ON t.tgrelid = c.oid AND (t.tgname = 'audit_entries_append_only' OR t.tgname = c.relname || '_no_truncate')
        WHERE i.inhparent = 'audit_entries'::regclass GROUP BY c.relname`);
    expect(guards.filter((g) => Number(g.n) !== 2)).toEqual([]);
    expect(await errorOf(`UPDATE audit_entries SET status_code = 500 WHERE seq = 1`)).toMatch('append-only: UPDATE on audit_entries_2019_01');
    expect(await errorOf(`DELETE FROM audit_entries WHERE occurred_at < '2019-02-01Z'`)).toMatch('append-only: DELETE');
    expect(await errorOf(`TRUNCATE audit_entries`)).toMatch('append-only: TRUNCATE on audit_entries');
    expect((await sql(`SELECT count(*)::int AS n FROM audit_entries_2019_01`))[0].n).toBe(2);
  });
});
