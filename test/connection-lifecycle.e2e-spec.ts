import crypto from 'node:crypto';
import https from 'node:https';
import { Role } from '../src/accounts/roles.js';
import { Clock } from '../src/calendar/clock.js';
import { WebhookDispatcher } from '../src/notifications/webhook-dispatcher.service.js';
import { RemindersService } from '../src/notifications/reminders.service.js';
import { ControlPlaneHarness, makeCsr, Person, webhookReceiver } from './support/control-plane-harness.js';
import { taskResult, TestClient } from './support/gateway-harness.js';
import { agreementFor, dossier, incidentContact, leadershipDecision, PDF, securityCheck, testReport } from './support/lifecycle-fixtures.js';
import { resetDatabase } from './support/test-database.js';

const MOF = 'Bộ Tài chính';
// The shared papers, with this suite's own frequency and source addresses.
const agreement = agreementFor(MOF, {
  frequency: 'Hằng ngày; tối đa 600 lượt đọc mỗi phút',
  allowedSourceAddresses: ['127.0.0.1/32', '::1/128'],
});

function handshake(url: string, ca: string, client: { certPem: string; keyPem: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    https.get(`${url}/api/v1/task-results`, { ca, cert: client.certPem, key: client.keyPem, agent: false }, (res) => resolve(res.statusCode!)).on('error', reject);
  });
}

describe('connection lifecycle on the control plane (Appendix II, part I)', () => {
  let h: ControlPlaneHarness;
  let admin: Person;
  let unitAdmin: Person;
  let reviewer: Person;
  let officer: Person;
  let auditor: Person;
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;
  let webhookSecret = '';
  let connectionId: string;
  let testClient: TestClient;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start();
    hook = await webhookReceiver(1);
    admin = await h.bootstrapAdmin();
    unitAdmin = await h.person(admin, 'mof.admin', Role.UNIT_ADMIN, MOF);
    reviewer = await h.person(admin, 'dtd.reviewer', Role.DTD_REVIEWER);
    officer = await h.person(admin, 'dtd.security', Role.SECURITY_OFFICER);
    auditor = await h.person(admin, 'inspector', Role.AUDITOR);
  });
  afterAll(async () => {
    await hook.close();
    await h.stop();
  });

  const deliverWebhooks = () => h.control.get(WebhookDispatcher).dispatchDue();

  it('runs from an empty database to a live connection pushing production data, driven only by people', async () => {
    const unit = h.as(unitAdmin);
    const dtd = h.as(reviewer);
    webhookSecret = (await unit.put('/control/v1/notifications/webhook').send({ url: hook.url }).expect(200)).body.secret;

    // 1. Register with the technical dossier and its confirmed security assessment.
    const doc = await unit.post('/control/v1/documents').set('Content-Type', 'application/pdf').set('X-File-Name', 'danh-gia-cap-do.pdf').send(PDF).expect(201);
    const registered = await unit.post('/control/v1/connections').send({ name: 'Hệ thống báo cáo Bộ Tài chính', dossier: dossier(doc.body.documentId) }).expect(201);
    connectionId = registered.body.id;
    expect(registered.body).toMatchObject({ state: 'SUBMITTED', ownerUnit: MOF });

    // 2. Returned with reasons, revised, approved.
    await dtd.post(`/control/v1/connections/${connectionId}/appraisal`).send({ decision: 'RETURN', reasons: 'Thiếu sơ đồ mạng' }).expect(200);
    const inbox = await unit.get('/control/v1/notifications').expect(200);
    expect(inbox.body.items.map((n: { kind: string }) => n.kind)).toEqual(['RETURNED']);
    expect(inbox.body.items[0].message).toContain('Thiếu sơ đồ mạng');
    expect(inbox.body.items[0].messageVi).toBe('Hồ sơ đăng ký kết nối được trả lại để hoàn thiện; xem lý do và gửi lại');
    // Which connection: by its name, as registered, not only its id.
    expect(inbox.body.items[0]).toMatchObject({ connectionId, connectionName: 'Hệ thống báo cáo Bộ Tài chính' });
    await unit.post(`/control/v1/connections/${connectionId}/resubmit`).send({ dossier: dossier(doc.body.documentId), note: 'Bổ sung sơ đồ mạng' }).expect(200);
    const dtdDoc = (await dtd.post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201)).body.documentId;
    await dtd.post(`/control/v1/connections/${connectionId}/security-check`).send(securityCheck(dtdDoc)).expect(200);
    await dtd.post(`/control/v1/connections/${connectionId}/appraisal`).send({ decision: 'APPROVE', reasons: 'Đủ điều kiện', leadershipDecision: leadershipDecision(dtdDoc) }).expect(200);

    // 3. The signed agreement becomes the enforced scope.
    const agreed = await dtd.post(`/control/v1/connections/${connectionId}/agreements`).send({ ...agreement, documentId: dtdDoc }).expect(200);
    // (Units are stored as codes of the unit register: GW-BTC is Bộ Tài chính.)
    expect(agreed.body).toMatchObject({ state: 'AGREEMENT_SIGNED', agreementVersion: 1, scope: { writeUnits: ['GW-BTC'], quotas: { readsPerMinute: 600 } } });

    // 4. The unit uploads a CSR; DTD configures and issues the test certificate.
    const testKey = makeCsr('he-thong-bao-cao-test');
    await dtd.post(`/control/v1/connections/${connectionId}/configure`).send({ unitCode: 'G09.BTC' }).expect(409);
    await unit.post(`/control/v1/connections/${connectionId}/certificate-requests`).send({ environment: 'test', csrPem: testKey.csrPem }).expect(200);
    const configured = await dtd.post(`/control/v1/connections/${connectionId}/configure`).send({ unitCode: 'G09.BTC' }).expect(200);
    expect(configured.body).toMatchObject({ state: 'TESTING', unitCode: 'G09.BTC', technicalAccount: connectionId });
    const certificates = await unit.get(`/control/v1/connections/${connectionId}/certificates`).expect(200);
    testClient = { connectionId, certificateId: certificates.body.items[0].id, thumbprint: certificates.body.items[0].thumbprintSha256, certPem: certificates.body.items[0].certificatePem, keyPem: testKey.keyPem };

    // 5. The system works against test data only; the reconciliation report shows what it did.
    const system = await h.gateway.as(testClient);
    await system.put('/api/v1/task-results/TEST-1').send(taskResult('TEST-1', MOF)).expect(201);
    await system.put('/api/v1/task-results/TEST-2').send(taskResult('TEST-2', MOF, { priority: 7 })).expect(400);
    const report = await dtd.get(`/control/v1/connections/${connectionId}/test-reconciliation`).expect(200);
    expect(report.body.records).toMatchObject({ taskResults: 1, kpiResults: 0 });
    expect(report.body.validationFailures).toBe(1);
    expect(report.body.samples.taskResults[0].taskCode).toBe('TEST-1');
    await dtd.post(`/control/v1/connections/${connectionId}/go-live`).send({ goLiveDate: '2026-12-01', incidentContact }).expect(409);
    await dtd.post(`/control/v1/connections/${connectionId}/test-report`).send(testReport(dtdDoc)).expect(200);
    const half = await unit.post(`/control/v1/connections/${connectionId}/test-confirmations/unit`).send({}).expect(200);
    expect(half.body.state).toBe('TESTING');
    const passed = await dtd.post(`/control/v1/connections/${connectionId}/test-confirmations/dtd`).send({ notes: 'Đạt' }).expect(200);
    expect(passed.body.state).toBe('TEST_PASSED');

    // 6. Go-live issues the production certificate from a new CSR.
    const prodKey = makeCsr('he-thong-bao-cao');
    await unit.post(`/control/v1/connections/${connectionId}/certificate-requests`).send({ environment: 'production', csrPem: prodKey.csrPem }).expect(200);
    const live = await dtd.post(`/control/v1/connections/${connectionId}/go-live`).send({ goLiveDate: '2026-12-01', incidentContact }).expect(200);
    expect(live.body).toMatchObject({ state: 'LIVE', goLiveDate: '2026-12-01', reEvaluationDue: '2027-12-01' });
    const all = await unit.get(`/control/v1/connections/${connectionId}/certificates`).expect(200);
    const prodCert = all.body.items.find((c: { environment: string }) => c.environment === 'production');
    const prodClient: TestClient = { connectionId, certificateId: prodCert.id, thumbprint: prodCert.thumbprintSha256, certPem: prodCert.certificatePem, keyPem: prodKey.keyPem };
    const production = await h.gateway.as(prodClient);
    await production.put('/api/v1/task-results/PROD-1').send(taskResult('PROD-1', MOF)).expect(201);

    // Test credentials keep working, in test only.
    const stillTest = await h.gateway.as(testClient);
    await stillTest.get('/api/v1/task-results/TEST-1').expect(200);
    await stillTest.get('/api/v1/task-results/PROD-1').expect(404);

    // Nobody is left waiting: every decision is in the inbox and reached the webhook (after one failed try).
    const kinds = (await unit.get('/control/v1/notifications').expect(200)).body.items.map((n: { kind: string }) => n.kind);
    expect(kinds).toEqual(['RETURNED', 'APPROVED', 'AGREEMENT_RECORDED', 'CONFIGURED', 'TEST_PASSED', 'LIVE']);
    // A person reads the newest first; paging follows the same order.
    const newest = await unit.get('/control/v1/notifications?order=newest&limit=4').expect(200);
    expect(newest.body.items.map((n: { kind: string }) => n.kind)).toEqual(['LIVE', 'TEST_PASSED', 'CONFIGURED', 'AGREEMENT_RECORDED']);
    const older = await unit.get(`/control/v1/notifications?order=newest&limit=4&cursor=${newest.body.nextCursor}`).expect(200);
    expect(older.body.items.map((n: { kind: string }) => n.kind)).toEqual(['APPROVED', 'RETURNED']);
    await deliverWebhooks();
    // The retries fall due on the gateway's Clock, moved past their back-off instead of waited for.
    h.gateway.clock.advance(60_000);
    await deliverWebhooks();
    // Retries reorder deliveries; each carries its id and createdAt.
    expect(hook.received.map((r) => r.body.kind).sort()).toEqual([...kinds].sort());
    // Each delivery is signed over its timestamp and body with the unit's secret, and names itself.
    for (const delivery of hook.received) {
      const [, t, mac] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(delivery.signature)!;
      expect(Math.abs(Date.now() / 1000 - Number(t))).toBeLessThan(300);
      expect(mac).toBe(crypto.createHmac('sha256', webhookSecret).update(`${t}.${delivery.delivery}.${delivery.raw}`).digest('hex'));
      expect(delivery.delivery).toMatch(/^[0-9a-f-]{36}$/);
    }

    // Every step is in the history with who did it.
    const history = await h.as(auditor).get(`/control/v1/connections/${connectionId}/history`).expect(200);
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual([
      'register', 'return', 'resubmit', 'securityCheck', 'approve', 'recordAgreement', 'submitCsr', 'configure',
      'testReport', 'confirmTest:unit', 'confirmTest:dtd', 'passTest', 'submitCsr', 'goLive',
    ]);
    expect(history.body.items[1]).toMatchObject({ fromState: 'SUBMITTED', toState: 'RETURNED', reason: 'Thiếu sơ đồ mạng', actorName: expect.stringContaining('dtd.reviewer') });
    // Newest first, a page at a time, for a person: the latest step on top however long the history.
    const latest = await h.as(auditor).get(`/control/v1/connections/${connectionId}/history?order=newest&limit=5`).expect(200);
    expect(latest.body.items.map((e: { action: string }) => e.action)).toEqual(['goLive', 'submitCsr', 'passTest', 'confirmTest:dtd', 'confirmTest:unit']);
    const earlier = await h.as(auditor).get(`/control/v1/connections/${connectionId}/history?order=newest&limit=5&cursor=${latest.body.nextCursor}`).expect(200);
    expect(earlier.body.items.map((e: { action: string }) => e.action)).toEqual(['testReport', 'configure', 'submitCsr', 'recordAgreement', 'approve']);
    expect((await h.as(auditor).get(`/control/v1/connections/${connectionId}/history?order=latest`).expect(400)).body.details).toEqual([{ field: 'order', problem: expect.stringContaining('oldest') }]);
  });

  it('names the current state when a transition is illegal, and keeps roles to their actions', async () => {
    const dtd = h.as(reviewer);
    const illegal = await dtd.post(`/control/v1/connections/${connectionId}/appraisal`).send({ decision: 'RETURN', reasons: 'x' }).expect(409);
    expect(illegal.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', message: expect.stringContaining('LIVE'), messageVi: 'Bước này không thực hiện được ở trạng thái hiện tại của kết nối' });

    await h.as(officer).post('/control/v1/accounts').send({ username: 'x1', role: 'AUDITOR', holderName: 'x' }).expect(403);
    // (Who may take each lifecycle step, and what each request must hold: connections.controller.spec.ts.)

    // A new agreement version may agree directions per data set: here push tasks, pull KPIs only.
    const v2 = await dtd
      .post(`/control/v1/connections/${connectionId}/agreements`)
      .send({ ...agreement, documentId: (await dtd.get(`/control/v1/connections/${connectionId}/agreements`).expect(200)).body.items[0].documentId, scope: { ...agreement.scope, directionsByDataSet: { 'task-results': ['push'], 'kpi-results': ['pull'] } } })
      .expect(200);
    expect(v2.body.agreementVersion).toBe(2);
    h.gateway.passCredentialCache(); // recorded on the control plane: the data plane sees it within its cache's lifetime
    const narrowed = await h.gateway.as(testClient);
    expect((await narrowed.get('/api/v1/task-results').expect(403)).body.code).toBe('OUTSIDE_AGREED_SCOPE');
    await narrowed.get('/api/v1/kpi-results').expect(200);
    const versions = (await dtd.get(`/control/v1/connections/${connectionId}/agreements`).expect(200)).body.items;
    expect(versions.map((a: { version: number }) => a.version)).toEqual([1, 2]);
    // Read back in the shape it was written: scope, quotas and source addresses side by side.
    // (The units as register codes: GW-BTC is Bộ Tài chính.)
    const codes = { writeUnits: ['GW-BTC'], readUnits: ['GW-BTC'] };
    expect(versions[1]).toMatchObject({ ...agreement, scope: { ...agreement.scope, ...codes, directionsByDataSet: { 'task-results': ['push'], 'kpi-results': ['pull'] } } });
    expect(versions[1].scope).not.toHaveProperty('quotas');
    // One page at a time: limit and cursor.
    const first = (await dtd.get(`/control/v1/connections/${connectionId}/agreements?limit=1`).expect(200)).body;
    expect(first).toMatchObject({ items: [{ version: 1 }], nextCursor: expect.any(String) });
    const second = (await dtd.get(`/control/v1/connections/${connectionId}/agreements?limit=1&cursor=${first.nextCursor}`).expect(200)).body;
    expect(second).toMatchObject({ items: [{ version: 2 }], nextCursor: null });

    // A connected system's token opens nothing on the control plane.
    const systemToken = await h.gateway.token(testClient);
    const refused = await h.raw('get', '/control/v1/connections').set('Authorization', `Bearer ${systemToken}`).expect(401);
    expect(refused.body.code).toBe('SESSION_INVALID');

    // A unit administrator of another agency does not even see the connection.
    const other = await h.person(admin, 'moh.admin', Role.UNIT_ADMIN, 'Bộ Y tế');
    await h.as(other).get(`/control/v1/connections/${connectionId}`).expect(404);
    expect((await h.as(other).get('/control/v1/connections').expect(200)).body.items).toEqual([]);
  });

  it('warns the unit of a certificate expiring within 30 days, once', async () => {
    // Ten days before the test certificate expires, on the gateway's clock (the production one,
    // issued moments later, expires with it: each is announced once).
    const certificates = (await h.as(unitAdmin).get(`/control/v1/connections/${connectionId}/certificates`).expect(200)).body.items as Array<{ id: string; notAfter: string; revokedAt: string | null }>;
    const notAfter = Date.parse(certificates.find((c) => c.id === testClient.certificateId)!.notAfter);
    const reminders = h.control.get(RemindersService);
    await reminders.scan();
    const kinds = async () => (await h.as(unitAdmin).get('/control/v1/notifications').expect(200)).body.items.filter((n: { kind: string }) => n.kind === 'CERTIFICATE_EXPIRING');
    expect(await kinds()).toEqual([]);
    h.gateway.clock.advance(notAfter - 10 * 86_400_000 - h.gateway.clock.nowMs());
    await reminders.scan();
    await reminders.scan();
    const expiring = await kinds();
    const live = certificates.filter((c) => !c.revokedAt && Date.parse(c.notAfter) <= notAfter + 20 * 86_400_000);
    expect(expiring.map((n: { data: { certificateId: string } }) => n.data.certificateId).sort()).toEqual(live.map((c) => c.id).sort());
    expect(expiring.map((n: { data: { certificateId: string } }) => n.data.certificateId)).toContain(testClient.certificateId);
    // The Vietnamese notice gives the day in Vietnam, as the English one does.
    for (const n of expiring as Array<{ message: string; messageVi: string; data: { expiresOn: string } }>) {
      expect(n.message).toContain(`expires on ${n.data.expiresOn}:`);
      expect(n.messageVi).toContain(`(${n.data.expiresOn.split('-').reverse().join('/')})`);
    }
  });

  it('lists live connections whose yearly re-evaluation is overdue, and records one', async () => {
    const dtd = h.as(reviewer);
    expect((await dtd.get('/control/v1/connections?reEvaluationOverdue=true').expect(200)).body.items).toEqual([]);
    // Three days past the due date (2027-12-01, a year after go-live), on the gateway's clock.
    h.gateway.clock.advance(Math.max(0, Date.parse('2027-12-04T00:00:00+07:00') - h.gateway.clock.nowMs()));
    const overdue = await dtd.get('/control/v1/connections?reEvaluationOverdue=true').expect(200);
    expect(overdue.body.items.map((c: { id: string }) => c.id)).toEqual([connectionId]);
    await h.control.get(RemindersService).scan();
    const kinds = (await h.as(unitAdmin).get('/control/v1/notifications?unread=true').expect(200)).body.items.map((n: { kind: string }) => n.kind);
    expect(kinds).toContain('RE_EVALUATION_DUE');
    const done = await dtd.post(`/control/v1/connections/${connectionId}/re-evaluations`).send({ outcome: 'CONDITIONS_MET', findings: 'Đạt yêu cầu' }).expect(200);
    const today = h.control.get(Clock).today();
    expect(done.body.reEvaluationDue).toBe(`${Number(today.slice(0, 4)) + 1}${today.slice(4)}`); // a year on
    await dtd.post(`/control/v1/connections/${connectionId}/maintenance-minutes`).send({ summary: 'Kiểm tra định kỳ quý III' }).expect(200);
    await dtd.post(`/control/v1/connections/${connectionId}/maintenance-minutes`).send({ summary: 'Kiểm tra định kỳ quý IV' }).expect(200);
    // An inspector reads the minutes kept (step 7) without the rest of the history: newest first.
    const minutes = await h.as(auditor).get(`/control/v1/connections/${connectionId}/history?action=maintenanceMinutes&order=newest`).expect(200);
    expect(minutes.body.items.map((e: { action: string; changes: { summary: string } }) => [e.action, e.changes.summary])).toEqual([
      ['maintenanceMinutes', 'Kiểm tra định kỳ quý IV'],
      ['maintenanceMinutes', 'Kiểm tra định kỳ quý III'],
    ]);
    expect((await h.as(auditor).get(`/control/v1/connections/${connectionId}/history?action=confirmTest:unit`).expect(200)).body.items).toHaveLength(1);
    expect((await h.as(auditor).get(`/control/v1/connections/${connectionId}/history?action=drop%20table`).expect(400)).body.details).toEqual([{ field: 'action', problem: expect.stringContaining('history step') }]);
  });

  it('keeps IV.5.e\'s records with the minutes: the demand for the annual assessment dossier (the unit is told), the dossier received, a spot check', async () => {
    const dtd = h.as(reviewer);
    const minutes = (body: Record<string, unknown>) => dtd.post(`/control/v1/connections/${connectionId}/maintenance-minutes`).send(body);
    const today = h.control.get(Clock).today();
    const due = new Date(Date.parse(`${today}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
    // Each kind's own fields, named when missing or out of place.
    expect((await minutes({ kind: 'ASSESSMENT_REQUESTED', summary: 'Gửi hồ sơ đánh giá an toàn năm 2027' }).expect(400)).body.details).toEqual([{ field: 'dueDate', problem: expect.stringContaining('is required for ASSESSMENT_REQUESTED') }]);
    expect((await minutes({ kind: 'ASSESSMENT_REQUESTED', summary: 'x', dueDate: today }).expect(400)).body.details).toEqual([{ field: 'dueDate', problem: expect.stringContaining('must be after today') }]);
    expect((await minutes({ kind: 'SPOT_CHECK', summary: 'x', dueDate: due }).expect(400)).body.details).toEqual([{ field: 'dueDate', problem: 'is only for ASSESSMENT_REQUESTED' }]);
    expect((await minutes({ kind: 'ASSESSMENT_DOSSIER', summary: 'Hồ sơ năm 2027' }).expect(400)).body.details).toEqual([{ field: 'documentId', problem: expect.stringContaining('is required for ASSESSMENT_DOSSIER') }]);
    expect((await minutes({ kind: 'AUDIT', summary: 'x' }).expect(400)).body.details).toEqual([{ field: 'kind', problem: expect.stringContaining('must be one of MAINTENANCE, SPOT_CHECK') }]);

    await minutes({ kind: 'ASSESSMENT_REQUESTED', summary: 'Gửi hồ sơ đánh giá an toàn thông tin hằng năm của hệ thống', dueDate: due }).expect(200);
    const told = (await h.as(unitAdmin).get('/control/v1/notifications').expect(200)).body.items.find((n: { kind: string }) => n.kind === 'SECURITY_ASSESSMENT_REQUESTED');
    expect(told).toMatchObject({ connectionId, data: { due } });
    expect(told.messageVi).toContain(`trước ngày ${due.slice(8, 10)}/${due.slice(5, 7)}/${due.slice(0, 4)} (điểm e khoản 5 mục IV): Gửi hồ sơ đánh giá an toàn thông tin hằng năm của hệ thống`);
    // Each missing field named at once.
    expect((await minutes({ kind: 'ASSESSMENT_DOSSIER', summary: 'x', dueDate: due }).expect(400)).body.details.map((d: { field: string }) => d.field)).toEqual(['dueDate', 'documentId']);
    const dossier = await h.as(reviewer).post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201);
    await minutes({ kind: 'ASSESSMENT_DOSSIER', summary: 'Hồ sơ đánh giá an toàn năm 2027: đạt', documentId: dossier.body.documentId }).expect(200);
    await minutes({ kind: 'SPOT_CHECK', summary: 'Kiểm tra đột xuất tại điểm kết nối: cấu hình TLS đúng thỏa thuận' }).expect(200);
    const kept = (await h.as(auditor).get(`/control/v1/connections/${connectionId}/history?action=maintenanceMinutes&order=newest&limit=3`).expect(200)).body.items;
    expect(kept.map((e: { changes: Record<string, unknown> }) => [e.changes.kind, e.changes.dueDate ?? null, e.changes.documentId !== null])).toEqual([
      ['SPOT_CHECK', null, false],
      ['ASSESSMENT_DOSSIER', null, true],
      ['ASSESSMENT_REQUESTED', due, false],
    ]);
  });

  it("lets the unit send its assessment dossier itself: kept with the minutes in its administrator's name, announced in the DTD's inbox", async () => {
    const unit = h.as(unitAdmin);
    const send = (body: Record<string, unknown>, who = unit) => who.post(`/control/v1/connections/${connectionId}/security-assessment-dossiers`).send(body);
    expect((await send({ summary: 'Hồ sơ năm 2027' }).expect(400)).body.details).toEqual([{ field: 'documentId', problem: 'must be a UUID' }]);
    // A document another agency filed is not this unit's to quote.
    const theirs = await h.as(reviewer).post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201);
    expect((await send({ summary: 'x', documentId: theirs.body.documentId }).expect(400)).body.details.map((d: { field: string }) => d.field)).toEqual(['documentId']);
    const file = await unit.post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201);
    // The DTD records a dossier received; it does not send one in the unit's name.
    expect((await send({ summary: 'x', documentId: file.body.documentId }, h.as(reviewer)).expect(403)).body.code).toBe('ROLE_NOT_ALLOWED');

    await send({ summary: 'Hồ sơ đánh giá an toàn thông tin năm 2027 do Cục An toàn thông tin đánh giá: đạt cấp độ 3', documentId: file.body.documentId }).expect(200);
    const [kept] = (await h.as(auditor).get(`/control/v1/connections/${connectionId}/history?action=maintenanceMinutes&order=newest&limit=1`).expect(200)).body.items;
    expect(kept).toMatchObject({ changes: { kind: 'ASSESSMENT_DOSSIER', documentId: file.body.documentId, sentByUnit: true }, actorName: expect.stringContaining('mof.admin') });
    const inbox = (await h.as(reviewer).get('/control/v1/notifications?order=newest').expect(200)).body.items;
    const received = inbox.find((n: { kind: string }) => n.kind === 'SECURITY_ASSESSMENT_DOSSIER_RECEIVED');
    expect(received).toMatchObject({ connectionId, data: { unit: MOF, documentId: file.body.documentId } });
    expect(received.messageVi).toContain(`${MOF} đã gửi hồ sơ đánh giá an toàn thông tin hằng năm`);
    // The reviewer downloads it from the notice.
    await h.as(reviewer).get(`/control/v1/documents/${file.body.documentId}`).expect(200);
  });

  it('finds connections by every word of a search in their name or unit (any case), or by id; a unit only among its own', async () => {
    const dtd = h.as(reviewer);
    const found = async (q: string, as = dtd) => (await as.get('/control/v1/connections').query({ q }).expect(200)).body.items.map((c: { id: string }) => c.id);
    expect(await found('BÁO CÁO bộ tài')).toEqual([connectionId]);
    // Every word, anywhere in the name or the unit: here a word of the name and one only in the unit.
    const other = await h.gateway.connection({ unit: 'Bộ Xây dựng', name: 'Cổng dữ liệu quy hoạch' });
    expect(await found('cổng XÂY DỰNG')).toEqual([other.connectionId]);
    expect(await found('báo cáo chính')).toEqual([connectionId]);
    expect(await found('báo cáo xây dựng')).toEqual([]);
    // Accents as a Word or macOS paste decomposes them match the stored (composed) text.
    expect(await found('báo cáo'.normalize('NFD'))).toContain(connectionId);
    expect(await found('Bộ Tài chính')).toContain(connectionId);
    // Without the marks, as typed on a keyboard with no Vietnamese input method.
    expect(await found('bao cao bo tai chinh')).toEqual([connectionId]);
    expect(await found('CONG XAY DUNG')).toEqual([other.connectionId]);
    expect(await found(connectionId.toUpperCase())).toEqual([connectionId]);
    // Wildcards typed are matched as themselves, not as "anything".
    expect(await found('%')).toEqual([]);
    expect(await found('_')).toEqual([]);
    expect(await found('\\')).toEqual([]);
    expect(await found('báo cáo', h.as(unitAdmin))).toEqual([connectionId]);
    expect((await dtd.get('/control/v1/connections').query({ q: 'x'.repeat(201) }).expect(400)).body.details).toEqual([{ field: 'q', problem: expect.stringContaining('200') }]);
  });

  it('revokes a certificate (refused at the handshake) and terminates with every certificate revoked', async () => {
    await h.as(reviewer).post(`/control/v1/connections/${connectionId}/certificates/${testClient.certificateId}/revoke`).send({ reason: 'Khóa bị lộ' }).expect(200);
    h.gateway.passCredentialCache();
    await expect(handshake(h.gateway.baseUrl, h.gateway.caPem, testClient)).rejects.toThrow(/socket hang up|ECONNRESET/);

    // Re-issue: a new test key, uploaded by the unit, issued by DTD.
    await h.as(reviewer).post(`/control/v1/connections/${connectionId}/certificates`).send({ environment: 'test' }).expect(409);
    await h.as(unitAdmin).post(`/control/v1/connections/${connectionId}/certificate-requests`).send({ environment: 'test', csrPem: makeCsr('he-thong-bao-cao-2').csrPem }).expect(200);
    const reissued = await h.as(reviewer).post(`/control/v1/connections/${connectionId}/certificates`).send({ environment: 'test' }).expect(200);
    expect(reissued.body.pendingCertificateRequests).toEqual([]);

    // A revocation's reason is kept on the certificate (200 characters): a longer one is refused, named.
    const tooLong = await h.as(reviewer).post(`/control/v1/connections/${connectionId}/certificates/${testClient.certificateId}/revoke`).send({ reason: 'x'.repeat(201) }).expect(400);
    expect(tooLong.body.details).toEqual([{ field: 'reason', problem: expect.stringContaining('200') }]);
    // 200 characters exactly, composed: a decomposed text of the same letters is longer, and is taken too.
    const exactly = 'ố'.normalize('NFD').repeat(100) + 'x'.repeat(100);
    const listed = (await h.as(reviewer).get(`/control/v1/connections/${connectionId}/certificates`).expect(200)).body.items;
    const fresh = listed.find((c: { environment: string; revokedAt: string | null }) => c.environment === 'test' && !c.revokedAt);
    await h.as(reviewer).post(`/control/v1/connections/${connectionId}/certificates/${fresh.id}/revoke`).send({ reason: exactly }).expect(200);
    const kept = (await h.as(reviewer).get(`/control/v1/connections/${connectionId}/certificates`).expect(200)).body.items.find((c: { id: string }) => c.id === fresh.id);
    expect(kept.revocationReason).toBe(exactly.normalize('NFC'));
    // A termination's reason may be longer: the certificates keep its beginning, the history all of it.
    const longReason = `Ngừng kết nối theo đề nghị của đơn vị. ${'Chi tiết. '.repeat(40)}`;
    const ended = await h.as(reviewer).post(`/control/v1/connections/${connectionId}/terminate`).send({ reason: longReason }).expect(200);
    expect(ended.body.state).toBe('TERMINATED');
    const certificates = await h.as(reviewer).get(`/control/v1/connections/${connectionId}/certificates`).expect(200);
    expect(certificates.body.items.every((c: { revokedAt: string | null }) => c.revokedAt !== null)).toBe(true);
    const [last] = certificates.body.items.filter((c: { revocationReason: string }) => c.revocationReason.startsWith('connection terminated: Ngừng kết nối'));
    expect(last.revocationReason).toHaveLength(200);
    const [termination] = (await h.as(reviewer).get(`/control/v1/connections/${connectionId}/history?action=terminate`).expect(200)).body.items;
    expect(termination.reason).toBe(longReason);
    await h.as(reviewer).post(`/control/v1/connections/${connectionId}/terminate`).send({ reason: 'again' }).expect(409);
  });
});
