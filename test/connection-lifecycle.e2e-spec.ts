import crypto from 'node:crypto';
import https from 'node:https';
import { Role } from '../src/accounts/roles.js';
import { WebhookDispatcher } from '../src/notifications/webhook-dispatcher.service.js';
import { RemindersService } from '../src/notifications/reminders.service.js';
import { ControlPlaneHarness, makeCsr, Person, webhookReceiver } from './support/control-plane-harness.js';
import { taskResult, TestClient } from './support/gateway-harness.js';
import { resetDatabase, sql } from './support/test-database.js';

const MOF = 'Bộ Tài chính';
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(500), Buffer.from('\n%%EOF\n')]);

const dossier = (securityAssessmentDocumentId: string) => ({
  dataScope: 'Kết quả thực hiện nhiệm vụ và bộ chỉ số của Bộ Tài chính',
  purpose: 'Báo cáo định kỳ lên Hệ thống theo dõi, đánh giá',
  systemDescription: 'Hệ thống quản lý nhiệm vụ nội bộ, triển khai tại trung tâm dữ liệu của Bộ',
  securityLevel: 3,
  technicalContact: { name: 'Nguyễn Văn A', email: 'a@mof.gov.vn', phone: '+84 24 1234 5678' },
  businessContact: { name: 'Trần Thị B', email: 'b@mof.gov.vn', phone: '+84 24 8765 4321' },
  securityAssessmentDocumentId,
});

const agreement = {
  scope: { dataSets: ['task-results', 'kpi-results'], directions: ['push', 'pull'], writeUnits: [MOF], readUnits: [MOF] },
  dataFormat: 'JSON theo Phụ lục II, Hướng dẫn 11-HD/VPTW',
  frequency: 'Hằng ngày; tối đa 600 lượt đọc mỗi phút',
  quotas: { readsPerMinute: 600, writesPerMinute: 120 },
  securityMeasures: 'mTLS, chứng thư số do Cục cấp',
  allowedSourceAddresses: ['127.0.0.1/32', '::1/128'],
  responsibilities: 'Bộ Tài chính chịu trách nhiệm về dữ liệu cung cấp',
  incidentHandling: 'Báo cáo trong 2 giờ qua đầu mối 24/7',
  signatories: [
    { name: 'Lê Văn C', position: 'Cục trưởng', organisation: 'Cục Chuyển đổi số - Cơ yếu' },
    { name: 'Phạm Văn D', position: 'Chánh Văn phòng', organisation: MOF },
  ],
  signedOn: '2026-11-20',
};

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
    expect(inbox.body.map((n: { kind: string }) => n.kind)).toEqual(['RETURNED']);
    expect(inbox.body[0].message).toContain('Thiếu sơ đồ mạng');
    await unit.post(`/control/v1/connections/${connectionId}/resubmit`).send({ dossier: dossier(doc.body.documentId), note: 'Bổ sung sơ đồ mạng' }).expect(200);
    await dtd.post(`/control/v1/connections/${connectionId}/appraisal`).send({ decision: 'APPROVE', reasons: 'Đủ điều kiện' }).expect(200);

    // 3. The signed agreement becomes the enforced scope.
    const agreed = await dtd.post(`/control/v1/connections/${connectionId}/agreements`).send(agreement).expect(200);
    expect(agreed.body).toMatchObject({ state: 'AGREEMENT_SIGNED', agreementVersion: 1, scope: { writeUnits: [MOF], quotas: { readsPerMinute: 600 } } });

    // 4. The unit uploads a CSR; DTD configures and issues the test certificate.
    const testKey = makeCsr('he-thong-bao-cao-test');
    await dtd.post(`/control/v1/connections/${connectionId}/configure`).send({ unitCode: 'G09.BTC' }).expect(409);
    await unit.post(`/control/v1/connections/${connectionId}/certificate-requests`).send({ environment: 'test', csrPem: testKey.csrPem }).expect(200);
    const configured = await dtd.post(`/control/v1/connections/${connectionId}/configure`).send({ unitCode: 'G09.BTC' }).expect(200);
    expect(configured.body).toMatchObject({ state: 'TESTING', unitCode: 'G09.BTC', technicalAccount: connectionId });
    const certificates = await unit.get(`/control/v1/connections/${connectionId}/certificates`).expect(200);
    testClient = { connectionId, certificateId: certificates.body[0].id, thumbprint: certificates.body[0].thumbprintSha256, certPem: certificates.body[0].certificatePem, keyPem: testKey.keyPem };

    // 5. The system works against test data only; the reconciliation report shows what it did.
    const system = await h.gateway.as(testClient);
    await system.put('/api/v1/task-results/TEST-1').send(taskResult('TEST-1', MOF)).expect(201);
    await system.put('/api/v1/task-results/TEST-2').send(taskResult('TEST-2', MOF, { priority: 7 })).expect(400);
    const report = await dtd.get(`/control/v1/connections/${connectionId}/test-reconciliation`).expect(200);
    expect(report.body.records).toMatchObject({ taskResults: 1, kpiResults: 0 });
    expect(report.body.validationFailures).toBe(1);
    expect(report.body.samples.taskResults[0].taskCode).toBe('TEST-1');
    await dtd.post(`/control/v1/connections/${connectionId}/go-live`).send({ goLiveDate: '2026-12-01' }).expect(409);
    const reportDoc = await unit.post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201);
    const half = await unit.post(`/control/v1/connections/${connectionId}/test-confirmations/unit`).send({ reportDocumentId: reportDoc.body.documentId }).expect(200);
    expect(half.body.state).toBe('TESTING');
    const passed = await dtd.post(`/control/v1/connections/${connectionId}/test-confirmations/dtd`).send({ notes: 'Đạt' }).expect(200);
    expect(passed.body.state).toBe('TEST_PASSED');

    // 6. Go-live issues the production certificate from a new CSR.
    const prodKey = makeCsr('he-thong-bao-cao');
    await unit.post(`/control/v1/connections/${connectionId}/certificate-requests`).send({ environment: 'production', csrPem: prodKey.csrPem }).expect(200);
    const live = await dtd.post(`/control/v1/connections/${connectionId}/go-live`).send({ goLiveDate: '2026-12-01' }).expect(200);
    expect(live.body).toMatchObject({ state: 'LIVE', goLiveDate: '2026-12-01', reEvaluationDue: '2027-12-01' });
    const all = await unit.get(`/control/v1/connections/${connectionId}/certificates`).expect(200);
    const prodCert = all.body.find((c: { environment: string }) => c.environment === 'production');
    const prodClient: TestClient = { connectionId, certificateId: prodCert.id, thumbprint: prodCert.thumbprintSha256, certPem: prodCert.certificatePem, keyPem: prodKey.keyPem };
    const production = await h.gateway.as(prodClient);
    await production.put('/api/v1/task-results/PROD-1').send(taskResult('PROD-1', MOF)).expect(201);

    // Test credentials keep working, in test only.
    const stillTest = await h.gateway.as(testClient);
    await stillTest.get('/api/v1/task-results/TEST-1').expect(200);
    await stillTest.get('/api/v1/task-results/PROD-1').expect(404);

    // Nobody is left waiting: every decision is in the inbox and reached the webhook (after one failed try).
    const kinds = (await unit.get('/control/v1/notifications').expect(200)).body.map((n: { kind: string }) => n.kind);
    expect(kinds).toEqual(['RETURNED', 'APPROVED', 'AGREEMENT_RECORDED', 'CONFIGURED', 'TEST_PASSED', 'LIVE']);
    await deliverWebhooks();
    await sql(`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE delivered_at IS NULL`);
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
    expect(history.body.map((e: { action: string }) => e.action)).toEqual([
      'register', 'return', 'resubmit', 'approve', 'recordAgreement', 'submitCsr', 'configure',
      'confirmTest:unit', 'confirmTest:dtd', 'passTest', 'submitCsr', 'goLive',
    ]);
    expect(history.body[1]).toMatchObject({ fromState: 'SUBMITTED', toState: 'RETURNED', reason: 'Thiếu sơ đồ mạng', actorName: expect.stringContaining('dtd.reviewer') });
  });

  it('names the current state when a transition is illegal, and keeps roles to their actions', async () => {
    const dtd = h.as(reviewer);
    const illegal = await dtd.post(`/control/v1/connections/${connectionId}/appraisal`).send({ decision: 'APPROVE', reasons: 'x' }).expect(409);
    expect(illegal.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', message: expect.stringContaining('LIVE') });

    await h.as(unitAdmin).post(`/control/v1/connections/${connectionId}/appraisal`).send({ decision: 'APPROVE', reasons: 'x' }).expect(403);
    await h.as(auditor).post(`/control/v1/connections/${connectionId}/terminate`).send({ reason: 'x' }).expect(403);
    await h.as(officer).post('/control/v1/accounts').send({ username: 'x1', role: 'AUDITOR', holderName: 'x' }).expect(403);
    const dtdRegisters = await dtd.post('/control/v1/connections').send({ name: 'x', dossier: dossier(crypto.randomUUID()) }).expect(403);
    expect(dtdRegisters.body.code).toBe('ROLE_NOT_ALLOWED');
    await h.raw('get', '/control/v1/connections').expect(401);

    // A new agreement version may agree directions per data set: here push tasks, pull KPIs only.
    const v2 = await dtd
      .post(`/control/v1/connections/${connectionId}/agreements`)
      .send({ ...agreement, scope: { ...agreement.scope, directionsByDataSet: { 'task-results': ['push'], 'kpi-results': ['pull'] } } })
      .expect(200);
    expect(v2.body.agreementVersion).toBe(2);
    await new Promise((r) => setTimeout(r, 1100));
    const narrowed = await h.gateway.as(testClient);
    expect((await narrowed.get('/api/v1/task-results').expect(403)).body.code).toBe('OUTSIDE_AGREED_SCOPE');
    await narrowed.get('/api/v1/kpi-results').expect(200);
    expect((await dtd.get(`/control/v1/connections/${connectionId}/agreements`).expect(200)).body.map((a: { version: number }) => a.version)).toEqual([1, 2]);

    // A connected system's token opens nothing on the control plane.
    const systemToken = await h.gateway.token(testClient);
    const refused = await h.raw('get', '/control/v1/connections').set('Authorization', `Bearer ${systemToken}`).expect(401);
    expect(refused.body.code).toBe('SESSION_INVALID');

    // A unit administrator of another agency does not even see the connection.
    const other = await h.person(admin, 'moh.admin', Role.UNIT_ADMIN, 'Bộ Y tế');
    await h.as(other).get(`/control/v1/connections/${connectionId}`).expect(404);
    expect((await h.as(other).get('/control/v1/connections').expect(200)).body).toEqual([]);
  });

  it('lists live connections whose yearly re-evaluation is overdue, and records one', async () => {
    const dtd = h.as(reviewer);
    expect((await dtd.get('/control/v1/connections?reEvaluationOverdue=true').expect(200)).body).toEqual([]);
    await sql(`UPDATE connections SET re_evaluation_due = current_date - 3 WHERE id = $1`, [connectionId]);
    const overdue = await dtd.get('/control/v1/connections?reEvaluationOverdue=true').expect(200);
    expect(overdue.body.map((c: { id: string }) => c.id)).toEqual([connectionId]);
    await h.control.get(RemindersService).scan();
    const kinds = (await h.as(unitAdmin).get('/control/v1/notifications?unread=true').expect(200)).body.map((n: { kind: string }) => n.kind);
    expect(kinds).toContain('RE_EVALUATION_DUE');
    const done = await dtd.post(`/control/v1/connections/${connectionId}/re-evaluations`).send({ outcome: 'CONDITIONS_MET', findings: 'Đạt yêu cầu' }).expect(200);
    expect(done.body.reEvaluationDue > new Date().toISOString().slice(0, 10)).toBe(true);
    await dtd.post(`/control/v1/connections/${connectionId}/maintenance-minutes`).send({ summary: 'Kiểm tra định kỳ quý IV' }).expect(200);
  });

  it('warns the unit of a certificate expiring within 30 days, once', async () => {
    await sql(`UPDATE client_certificates SET not_after = now() + interval '10 days' WHERE id = $1`, [testClient.certificateId]);
    const reminders = h.control.get(RemindersService);
    await reminders.scan();
    await reminders.scan();
    const expiring = (await h.as(unitAdmin).get('/control/v1/notifications').expect(200)).body.filter((n: { kind: string }) => n.kind === 'CERTIFICATE_EXPIRING');
    expect(expiring).toHaveLength(1);
    expect(expiring[0].data.certificateId).toBe(testClient.certificateId);
  });

  it('revokes a certificate (refused at the handshake) and terminates with every certificate revoked', async () => {
    await h.as(reviewer).post(`/control/v1/connections/${connectionId}/certificates/${testClient.certificateId}/revoke`).send({ reason: 'Khóa bị lộ' }).expect(200);
    await new Promise((r) => setTimeout(r, 1100));
    await expect(handshake(h.gateway.baseUrl, h.gateway.caPem, testClient)).rejects.toThrow(/socket hang up|ECONNRESET/);

    const ended = await h.as(reviewer).post(`/control/v1/connections/${connectionId}/terminate`).send({ reason: 'Ngừng kết nối theo đề nghị' }).expect(200);
    expect(ended.body.state).toBe('TERMINATED');
    const certificates = await h.as(reviewer).get(`/control/v1/connections/${connectionId}/certificates`).expect(200);
    expect(certificates.body.every((c: { revokedAt: string | null }) => c.revokedAt !== null)).toBe(true);
    await h.as(reviewer).post(`/control/v1/connections/${connectionId}/terminate`).send({ reason: 'again' }).expect(409);
  });
});
