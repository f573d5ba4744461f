import fs from 'node:fs';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { entryFromRow, entryHash } from '../src/audit/chain/audit-chain.js';
import { journalPath } from '../src/audit/checkpoints/audit-checkpoint-journal.js';
import { AuditChainBrokenError, AuditCheckpointService } from '../src/audit/checkpoints/audit-checkpoint.service.js';
import { resolveRange, verifyStoredLog } from '../src/audit/archive/audit-log-reader.js';
import { trustedKeys } from '../src/audit/checkpoints/audit-signing-key.js';
import { AUDIT_COMMANDS, AuditVerificationFailed } from '../src/cli/audit-commands.js';
import { GatewayHarness } from './support/gateway-harness.js';
import { sql, testDatabaseUrl, writtenTables } from './support/test-database.js';

/** One session on the test database, running `setup` (e.g. a SET) before the statements. */
async function session(setup: string, statements: Array<string | [string, unknown[]]>): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query(setup);
    for (const s of statements) await (typeof s === 'string' ? client.query(s) : client.query(s[0], s[1]));
  } finally {
    await client.end();
  }
}

/** What an attacker with the database superuser does: triggers off for the session, then SQL. */
const tamper = (...statements: Array<string | [string, unknown[]]>) => session('SET session_replication_role = replica', statements);

/** TRUNCATE of the audit tables, allowed only with the escape hatch the test reset uses. */
async function emptyTables(tables?: string[]): Promise<void> {
  const names = tables ?? (await writtenTables());
  if (names.length) await session('SET gateway.allow_audit_truncate = on', [`TRUNCATE ${names.map((n) => `"${n}"`).join(', ')} CASCADE`]);
}

/** The columns `audit-entry/v2` adds (a forged row that copies its neighbour copies these too). */
const V2_COLUMNS = 'entry_format, action, actor_account_id, actor_username, actor_holder_name, actor_role, assistant_account_id, assistant_username, assistant_holder_name, target_type, target_id, payload_sha256, details';

const DATA_FIELDS = ['occurred_at', 'request_id', 'environment', 'connection_id', 'certificate_thumbprint', 'source_address', 'method', 'path', 'status_code', 'outcome', 'error_code', 'duration_ms', 'payload_sha256'];

/** Exchanges the given columns of the entries at two chain positions, in one statement. */
function swap(a: number, b: number, columns: string[]): string {
  return `UPDATE audit_entries t SET (${columns.join(', ')}) = (SELECT ${columns.map((c) => `o.${c}`).join(', ')} FROM audit_entries o WHERE o.seq = CASE t.seq WHEN ${a} THEN ${b} ELSE ${a} END) WHERE t.seq IN (${a}, ${b})`;
}

describe('audit log: tamper evidence', () => {
  let harness: GatewayHarness;
  let caller: Awaited<ReturnType<GatewayHarness['as']>>;
  let db: DataSource;
  let checkpoints: AuditCheckpointService;

  beforeAll(async () => {
    // As resetDatabase(), which TRUNCATEs without gateway.allow_audit_truncate until it sets it.
    await emptyTables();
    harness = await GatewayHarness.start();
    checkpoints = harness.app.get(AuditCheckpointService);
    checkpoints.stopPeriodicSealing();
    db = harness.app.get(DataSource);
    // One token for the suite: token requests have a per-minute quota of their own.
    caller = await harness.as(await harness.connection({ unit: 'Bộ Tài chính' }));
  });
  afterAll(() => harness.stop());

  /** `count` pulls: `count` audit entries. */
  async function calls(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await caller.get(`/api/v1/task-results?limit=${i + 1}`).expect(200)).headers['x-request-id']);
    return ids;
  }

  async function verify() {
    const keys = trustedKeys([checkpoints.signingKey().publicKey]);
    return verifyStoredLog(db, await resolveRange(db), keys);
  }

  /** Entries 1..7 and 8..14 sealed by checkpoints 1 and 2, entries 15..19 not yet sealed. */
  async function freshLog(): Promise<{ cp: string[] }> {
    await emptyTables(['audit_entries', 'audit_checkpoints']);
    await calls(7);
    const [first] = await checkpoints.seal();
    await calls(7);
    const [second] = await checkpoints.seal();
    await calls(5);
    expect([first.firstSeq, first.lastSeq, second.firstSeq, second.lastSeq]).toEqual(['1', '7', '8', '14']);
    return { cp: [first.id, second.id] };
  }

  const idOf = async (seq: number) => (await sql<{ id: string }>(`SELECT id FROM audit_entries WHERE seq = $1`, [seq]))[0].id;

  it('refuses UPDATE, DELETE and TRUNCATE of audit entries and checkpoints', async () => {
    await freshLog();
    await expect(sql(`UPDATE audit_entries SET status_code = 200 WHERE seq = 3`)).rejects.toThrow(/append-only: UPDATE on audit_entries/);
    await expect(sql(`DELETE FROM audit_entries WHERE seq = 3`)).rejects.toThrow(/append-only: DELETE on audit_entries/);
    await expect(sql(`TRUNCATE audit_entries`)).rejects.toThrow(/append-only: TRUNCATE on audit_entries/);
    await expect(sql(`UPDATE audit_checkpoints SET signature = 'x'`)).rejects.toThrow(/append-only: UPDATE on audit_checkpoints/);
    await expect(sql(`DELETE FROM audit_checkpoints`)).rejects.toThrow(/append-only: DELETE on audit_checkpoints/);
    await expect(sql(`TRUNCATE audit_checkpoints CASCADE`)).rejects.toThrow(/append-only: TRUNCATE on audit_checkpoints/);
    expect((await sql(`SELECT count(*)::int AS n FROM audit_entries`))[0]).toEqual({ n: 19 });
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('chains every entry and verifies an untouched log', async () => {
    await freshLog();
    const report = await verify();
    expect(report).toMatchObject({ ok: true, startSeq: '1', endSeq: '19', entriesChecked: 19, checkpointsChecked: 2, sealedThroughSeq: '14', unsealedEntries: 5 });
    const rows = await sql<{ seq: string; prev_hash: string; entry_hash: string }>(`SELECT seq, prev_hash, entry_hash FROM audit_entries ORDER BY seq`);
    expect(rows[0].prev_hash).toBe('0'.repeat(64));
    rows.slice(1).forEach((row, i) => expect(row.prev_hash).toBe(rows[i].entry_hash));
  });

  it('locates an edited field', async () => {
    await freshLog();
    await tamper(`UPDATE audit_entries SET status_code = 403, outcome = 'rejected' WHERE seq = 5`);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.failures[0]).toMatchObject({ kind: 'altered', seq: '5', entryId: await idOf(5) });
    expect(report.failureCount).toBe(1);
  });

  it('locates a deleted entry', async () => {
    await freshLog();
    await tamper(`DELETE FROM audit_entries WHERE seq = 10`);
    const report = await verify();
    expect(report.failures[0]).toMatchObject({ kind: 'missing', seq: '10', message: expect.stringContaining('entry seq 10 is missing') });
  });

  it('locates entries deleted from the end of what a checkpoint sealed', async () => {
    await freshLog();
    await tamper(`DELETE FROM audit_entries WHERE seq >= 12`);
    const report = await verify();
    expect(report.failures[0]).toMatchObject({ kind: 'missing', seq: '12', message: expect.stringContaining('entries seq 12..14 are missing') });
  });

  it('locates two entries whose contents were swapped', async () => {
    await freshLog();
    await tamper(swap(3, 12, DATA_FIELDS));
    const report = await verify();
    expect(report.failures.map((f) => [f.kind, f.seq])).toEqual([['altered', '3'], ['altered', '12']]);
  });

  it('locates rows swapped whole, chain columns included', async () => {
    await freshLog();
    await tamper(
      swap(3, 4, [...DATA_FIELDS, 'prev_hash', 'entry_hash']),
      `UPDATE audit_entries SET seq = -seq WHERE seq IN (3, 4)`,
      `UPDATE audit_entries SET seq = CASE seq WHEN -3 THEN 4 ELSE 3 END WHERE seq IN (-3, -4)`,
    );
    const report = await verify();
    expect(report.failures[0]).toMatchObject({ kind: 'out-of-order', seq: '4' });
  });

  it('locates a forged row appended with a made-up hash', async () => {
    await freshLog();
    const [last] = await sql<Record<string, unknown>>(`SELECT * FROM audit_entries WHERE seq = 19`);
    await tamper([
      `INSERT INTO audit_entries (seq, occurred_at, request_id, plane, environment, connection_id, certificate_thumbprint, source_address, method, path, status_code, outcome, error_code, duration_ms, prev_hash, entry_hash)
       VALUES (20, now(), gen_random_uuid(), 'data', 'test', $1, $2, '10.0.0.9', 'PUT', '/api/v1/task-results/FORGED', 201, 'success', NULL, 3, $3, $4)`,
      [last.connection_id, last.certificate_thumbprint, last.entry_hash, 'f'.repeat(64)],
    ]);
    const report = await verify();
    expect(report.failures[0]).toMatchObject({ kind: 'altered', seq: '20' });
  });

  it('locates a forged row inserted mid-chain with a well-formed link', async () => {
    await freshLog();
    const [before] = await sql<Record<string, unknown>>(`SELECT * FROM audit_entries WHERE seq = 8`);
    const forged = entryFromRow({ ...before, id: '0', seq: '9', path: '/api/v1/task-results/FORGED', method: 'PUT', status_code: 201, prev_hash: before.entry_hash });
    forged.entryHash = entryHash(forged, forged.prevHash);
    await tamper(
      `UPDATE audit_entries SET seq = seq + 1000 WHERE seq >= 9`,
      `UPDATE audit_entries SET seq = seq - 999 WHERE seq >= 1009`,
      [`INSERT INTO audit_entries (seq, occurred_at, request_id, plane, environment, connection_id, certificate_thumbprint, source_address, method, path, status_code, outcome, error_code, duration_ms, ${V2_COLUMNS}, prev_hash, entry_hash)
        SELECT 9, occurred_at, request_id, plane, environment, connection_id, certificate_thumbprint, source_address, $1, $2, $3, outcome, error_code, duration_ms, ${V2_COLUMNS}, $4, $5 FROM audit_entries WHERE seq = 8`,
      [forged.method, forged.path, forged.statusCode, forged.prevHash, forged.entryHash]],
    );
    const forgedId = await idOf(9);
    const report = await verify();
    expect(report.failures[0]).toMatchObject({ kind: 'out-of-order', seq: '10', message: expect.stringContaining(`entry seq 9 (row ${forgedId}), which precedes it`) });
    expect(report.failures[1]).toMatchObject({ kind: 'chain-broken', seq: '10', message: expect.stringContaining(`does not link to entry seq 9 (row ${forgedId})`) });
  });

  it('catches a chain recomputed after an edit through the checkpoint that sealed it', async () => {
    const { cp } = await freshLog();
    await tamper(`UPDATE audit_entries SET path = '/api/v1/task-results?edited' WHERE seq = 2`);
    const rows = await sql<Record<string, unknown>>(`SELECT * FROM audit_entries ORDER BY seq`);
    let prevHash = rows[0].entry_hash as string;
    const updates: Array<[string, unknown[]]> = [];
    for (const row of rows.slice(1)) {
      const hash = entryHash(entryFromRow(row), prevHash);
      updates.push([`UPDATE audit_entries SET prev_hash = $1, entry_hash = $2 WHERE id = $3`, [prevHash, hash, row.id]]);
      prevHash = hash;
    }
    await tamper(...updates);
    const report = await verify();
    expect(report.failures[0]).toMatchObject({ kind: 'checkpoint-mismatch', seq: '7', checkpointId: cp[0] });
  });

  it('refuses an altered checkpoint signature, altered checkpoint contents and a deleted checkpoint', async () => {
    const { cp } = await freshLog();
    await tamper(`UPDATE audit_checkpoints SET signature = (SELECT signature FROM audit_checkpoints WHERE id = ${cp[0]}) WHERE id = ${cp[1]}`);
    expect((await verify()).failures[0]).toMatchObject({ kind: 'checkpoint-signature', seq: '8', checkpointId: cp[1] });

    await freshLog().then(({ cp: [first] }) => tamper(`UPDATE audit_checkpoints SET entry_count = 6, last_seq = 6, last_entry_hash = (SELECT entry_hash FROM audit_entries WHERE seq = 6) WHERE id = ${first}`));
    expect((await verify()).failures[0]).toMatchObject({ kind: 'checkpoint-signature', seq: '1', message: expect.stringContaining('signature does not match') });

    const again = await freshLog();
    await tamper(`DELETE FROM audit_checkpoints WHERE id = ${again.cp[0]}`);
    expect((await verify()).failures[0]).toMatchObject({ kind: 'checkpoint-gap', seq: '1' });
  });

  it('refuses to seal a broken chain, and keeps recording after it', async () => {
    await freshLog();
    await tamper(`UPDATE audit_entries SET source_address = '203.0.113.7' WHERE seq = 17`);
    await expect(checkpoints.seal()).rejects.toThrow(AuditChainBrokenError);
    expect((await sql(`SELECT count(*)::int AS n FROM audit_checkpoints`))[0]).toEqual({ n: 2 });
    await calls(1);
    const report = await verify();
    expect(report.failures.map((f) => [f.kind, f.seq])).toEqual([['altered', '17']]);
    expect(report.entriesChecked).toBe(20);
  });

  it('notices a log cut back at its end, which the chain and checkpoints alone cannot, through the checkpoint journal', async () => {
    fs.rmSync(journalPath(harness.config), { force: true }); // the earlier tests' logs were emptied under it
    await freshLog();
    const lines: string[] = [];
    const auditVerify = () => AUDIT_COMMANDS['audit:verify'].run(harness.operator, [], (line) => lines.push(line));
    await auditVerify();
    expect(lines).toContain(`journal ${journalPath(harness.config)}: its newest 1 checkpoint(s) compared with the database`);

    // The newest checkpoint and every entry from the start of its range, deleted together.
    await tamper(`DELETE FROM audit_checkpoints WHERE last_seq = 14`, `DELETE FROM audit_entries WHERE seq >= 8`);
    expect(await verify()).toMatchObject({ ok: true, endSeq: '7', sealedThroughSeq: '7' }); // a shorter log that holds together
    lines.splice(0);
    await expect(auditVerify()).rejects.toThrow(AuditVerificationFailed);
    expect(lines.join('\n')).toMatch(/FAILED: 1 problem\(s\); the first at seq 8/);
    expect(lines.join('\n')).toMatch(/checkpoint \d+ \(seq 8\.\.14, sealed [^)]+\) is in the journal but not in the database/);
  });
});
