import pg from 'pg';
import { DataSource } from 'typeorm';
import { resolveRange, verifyStoredLog } from '../src/audit/archive/audit-log-reader.js';
import { AuditService } from '../src/audit/chain/audit.service.js';
import { AuditCheckpointService } from '../src/audit/checkpoints/audit-checkpoint.service.js';
import { trustedKeys } from '../src/audit/checkpoints/audit-signing-key.js';
import { GatewayHarness } from './support/gateway-harness.js';
import { resetDatabase, sql, testDatabaseUrl } from './support/test-database.js';

type Head = { seq: string; entry_hash: string };

/**
 * The chain's last link lives in `audit_chain_head` (migration 1798600000001) so that an append
 * does not look it up over every monthly partition. It must follow the log whatever writes it.
 */
describe('audit chain head', () => {
  let harness: GatewayHarness;
  let caller: Awaited<ReturnType<GatewayHarness['as']>>;
  let db: DataSource;

  beforeAll(async () => {
    await resetDatabase();
    harness = await GatewayHarness.start();
    harness.app.get(AuditCheckpointService).stopPeriodicSealing();
    db = harness.app.get(DataSource);
    caller = await harness.as(await harness.connection({ unit: 'Bộ Tài chính' }));
  });
  afterAll(() => harness.stop());

  const headTable = async () => sql<Head>(`SELECT seq::text, entry_hash FROM audit_chain_head`);
  const lastEntry = async () => (await sql<Head & { prev_hash: string }>(`SELECT seq::text, entry_hash, prev_hash FROM audit_entries e ORDER BY e.seq DESC LIMIT 1`))[0]; // (by the column: the text alias would sort 10 before 9)
  const calls = async (count: number) => {
    for (let i = 0; i < count; i++) await caller.get(`/api/v1/task-results?limit=${i + 1}`).expect(200);
  };
  const verify = async () => {
    const keys = trustedKeys([harness.app.get(AuditCheckpointService).signingKey().publicKey]);
    return verifyStoredLog(db, await resolveRange(db), keys);
  };

  it('is the last entry after every append', async () => {
    await calls(5);
    const last = await lastEntry();
    expect(await headTable()).toEqual([{ seq: last.seq, entry_hash: last.entry_hash }]);
  });

  it('follows a row written around the append function, even with triggers set to replica', async () => {
    const before = await lastEntry();
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    await client.query('SET session_replication_role = replica');
    const forged = { seq: String(Number(before.seq) + 1), entry_hash: 'e'.repeat(64) };
    await client.query(`INSERT INTO audit_entries (seq, occurred_at, request_id, plane, source_address, method, path, status_code, outcome, duration_ms, prev_hash, entry_hash)
      VALUES ($1, now(), gen_random_uuid(), 'data', '10.0.0.1', 'GET', '/forged', 200, 'success', 1, $2, $3)`, [forged.seq, before.entry_hash, forged.entry_hash]);
    await client.end();
    expect(await headTable()).toEqual([forged]);
    // The gateway's next entry follows the forged one, as it followed the log's last row before:
    // one chain, and the forgery is the verifier's to find.
    await calls(1);
    expect(await lastEntry()).toMatchObject({ seq: String(Number(forged.seq) + 1), prev_hash: forged.entry_hash });
  });

  it('heals a head left behind the log (a write with the triggers disabled) without losing a call', async () => {
    await resetDatabase();
    caller = await harness.as(await harness.connection({ unit: 'Bộ Tài chính' }));
    await calls(4);
    const last = await lastEntry();
    const [previous] = await sql<Head>(`SELECT seq::text, entry_hash FROM audit_entries WHERE seq = $1`, [Number(last.seq) - 1]);
    // The head table one link behind: the writer's next seq is already taken.
    await sql(`UPDATE audit_chain_head SET seq = $1, entry_hash = $2`, [previous.seq, previous.entry_hash]);
    await calls(3);
    const [{ n, max }] = await sql<{ n: number; max: string }>(`SELECT count(*)::int AS n, max(seq)::text AS max FROM audit_entries`);
    expect(n).toBe(Number(last.seq) + 3);
    expect(max).toBe(String(Number(last.seq) + 3));
    expect(await verify()).toMatchObject({ ok: true });
    expect((await headTable())[0].seq).toBe(max);
  });

  it('is recomputed from the log at least once a minute: a head the owner moved past the log is corrected', async () => {
    await calls(2);
    const last = await lastEntry();
    // The owner rewrites the head table (the runtime role may not); nothing notices until a recheck.
    await sql(`UPDATE audit_chain_head SET seq = seq + 5, entry_hash = $1`, ['f'.repeat(64)]);
    const audit = harness.app.get(AuditService) as unknown as { headRecheckedAt: number };
    audit.headRecheckedAt = performance.now() - 61_000; // a minute has passed
    await calls(1);
    expect(await lastEntry()).toMatchObject({ seq: String(Number(last.seq) + 1), prev_hash: last.entry_hash });
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('is forgotten when the log is truncated, and recomputed from what is left', async () => {
    await calls(2);
    await resetDatabase();
    expect(await headTable()).toEqual([]);
    caller = await harness.as(await harness.connection({ unit: 'Bộ Tài chính' }));
    await calls(2);
    const [first] = await sql<{ seq: string; prev_hash: string }>(`SELECT seq::text, prev_hash FROM audit_entries e ORDER BY e.seq LIMIT 1`);
    expect(first).toEqual({ seq: '1', prev_hash: '0'.repeat(64) });
    expect(await verify()).toMatchObject({ ok: true });
  });
});
