import { Role } from '../src/accounts/roles.js';
import { ConnectionSuspensionService } from '../src/security/suspension/connection-suspension.service.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { taskResult, TestClient } from './support/gateway-harness.js';
import { liveConnection, PDF } from './support/lifecycle-fixtures.js';
import { resetDatabase, sql } from './support/test-database.js';

const UNIT = 'Bộ Nội vụ';

/**
 * One writer of a connection's state: the officer's cut-off, the unit's own report (IV.5.d), the
 * detector's (the same service) and every restoration are transitions of the lifecycle's table,
 * each leaving one event in the connection's history, and a restoration returns the connection
 * to the state it was first cut off from.
 */
describe('connection suspension and restoration go through the lifecycle state table', () => {
  let h: ControlPlaneHarness;
  let unitAdmin: Person;
  let reviewer: Person;
  let officer: Person;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start();
    const admin = await h.bootstrapAdmin();
    unitAdmin = await h.person(admin, 'moha.admin', Role.UNIT_ADMIN, UNIT);
    reviewer = await h.person(admin, 'dtd.reviewer', Role.DTD_REVIEWER);
    officer = await h.person(admin, 'dtd.security', Role.SECURITY_OFFICER);
  });
  afterAll(() => h.stop());

  /** The connection's history from its first cut-off on (its onboarding comes before). */
  const history = async (id: string) => {
    const items = (await h.as(reviewer).get(`/control/v1/connections/${id}/history`).expect(200)).body.items as Array<{ action: string; fromState: string; toState: string; actorName: string; reason: string }>;
    return items.slice(items.findIndex((e) => e.action === 'suspend'));
  };
  const stateOf = async (id: string) => (await h.as(reviewer).get(`/control/v1/connections/${id}`).expect(200)).body.state;
  /** What the data plane answers the system's token request once its credential cache has passed. */
  const tokenRequest = (system: TestClient) => {
    h.gateway.passCredentialCache();
    return h.gateway.call(system, 'post', '/api/v1/oauth/token').send({ grant_type: 'client_credentials' });
  };
  const refusedWith = async (system: TestClient, code: string) => expect((await tokenRequest(system)).body.code).toBe(code);

  /** A production connection cut off by the officer, its remediation accepted: RETESTING. */
  async function retesting(): Promise<TestClient> {
    const { production } = await liveConnection(h, unitAdmin, reviewer, UNIT);
    const id = production.connectionId;
    await (await h.gateway.as(production)).put(`/api/v1/task-results/${id.slice(0, 8)}`).send(taskResult(id.slice(0, 8), UNIT)).expect(201);
    const cut = await h.as(officer).post(`/control/v1/connections/${id}/suspension`).send({ reasonCode: 'MANUAL_CUT_OFF', reason: 'Truy vấn bất thường' }).expect(200);
    expect(cut.body).toMatchObject({ state: 'SUSPENDED', suspensionReason: 'MANUAL_CUT_OFF', stateBeforeSuspension: 'LIVE' });
    await refusedWith(production, 'CONNECTION_SUSPENDED');
    // A second cut-off is refused as the table refuses it, naming the state.
    const again = await h.as(officer).post(`/control/v1/connections/${id}/suspension`).send({ reasonCode: 'MANUAL_CUT_OFF', reason: 'x' }).expect(409);
    expect(again.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', message: expect.stringContaining('SUSPENDED') });

    const documentId = (await h.as(unitAdmin).post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201)).body.documentId;
    const filed = await h.as(unitAdmin).post(`/control/v1/connections/${id}/remediation-reports`)
      .send({ cause: 'Khóa bị lộ', measuresTaken: 'Thay khóa', securityCommitment: 'Cam kết', confirmationDocumentId: documentId }).expect(201);
    await h.as(reviewer).post(`/control/v1/remediation-reports/${filed.body.id}/decision`).send({ decision: 'ACCEPT', text: 'Đạt' }).expect(200);
    expect(await stateOf(id)).toBe('RETESTING');
    return production;
  }

  /** During the re-test the unit reports a compromise: cut off again at once, from RETESTING. */
  async function cutOffDuringRetest(production: TestClient): Promise<void> {
    await h.as(unitAdmin).post(`/control/v1/connections/${production.connectionId}/incident-reports`).send({ reasonCode: 'CREDENTIALS_COMPROMISED', summary: 'Lộ khóa lần hai', detectedAt: new Date().toISOString() }).expect(201);
    const [row] = await sql(`SELECT state, suspension_reason, state_before_suspension FROM connections WHERE id = $1`, [production.connectionId]);
    expect(row).toEqual({ state: 'SUSPENDED', suspension_reason: 'CREDENTIALS_COMPROMISED', state_before_suspension: 'LIVE' });
  }

  it("the officer's override after a cut-off during the re-test returns a production connection to LIVE, each step one event", async () => {
    const production = await retesting();
    const id = production.connectionId;
    await cutOffDuringRetest(production);

    const back = await h.as(officer).post(`/control/v1/connections/${id}/restore-override`).send({ justification: 'Đã xác minh, báo động nhầm' }).expect(200);
    expect(back.body).toMatchObject({ state: 'LIVE', suspensionReason: null, stateBeforeSuspension: null });
    expect((await tokenRequest(production)).status).toBe(200);
    await (await h.gateway.as(production)).get(`/api/v1/task-results/${id.slice(0, 8)}`).expect(200);

    const events = await history(id);
    expect(events.filter((e) => e.fromState !== e.toState || e.action === 'suspend').map((e) => `${e.action}:${e.fromState}->${e.toState}`)).toEqual([
      'suspend:LIVE->SUSPENDED', 'acceptRemediation:SUSPENDED->RETESTING', 'suspend:RETESTING->SUSPENDED', 'restore:SUSPENDED->LIVE',
    ]);
    expect(events.find((e) => e.action === 'suspend')).toMatchObject({ reason: 'Truy vấn bất thường', actorName: expect.stringContaining('dtd.security') });
    const open = await sql(`SELECT * FROM connection_suspensions WHERE connection_id = $1 AND restored_at IS NULL`, [id]);
    expect(open).toEqual([]);
  });

  it('the suspension service restores to the state before the first cut-off, never to RETESTING', async () => {
    const production = await retesting();
    const id = production.connectionId;
    await cutOffDuringRetest(production);

    const restored = await h.control.get(ConnectionSuspensionService).restore(id, 'officer@dtd', 'Xác minh xong');
    expect(restored).toEqual({ restoredTo: 'LIVE' });
    expect(await stateOf(id)).toBe('LIVE');
    expect((await tokenRequest(production)).status).toBe(200);
    expect((await history(id)).at(-1)).toMatchObject({ action: 'restore', fromState: 'SUSPENDED', toState: 'LIVE', actorName: 'officer@dtd', reason: 'Xác minh xong' });
    const records = await sql<{ previous_state: string; restored_by: string }>(`SELECT previous_state, restored_by FROM connection_suspensions WHERE connection_id = $1 ORDER BY suspended_at`, [id]);
    expect(records).toEqual([{ previous_state: 'LIVE', restored_by: 'officer@dtd' }, { previous_state: 'RETESTING', restored_by: 'officer@dtd' }]);
  });
});
