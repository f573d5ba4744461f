import { Role } from '../src/accounts/roles.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { taskResult, TestClient } from './support/gateway-harness.js';
import { liveConnection as liveConnectionFixture, PDF } from './support/lifecycle-fixtures.js';
import { resetDatabase } from './support/test-database.js';

const MOF = 'Bộ Tài chính';

/** The journeys; who may call each route, and what each must hold: security-control.controller.spec.ts. */
describe('cut-off, incidents and reconnection after remediation (IV.5.b-d)', () => {
  let h: ControlPlaneHarness;
  let admin: Person;
  let unitAdmin: Person;
  let reviewer: Person;
  let officer: Person;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start();
    admin = await h.bootstrapAdmin();
    unitAdmin = await h.person(admin, 'mof.admin', Role.UNIT_ADMIN, MOF);
    reviewer = await h.person(admin, 'dtd.reviewer', Role.DTD_REVIEWER);
    officer = await h.person(admin, 'dtd.security', Role.SECURITY_OFFICER);
  });
  afterAll(() => h.stop());

  /** A change made on the control plane reaches the data plane within its credential cache's lifetime. */
  const settle = () => h.gateway.passCredentialCache();

  /** A live connection with a production and a test certificate, through the lifecycle. */
  const liveConnection = () => liveConnectionFixture(h, unitAdmin, reviewer, MOF);

  async function confirmationDocument(): Promise<string> {
    return (await h.as(unitAdmin).post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201)).body.documentId;
  }

  const report = async (connectionId: string) => ({
    cause: 'Khóa riêng bị lộ do máy chủ trung gian bị xâm nhập',
    measuresTaken: 'Thay khóa, vá lỗ hổng, rà soát nhật ký',
    securityCommitment: 'Cam kết tuân thủ Phụ lục III',
    confirmationDocumentId: await confirmationDocument(),
  });

  it('runs the whole path: manual cut-off, recommendations, acceptance, re-test on test data, restoration', async () => {
    const { production, test } = await liveConnection();
    const id = production.connectionId;
    const system = await h.gateway.as(production);
    await system.put('/api/v1/task-results/R-1').send(taskResult('R-1', MOF)).expect(201);

    // Instant cut-off by the officer on duty; the token stops working.
    const cut = await h.as(officer).post(`/control/v1/connections/${id}/suspension`).send({ reasonCode: 'MANUAL_CUT_OFF', reason: 'Truy vấn bất thường' }).expect(200);
    expect(cut.body.state).toBe('SUSPENDED');
    settle();
    const refused = await system.get('/api/v1/task-results/R-1').expect(403);
    expect(refused.body).toMatchObject({ code: 'CONNECTION_SUSPENDED', message: expect.stringContaining('MANUAL_CUT_OFF') });

    // First report: DTD answers with recommendations; the connection stays suspended.
    const first = await h.as(unitAdmin).post(`/control/v1/connections/${id}/remediation-reports`).send(await report(id)).expect(201);
    await h.as(unitAdmin).post(`/control/v1/connections/${id}/remediation-reports`).send(await report(id)).expect(409);
    const recommended = await h.as(reviewer).post(`/control/v1/remediation-reports/${first.body.id}/decision`).send({ decision: 'RECOMMEND', text: 'Bổ sung xác nhận của cơ quan có thẩm quyền' }).expect(200);
    expect(recommended.body.status).toBe('RECOMMENDATIONS');
    expect((await h.as(reviewer).get(`/control/v1/connections/${id}`).expect(200)).body.state).toBe('SUSPENDED');

    // Second report accepted: re-test against test data only, with a 24-hour deadline.
    const second = await h.as(unitAdmin).post(`/control/v1/connections/${id}/remediation-reports`).send(await report(id)).expect(201);
    const accepted = await h.as(reviewer).post(`/control/v1/remediation-reports/${second.body.id}/decision`).send({ decision: 'ACCEPT', text: 'Đạt' }).expect(200);
    const deadline = new Date(accepted.body.restoreDeadline).getTime() - new Date(accepted.body.decidedAt).getTime();
    expect(deadline).toBe(24 * 3600 * 1000);
    expect((await h.as(reviewer).get(`/control/v1/connections/${id}`).expect(200)).body.state).toBe('RETESTING');
    settle();
    const retest = await h.gateway.as(test);
    await retest.put('/api/v1/task-results/RETEST-1').send(taskResult('RETEST-1', MOF)).expect(201);
    await h.gateway.call(production, 'post', '/api/v1/oauth/token').send({ grant_type: 'client_credentials' }).expect(403);
    const awaiting = await h.as(officer).get('/control/v1/remediation-reports/awaiting-restoration').expect(200);
    expect(awaiting.body.items).toEqual([expect.objectContaining({ id: second.body.id, overdue: false })]);

    // Restoration after the re-test: production works again.
    const restored = await h.as(reviewer).post(`/control/v1/remediation-reports/${second.body.id}/restoration`).send({ retestFindings: 'Kết nối và dữ liệu thử nghiệm đạt' }).expect(200);
    expect(restored.body).toMatchObject({ status: 'RESTORED', restoredAt: expect.any(String) });
    settle();
    await (await h.gateway.as(production)).get('/api/v1/task-results/R-1').expect(200);

    // The connection's notices from the cut-off on (the onboarding steps' notices come before).
    const mine = (await h.as(unitAdmin).get('/control/v1/notifications').expect(200)).body.items.filter((n: { connectionId: string }) => n.connectionId === id);
    const inbox = mine.slice(mine.findIndex((n: { kind: string }) => n.kind === 'SUSPENDED'));
    expect(inbox.map((n: { kind: string }) => n.kind)).toEqual(['SUSPENDED', 'REMEDIATION_RECOMMENDATIONS', 'REMEDIATION_ACCEPTED', 'RESTORED']);
    await h.as(unitAdmin).post(`/control/v1/notifications/${inbox[0].id}/read`).expect(204);
    const unread = (await h.as(unitAdmin).get('/control/v1/notifications?unread=true').expect(200)).body.items as Array<{ id: string }>;
    expect(unread.filter((n) => inbox.some((i: { id: string }) => i.id === n.id))).toHaveLength(3);
    // Both reports, oldest first, one page at a time.
    const reports = (await h.as(unitAdmin).get(`/control/v1/connections/${id}/remediation-reports?limit=1`).expect(200)).body;
    expect(reports).toMatchObject({ items: [{ id: first.body.id, status: 'RECOMMENDATIONS' }], nextCursor: '1' });
    expect((await h.as(unitAdmin).get(`/control/v1/connections/${id}/remediation-reports?cursor=1`).expect(200)).body).toMatchObject({ items: [{ id: second.body.id, status: 'RESTORED' }], nextCursor: null });
    const all = (await h.as(reviewer).get(`/control/v1/connections/${id}/history`).expect(200)).body.items;
    const history = all.slice(all.findIndex((e: { action: string }) => e.action === 'suspend')); // after onboarding
    expect(history.map((e: { action: string; toState: string }) => `${e.action}:${e.toState}`)).toEqual([
      'suspend:SUSPENDED', 'remediationReport:SUSPENDED', 'remediationRecommendations:SUSPENDED', 'remediationReport:SUSPENDED',
      'acceptRemediation:RETESTING', 'restore:LIVE',
    ]);
  });

  it('flags an accepted report not restored within 24 hours', async () => {
    const { production } = await liveConnection();
    const id = production.connectionId;
    await h.as(officer).post(`/control/v1/connections/${id}/suspension`).send({ reasonCode: 'MANUAL_CUT_OFF', reason: 'x' }).expect(200);
    const filed = await h.as(unitAdmin).post(`/control/v1/connections/${id}/remediation-reports`).send(await report(id)).expect(201);
    await h.as(reviewer).post(`/control/v1/remediation-reports/${filed.body.id}/decision`).send({ decision: 'ACCEPT', text: 'ok' }).expect(200);
    h.gateway.clock.advance(25 * 3600 * 1000); // a day and an hour later: past the 24-hour deadline
    const awaiting = await h.as(officer).get('/control/v1/remediation-reports/awaiting-restoration').expect(200);
    expect(awaiting.body.items.find((r: { id: string }) => r.id === filed.body.id).overdue).toBe(true);
  });

  it('restores only through remediation or a recorded override, and refuses reports for live connections', async () => {
    const { production } = await liveConnection();
    const id = production.connectionId;
    await h.as(unitAdmin).post(`/control/v1/connections/${id}/remediation-reports`).send(await report(id)).expect(409);
    await h.as(officer).post(`/control/v1/connections/${id}/restore-override`).send({ justification: 'x' }).expect(409);
    await h.as(officer).post(`/control/v1/connections/${id}/suspension`).send({ reasonCode: 'MANUAL_CUT_OFF', reason: 'x' }).expect(200);
    const back = await h.as(officer).post(`/control/v1/connections/${id}/restore-override`).send({ justification: 'Báo động nhầm, đã xác minh' }).expect(200);
    expect(back.body.state).toBe('LIVE');
    const last = (await h.as(officer).get(`/control/v1/connections/${id}/history`).expect(200)).body.items.at(-1);
    expect(last).toMatchObject({ action: 'restore', reason: 'override: Báo động nhầm, đã xác minh', actorName: expect.stringContaining('dtd.security') });
  });

  it('suspends at once when the unit itself reports a compromise (IV.5.d), and tracks the incident clock', async () => {
    const { production } = await liveConnection();
    const id = production.connectionId;
    const system = await h.gateway.as(production);
    const incident = await h.as(unitAdmin).post(`/control/v1/connections/${id}/incident-reports`).send({ reasonCode: 'CREDENTIALS_COMPROMISED', summary: 'Mất kiểm soát khóa riêng', detectedAt: new Date(h.gateway.clock.nowMs()).toISOString() }).expect(201);
    expect(incident.body).toMatchObject({ source: 'UNIT_REPORT', connectionId: id });
    settle();
    expect((await system.get('/api/v1/task-results').expect(403)).body.code).toBe('CONNECTION_SUSPENDED');
    const notice = (await h.as(unitAdmin).get('/control/v1/notifications').expect(200)).body.items.find((n: { connectionId: string; kind: string }) => n.connectionId === id && n.kind === 'SUSPENDED');
    expect(notice).toMatchObject({ kind: 'SUSPENDED', data: { reasonCode: 'CREDENTIALS_COMPROMISED', incidentId: incident.body.id } });

    h.gateway.clock.advance(3 * 3600 * 1000); // three hours later
    const overdue = await h.as(officer).get('/control/v1/incidents?overdue=true').expect(200);
    const flagged = overdue.body.items.find((i: { id: string }) => i.id === incident.body.id);
    expect(flagged.overdue).toMatchObject({ classification: true, reportToAuthority: true, officialReport: false });
    await h.as(officer).post(`/control/v1/incidents/${incident.body.id}/classification`).send({ severity: 'SERIOUS' }).expect(200);
    const sent = (await h.as(officer).post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201)).body.documentId;
    const document = { number: '45/BC-CĐS', date: '2026-12-01', recipient: 'Cục A05, Bộ Công an', documentId: sent };
    await h.as(officer).post(`/control/v1/incidents/${incident.body.id}/steps`).send({ step: 'REPORTED_TO_AUTHORITY', document }).expect(200);
    const detail = await h.as(officer).get(`/control/v1/incidents/${incident.body.id}`).expect(200);
    expect(detail.body).toMatchObject({ severity: 'SERIOUS', overdue: { classification: false, reportToAuthority: false } });
    expect(detail.body.evidence[0]).toMatchObject({ kind: 'unit-report', intact: true });
  });
});
