import { jest } from '@jest/globals';
import { Role } from '../src/accounts/roles.js';
import { Clock } from '../src/calendar/clock.js';
import { GoLiveScheduler } from '../src/connections/lifecycle/go-live-scheduler.service.js';
import { ControlPlaneHarness, makeCsr, Person } from './support/control-plane-harness.js';
import { taskResult, TestClient } from './support/gateway-harness.js';
import { addDays, agreementFor, approveWithPaperwork, csrForKey, dossier, incidentContact, onboardToTesting, passTest as passTestFixture, PDF, testReport, todayInVietnam } from './support/lifecycle-fixtures.js';
import { waitFor } from './support/security-helpers.js';
import { resetDatabase } from './support/test-database.js';

const UNIT = 'Bộ Tài chính';
const READER = 'Văn phòng Trung ương Đảng';

describe('connection lifecycle: what a step needs before it is taken (issue 12, point 13)', () => {
  let h: ControlPlaneHarness;
  let unitAdmin: Person;
  let readerAdmin: Person;
  let reviewer: Person;

  beforeAll(async () => {
    await resetDatabase();
    // Background loops every 200 ms: a scheduled go-live must open by itself, without a call.
    h = await ControlPlaneHarness.start({ BACKGROUND_INTERVAL_MS: '200' });
    const admin = await h.bootstrapAdmin();
    unitAdmin = await h.person(admin, 'mof.admin', Role.UNIT_ADMIN, UNIT);
    readerAdmin = await h.person(admin, 'vptw.admin', Role.UNIT_ADMIN, READER);
    reviewer = await h.person(admin, 'dtd.reviewer', Role.DTD_REVIEWER);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await h.stop();
  });

  const confirm = (connectionId: string, side: 'unit' | 'dtd', person: Person) =>
    h.as(person).post(`/control/v1/connections/${connectionId}/test-confirmations/${side}`).send({ notes: 'Đạt' });

  /** Pushes one test record, files a passing test report and has both sides confirm: TEST_PASSED. */
  const passTest = (connectionId: string, testClient: TestClient, documentId: string) => passTestFixture(h, unitAdmin, reviewer, UNIT, connectionId, testClient, documentId);

  it('refuses a registration or agreement without its nested parts, naming each, and stores nothing', async () => {
    const unit = h.as(unitAdmin);
    const scan = (await unit.post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201)).body.documentId as string;
    const before = (await h.as(reviewer).get('/control/v1/connections?limit=100').expect(200)).body.items.length as number;
    const { technicalContact: _t, businessContact: _b, ...withoutContacts } = dossier(scan);
    const noContacts = await unit.post('/control/v1/connections').send({ name: 'Thiếu đầu mối', dossier: withoutContacts }).expect(400);
    expect(noContacts.body.details.map((d: { field: string }) => d.field)).toEqual(['dossier.technicalContact', 'dossier.businessContact']);
    expect(noContacts.body.details[0].problem).toBe('is required: the technical contact (name, email, phone)');
    const noDossier = await unit.post('/control/v1/connections').send({ name: 'Thiếu hồ sơ' }).expect(400);
    expect(noDossier.body.details).toEqual([{ field: 'dossier', problem: 'is required: the technical dossier' }]);
    // Nothing half-registered: every list still answers, with the rows it had.
    const after = await h.as(reviewer).get('/control/v1/connections?limit=100').expect(200);
    expect(after.body.items.length).toBe(before);

    const registered = await unit.post('/control/v1/connections').send({ name: 'Đủ hồ sơ', dossier: dossier(scan) }).expect(201);
    await approveWithPaperwork(h, reviewer, registered.body.id);
    const { scope: _s, quotas: _q, ...withoutScope } = agreementFor(UNIT);
    const noScope = await h.as(reviewer).post(`/control/v1/connections/${registered.body.id}/agreements`).send(withoutScope).expect(400);
    expect(noScope.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['scope', 'quotas']));
    expect((await h.as(reviewer).get(`/control/v1/connections/${registered.body.id}`).expect(200)).body.state).toBe('APPROVED');
  });

  it('refuses to confirm the test report while nothing was exchanged in test, for either side', async () => {
    const { connectionId, testClient, documentId } = await onboardToTesting(h, unitAdmin, reviewer, UNIT);
    const report = await h.as(reviewer).get(`/control/v1/connections/${connectionId}/test-reconciliation`).expect(200);
    expect(report.body.records).toMatchObject({ taskResults: 0, kpiResults: 0 });

    for (const [side, person] of [['unit', unitAdmin], ['dtd', reviewer]] as const) {
      const refused = await confirm(connectionId, side, person).expect(409);
      expect(refused.body).toMatchObject({ code: 'NOTHING_EXCHANGED_IN_TEST', message: expect.stringContaining('pushed no records'), requestId: expect.any(String) });
    }
    const unchanged = await h.as(reviewer).get(`/control/v1/connections/${connectionId}`).expect(200);
    expect(unchanged.body).toMatchObject({ state: 'TESTING', testConfirmation: null });

    await passTest(connectionId, testClient, documentId);
  });

  it('a connection agreed only to pull has exchanged once it read a data set in test', async () => {
    const { connectionId, testClient, documentId } = await onboardToTesting(h, readerAdmin, reviewer, READER, {
      scope: { dataSets: ['task-results'], directions: ['pull'], writeUnits: [], readUnits: ['*'] },
    });
    expect((await confirm(connectionId, 'unit', readerAdmin).expect(409)).body.message).toContain('not read any data set');
    await (await h.gateway.as(testClient)).get('/api/v1/task-results').expect(200);
    // The read's audit entry is written before its response is sent: it counts at once.
    await h.as(reviewer).post(`/control/v1/connections/${connectionId}/test-report`).send(testReport(documentId)).expect(200);
    await confirm(connectionId, 'unit', readerAdmin).expect(200);
  });

  it('refuses a production CSR that reuses the test key, or any key the connection had', async () => {
    const { connectionId, testClient, documentId } = await onboardToTesting(h, unitAdmin, reviewer, UNIT);
    await passTest(connectionId, testClient, documentId);
    const unit = h.as(unitAdmin);
    const requests = `/control/v1/connections/${connectionId}/certificate-requests`;

    // The same key under another name is still the same key.
    const reused = await unit.post(requests).send({ environment: 'production', csrPem: csrForKey(testClient.keyPem, 'he-thong-chinh-thuc') }).expect(400);
    expect(reused.body).toMatchObject({ code: 'KEY_REUSED', details: [{ field: 'csrPem', problem: expect.stringContaining(`test certificate ${testClient.certificateId}`) }] });

    // A revoked certificate's key is not certified again either.
    await h.as(reviewer).post(`/control/v1/connections/${connectionId}/certificates/${testClient.certificateId}/revoke`).send({ reason: 'Khóa bị lộ' }).expect(200);
    const revoked = await unit.post(requests).send({ environment: 'production', csrPem: csrForKey(testClient.keyPem, 'x') }).expect(400);
    expect(revoked.body.details[0].problem).toContain('(revoked)');

    // A production key pending issuance cannot become a test key.
    const prodKey = makeCsr('he-thong-chinh-thuc');
    await unit.post(requests).send({ environment: 'production', csrPem: prodKey.csrPem }).expect(200);
    const crossed = await unit.post(requests).send({ environment: 'test', csrPem: csrForKey(prodKey.keyPem, 'he-thong-test') }).expect(400);
    expect(crossed.body.details[0].problem).toContain('pending production certificate request');

    const live = await h.as(reviewer).post(`/control/v1/connections/${connectionId}/go-live`).send({ goLiveDate: todayInVietnam(), incidentContact }).expect(200);
    expect(live.body.state).toBe('LIVE');
  });

  it('refuses an agreement signed in the future, or before the request was registered', async () => {
    const today = todayInVietnam();
    const { connectionId, documentId } = await onboardToTesting(h, unitAdmin, reviewer, UNIT);
    const agreements = `/control/v1/connections/${connectionId}/agreements`;
    for (const [signedOn, problem] of [
      ['2999-01-01', `must not be in the future (today is ${today} in Asia/Ho_Chi_Minh)`],
      [addDays(today, 1), 'must not be in the future'],
      ['2020-01-01', 'must not be before the connection request was registered'],
    ]) {
      const refused = await h.as(reviewer).post(agreements).send(agreementFor(UNIT, { signedOn, documentId })).expect(400);
      expect(refused.body).toMatchObject({ statusCode: 400, details: [{ field: 'signedOn', problem: expect.stringContaining(problem) }] });
    }
    const v2 = await h.as(reviewer).post(agreements).send(agreementFor(UNIT, { signedOn: today, documentId })).expect(200);
    expect(v2.body.agreementVersion).toBe(2);
  });

  it('keeps production closed until the agreed go-live date, then opens it by itself', async () => {
    const today = todayInVietnam();
    const tomorrow = addDays(today, 1);
    const { connectionId, testClient, documentId } = await onboardToTesting(h, unitAdmin, reviewer, UNIT);
    await passTest(connectionId, testClient, documentId);
    const prodKey = makeCsr('he-thong-chinh-thuc');
    await h.as(unitAdmin).post(`/control/v1/connections/${connectionId}/certificate-requests`).send({ environment: 'production', csrPem: prodKey.csrPem }).expect(200);

    const scheduled = await h.as(reviewer).post(`/control/v1/connections/${connectionId}/go-live`).send({ goLiveDate: tomorrow, incidentContact }).expect(200);
    expect(scheduled.body).toMatchObject({ state: 'GO_LIVE_SCHEDULED', goLiveDate: tomorrow });
    const certificates = (await h.as(unitAdmin).get(`/control/v1/connections/${connectionId}/certificates`).expect(200)).body.items;
    const prodCert = certificates.find((c: { environment: string }) => c.environment === 'production');
    const production: TestClient = { connectionId, certificateId: prodCert.id, thumbprint: prodCert.thumbprintSha256, certPem: prodCert.certificatePem, keyPem: prodKey.keyPem };

    // Today: a round of the go-live loop opens nothing; the production certificate gets no token, test keeps working.
    const token = () => h.gateway.call(production, 'post', '/api/v1/oauth/token').type('form').send({ grant_type: 'client_credentials' });
    expect(await h.control.get(GoLiveScheduler).openDue()).not.toContain(connectionId);
    const refused = await token().expect(403);
    expect(refused.body).toMatchObject({ code: 'NOT_YET_LIVE', message: expect.stringContaining(tomorrow) });
    await (await h.gateway.as(testClient)).get('/api/v1/task-results').expect(200);
    expect((await h.as(unitAdmin).get('/control/v1/notifications').expect(200)).body.items.map((n: { kind: string }) => n.kind)).toContain('GO_LIVE_SCHEDULED');

    // Tomorrow (the gateway's clock moved to 00:00:30 on that day in Hà Nội): open without anyone acting.
    jest.spyOn(h.control.get(Clock), 'now').mockReturnValue(new Date(`${tomorrow}T00:00:30+07:00`));
    await waitFor(async () => (await token()).status === 200, 5000, 100);
    const system = await h.gateway.as(production);
    await system.put('/api/v1/task-results/PROD-1').send(taskResult('PROD-1', UNIT)).expect(201);
    const history = (await h.as(reviewer).get(`/control/v1/connections/${connectionId}/history`).expect(200)).body.items;
    expect(history.slice(-2)).toMatchObject([
      { action: 'scheduleGoLive', fromState: 'TEST_PASSED', toState: 'GO_LIVE_SCHEDULED' },
      { action: 'openProduction', fromState: 'GO_LIVE_SCHEDULED', toState: 'LIVE', actorId: null, actorName: 'the gateway (automatic)' },
    ]);
  });
});
