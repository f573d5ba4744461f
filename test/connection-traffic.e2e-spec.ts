import { Role } from '../src/accounts/roles.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { taskResult, type TestClient } from './support/gateway-harness.js';
import { waitFor } from './support/security-helpers.js';
import { resetDatabase, sql } from './support/test-database.js';

const UNIT = 'Bộ Nội vụ';

interface Traffic {
  connectionId: string;
  from: string;
  to: string;
  bucketSeconds: number;
  totals: { calls: number; success: number; rejected: number; failed: number };
  minutes: Array<{ at: string; success: number; rejected: number; failed: number }>;
  refusals: Array<{ errorCode: string | null; count: number }>;
}

/**
 * GET /control/v1/connections/{id}/traffic: the security officer's "last hour" of a connection,
 * counted from the audit log of the data plane, per minute and by outcome; a unit administrator
 * sees only their own agency's.
 */
describe('a connection\'s traffic over the last hour', () => {
  let h: ControlPlaneHarness;
  let officer: Person;
  let otherUnit: Person;
  let live: TestClient;
  let quiet: TestClient;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start();
    const admin = await h.bootstrapAdmin();
    officer = await h.person(admin, 'traffic.officer', Role.SECURITY_OFFICER);
    otherUnit = await h.person(admin, 'traffic.other', Role.UNIT_ADMIN, 'Bộ Tài chính');
    [live, quiet] = [await h.gateway.connection({ unit: UNIT, env: 'production', name: 'Hệ thống A' }), await h.gateway.connection({ unit: UNIT, env: 'production', name: 'Hệ thống B' })];
  }, 120_000);
  afterAll(() => h.stop());

  const traffic = async (id: string) => (await h.as(officer).get(`/control/v1/connections/${id}/traffic`).expect(200)).body as Traffic;

  it('counts each data-plane call in its minute by outcome, with the refusal codes, and nothing of other connections', async () => {
    for (let i = 0; i < 2; i++) await h.gateway.token(live);
    // A third token, then two pushes for a unit outside the connection's scope: refused (403).
    const caller = await h.gateway.as(live);
    for (const code of ['TRAFFIC_1', 'TRAFFIC_2']) await caller.put(`/api/v1/task-results/${code}`).send(taskResult(code, 'Bộ Tài chính')).expect(403);
    // The audit hook writes after the answer: wait for the five entries.
    const counted = await waitFor(async () => {
      const t = await traffic(live.connectionId);
      return t.totals.calls >= 5 ? t : null;
    }, 5000, 100);
    expect(counted.totals).toEqual({ calls: 5, success: 3, rejected: 2, failed: 0 });
    expect(counted.bucketSeconds).toBe(60);
    expect(counted.minutes).toHaveLength(60);
    // Consecutive minutes, oldest first, ending with the current one, which holds the calls.
    const starts = counted.minutes.map((m) => Date.parse(m.at));
    expect(starts.slice(1).map((s, i) => s - starts[i])).toEqual(Array(59).fill(60_000));
    expect(starts[0]).toBe(Date.parse(counted.from));
    const last = counted.minutes.reduce((a, m) => ({ success: a.success + m.success, rejected: a.rejected + m.rejected, failed: a.failed + m.failed }), { success: 0, rejected: 0, failed: 0 });
    expect(last).toEqual({ success: 3, rejected: 2, failed: 0 });
    expect(Date.parse(counted.to) - starts[59]).toBeLessThan(60_000 + 5_000);
    const [{ code }] = await sql<{ code: string }>(`SELECT error_code AS code FROM audit_entries WHERE connection_id = $1 AND outcome = 'rejected' LIMIT 1`, [live.connectionId]);
    expect(counted.refusals).toEqual([{ errorCode: code, count: 2 }]);

    expect((await traffic(quiet.connectionId)).totals).toEqual({ calls: 0, success: 0, rejected: 0, failed: 0 });
  });

  it('leaves out calls older than the hour', async () => {
    // An entry of two hours ago, written as the audit hook would (the chain is not checked here).
    const before = (await traffic(quiet.connectionId)).totals.calls;
    await sql(
      `DO $$ BEGIN SET LOCAL session_replication_role = replica;
         INSERT INTO audit_entries (occurred_at, request_id, plane, connection_id, source_address, method, path, status_code, outcome, duration_ms, seq, prev_hash, entry_hash)
         VALUES (now() - interval '2 hours', gen_random_uuid(), 'data', '${quiet.connectionId}', '127.0.0.1', 'GET', '/x', 200, 'success', 1, 999999, repeat('0', 64), repeat('0', 64));
       END $$`,
    );
    expect((await traffic(quiet.connectionId)).totals.calls).toBe(before);
  });

  it("answers 404 to another agency's unit administrator and 400 to a malformed id", async () => {
    await h.as(otherUnit).get(`/control/v1/connections/${live.connectionId}/traffic`).expect(404);
    await h.as(officer).get('/control/v1/connections/not-a-uuid/traffic').expect(400);
  });

  it('gives a page of connections their last hour in one call, in the order asked; another agency gets none of them', async () => {
    const ids = [quiet.connectionId, live.connectionId].join(',');
    const totals = (await h.as(officer).get('/control/v1/traffic/last-hour').query({ connectionIds: ids }).expect(200)).body;
    const one = await traffic(live.connectionId);
    expect(totals.connections).toEqual([
      { connectionId: quiet.connectionId, ...(await traffic(quiet.connectionId)).totals },
      { connectionId: live.connectionId, ...one.totals },
    ]);
    expect(one.totals.rejected).toBe(2);
    expect((await h.as(otherUnit).get('/control/v1/traffic/last-hour').query({ connectionIds: ids }).expect(200)).body.connections).toEqual([]);
    const refused = (await h.as(officer).get('/control/v1/traffic/last-hour').query({ connectionIds: `${live.connectionId},nope` }).expect(400)).body;
    expect(JSON.stringify(refused.details)).toContain('connectionIds');
    await h.as(officer).get('/control/v1/traffic/last-hour').expect(400);
  });
});
