import { Role } from '../src/accounts/roles.js';
import { RemindersService } from '../src/notifications/reminders.service.js';
import { ControlPlaneHarness, makeCsr, Person } from './support/control-plane-harness.js';
import { taskResult, TestClient } from './support/gateway-harness.js';
import {
  addDays,
  agreementFor,
  dossier,
  incidentContact,
  leadershipDecision,
  liveConnection,
  onboardToTesting,
  PDF,
  requestLetter,
  securityCheck,
  testReport,
  todayInVietnam,
} from './support/lifecycle-fixtures.js';
import { resetDatabase, sql } from './support/test-database.js';

const UNIT = 'Bộ Tài chính';

/** Appendix II part I, the paper of each step: what a step needs on file before it is taken, stored and shown. */
describe('the lifecycle paperwork of the seven steps (issue 16)', () => {
  let h: ControlPlaneHarness;
  let unitAdmin: Person;
  let reviewer: Person;
  let officer: Person;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start();
    const admin = await h.bootstrapAdmin();
    unitAdmin = await h.person(admin, 'mof.admin', Role.UNIT_ADMIN, UNIT);
    reviewer = await h.person(admin, 'dtd.reviewer', Role.DTD_REVIEWER);
    officer = await h.person(admin, 'dtd.security', Role.SECURITY_OFFICER);
  });
  afterAll(() => h.stop());

  const upload = async (person: Person) => (await h.as(person).post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201)).body.documentId as string;
  const fields = (body: { details?: Array<{ field: string }> }) => (body.details ?? []).map((d) => d.field);
  const history = async (id: string) => (await h.as(reviewer).get(`/control/v1/connections/${id}/history`).expect(200)).body.items as Array<{ action: string; toState: string; changes: Record<string, unknown> }>;

  it('step 1: files the request letter with the dossier, and approval (step 2) waits for a satisfactory security check and records the leadership decision', async () => {
    const unit = h.as(unitAdmin);
    const dtd = h.as(reviewer);
    const doc = await upload(unitAdmin);
    const { requestLetter: _omitted, ...withoutLetter } = dossier(doc);
    const futureLetter = await unit.post('/control/v1/connections').send({ name: 'Hệ thống A', dossier: { ...withoutLetter, requestLetter: { ...requestLetter(doc), date: addDays(todayInVietnam(), 2) } } }).expect(400);
    expect(futureLetter.body.details).toEqual([{ field: 'dossier.requestLetter.date', problem: expect.stringContaining('must not be in the future') }]);

    const { id } = (await unit.post('/control/v1/connections').send({ name: 'Hệ thống A', dossier: dossier(doc) }).expect(201)).body;
    const filed = await dtd.get(`/control/v1/connections/${id}`).expect(200);
    expect(filed.body.dossier.requestLetter).toEqual({ number: '123/BTC-CNTT', date: todayInVietnam(), signedBy: 'Thứ trưởng Nguyễn Văn E', documentId: doc });

    // No security check on file: approval is refused, and the leadership decision is asked for by name.
    const dtdDoc = await upload(reviewer);
    const approve = (extra: Record<string, unknown> = {}) => dtd.post(`/control/v1/connections/${id}/appraisal`).send({ decision: 'APPROVE', reasons: 'Đủ điều kiện', ...extra });
    expect(fields((await approve().expect(400)).body)).toEqual(['leadershipDecision']);
    const unchecked = await approve({ leadershipDecision: leadershipDecision(dtdDoc) }).expect(409);
    expect(unchecked.body).toMatchObject({ code: 'SECURITY_CHECK_MISSING', messageVi: expect.stringContaining('IV.5.đ') });

    const badCheck = await dtd.post(`/control/v1/connections/${id}/security-check`).send({ ...securityCheck(dtdDoc), result: 'OK', documentId: 'x' }).expect(400);
    expect(fields(badCheck.body).sort()).toEqual(['documentId', 'result']);
    const futureCheck = await dtd.post(`/control/v1/connections/${id}/security-check`).send(securityCheck(dtdDoc, { checkedOn: addDays(todayInVietnam(), 1) })).expect(400);
    expect(futureCheck.body.details).toEqual([{ field: 'checkedOn', problem: expect.stringContaining('must not be in the future') }]);
    await dtd.post(`/control/v1/connections/${id}/security-check`).send(securityCheck(dtdDoc, { result: 'UNSATISFACTORY', findings: 'Chưa vá lỗ hổng' })).expect(200);
    expect((await approve({ leadershipDecision: leadershipDecision(dtdDoc) }).expect(409)).body.code).toBe('SECURITY_CHECK_UNSATISFACTORY');
    await dtd.post(`/control/v1/connections/${id}/security-check`).send(securityCheck(dtdDoc)).expect(200);

    const noDocument = await approve({ leadershipDecision: { ...leadershipDecision(dtdDoc), documentId: undefined } }).expect(400);
    expect(fields(noDocument.body)).toEqual(['leadershipDecision.documentId']);
    const early = await approve({ leadershipDecision: { ...leadershipDecision(dtdDoc), decidedOn: '2020-01-01' } }).expect(400);
    expect(early.body.details).toEqual([{ field: 'leadershipDecision.decidedOn', problem: expect.stringContaining('must not be before the connection request was registered') }]);
    const approved = await approve({ leadershipDecision: leadershipDecision(dtdDoc) }).expect(200);
    expect(approved.body).toMatchObject({
      state: 'APPROVED',
      securityCheck: { checkedBy: expect.stringContaining('A05'), checkedOn: todayInVietnam(), result: 'SATISFACTORY', documentId: dtdDoc, recordedBy: 'dtd.reviewer' },
      leadershipDecision: { decidedBy: expect.stringContaining('Phó Chánh Văn phòng'), decidedOn: todayInVietnam(), number: '456-QĐ/VPTW', documentId: dtdDoc },
    });
    const events = await history(id);
    expect(events.map((e) => e.action)).toEqual(['register', 'securityCheck', 'securityCheck', 'approve']);
    expect(events[1].changes).toMatchObject({ securityCheck: { result: 'UNSATISFACTORY' } });
    expect(events[3].changes).toMatchObject({ leadershipDecision: { documentId: dtdDoc }, securityCheck: { result: 'SATISFACTORY' } });

    // Step 3: the signed minutes' scan goes with its version.
    const noScan = await dtd.post(`/control/v1/connections/${id}/agreements`).send(agreementFor(UNIT)).expect(400);
    expect(fields(noScan.body)).toEqual(['documentId']);
    await dtd.post(`/control/v1/connections/${id}/agreements`).send(agreementFor(UNIT, { documentId: dtdDoc })).expect(200);
    const versions = (await h.as(unitAdmin).get(`/control/v1/connections/${id}/agreements`).expect(200)).body.items;
    expect(versions).toMatchObject([{ version: 1, documentId: dtdDoc }]);
  });

  it('step 5: go-live needs the test report with functional, performance and security passed, confirmed by both sides', async () => {
    const { connectionId: id, testClient, documentId } = await onboardToTesting(h, unitAdmin, reviewer, UNIT);
    const dtd = h.as(reviewer);
    await (await h.gateway.as(testClient)).put('/api/v1/task-results/T-1').send(taskResult('T-1', UNIT)).expect(201);
    const confirm = (side: 'unit' | 'dtd') => h.as(side === 'unit' ? unitAdmin : reviewer).post(`/control/v1/connections/${id}/test-confirmations/${side}`).send({ notes: 'Đạt' });

    expect((await confirm('unit').expect(409)).body.code).toBe('TEST_REPORT_MISSING');
    const { security: _s, ...twoAreas } = testReport(documentId).results;
    expect(fields((await dtd.post(`/control/v1/connections/${id}/test-report`).send({ documentId, results: twoAreas }).expect(400)).body)).toEqual(['results.security']);
    const badResult = await dtd.post(`/control/v1/connections/${id}/test-report`).send(testReport(documentId, { performance: { result: 'OK', notes: '' } })).expect(400);
    expect(fields(badResult.body).sort()).toEqual(['results.performance.notes', 'results.performance.result']);

    // A failed area: both may confirm the report, but the connection does not pass.
    await dtd.post(`/control/v1/connections/${id}/test-report`).send(testReport(documentId, { performance: { result: 'FAIL', notes: 'Độ trễ 8 giây' } })).expect(200);
    await confirm('unit').expect(200);
    expect((await confirm('dtd').expect(200)).body).toMatchObject({ state: 'TESTING', testConfirmation: { report: { results: { performance: { result: 'FAIL' } } } } });
    const prodKey = makeCsr('he-thong-chinh-thuc');
    await h.as(unitAdmin).post(`/control/v1/connections/${id}/certificate-requests`).send({ environment: 'production', csrPem: prodKey.csrPem }).expect(200);
    await dtd.post(`/control/v1/connections/${id}/go-live`).send({ goLiveDate: todayInVietnam(), incidentContact }).expect(409);

    // A new report clears both confirmations: each side confirms the report on file.
    const refiled = await dtd.post(`/control/v1/connections/${id}/test-report`).send(testReport(documentId)).expect(200);
    expect(refiled.body.testConfirmation).toEqual({ report: expect.objectContaining({ documentId, recordedBy: 'dtd.reviewer' }) });
    expect((await confirm('unit').expect(200)).body.state).toBe('TESTING');
    expect((await confirm('dtd').expect(200)).body.state).toBe('TEST_PASSED');

    // A connection that passed before results were required (no report on file) does not go live.
    const saved = (await dtd.get(`/control/v1/connections/${id}`).expect(200)).body.testConfirmation;
    // Raw SQL on purpose: such a row (confirmed before reports existed) can no longer be made through the API.
    await sql(`UPDATE connections SET test_confirmation = $2 WHERE id = $1`, [id, JSON.stringify({ unitConfirmedAt: saved.unitConfirmedAt, dtdConfirmedAt: saved.dtdConfirmedAt })]);
    const legacy = await dtd.post(`/control/v1/connections/${id}/go-live`).send({ goLiveDate: todayInVietnam(), incidentContact }).expect(409);
    expect(legacy.body).toMatchObject({ code: 'TEST_REPORT_INCOMPLETE', message: expect.stringContaining('no test report') });
    await sql(`UPDATE connections SET test_confirmation = $2 WHERE id = $1`, [id, JSON.stringify(saved)]);

    // Step 6: the unit's 24/7 incident contact is given at go-live and shown to the security officer.
    const noContact = await dtd.post(`/control/v1/connections/${id}/go-live`).send({ goLiveDate: todayInVietnam() }).expect(400);
    expect(fields(noContact.body)).toEqual(['incidentContact']);
    const badMail = await dtd.post(`/control/v1/connections/${id}/go-live`).send({ goLiveDate: todayInVietnam(), incidentContact: { ...incidentContact, email: 'trực ban' } }).expect(400);
    expect(badMail.body.details).toEqual([{ field: 'incidentContact.email', problem: 'must be an e-mail address' }]);
    await dtd.post(`/control/v1/connections/${id}/go-live`).send({ goLiveDate: todayInVietnam(), incidentContact }).expect(200);
    const seen = await h.as(officer).get(`/control/v1/connections/${id}`).expect(200);
    expect(seen.body).toMatchObject({ state: 'LIVE', incidentContact: { ...incidentContact, recordedAt: expect.any(String) } });
    expect((await history(id)).at(-1)).toMatchObject({ action: 'goLive', changes: { incidentContact: { name: incidentContact.name } } });

    // …and on the incident detail, beside the incident.
    const reported = await h.as(unitAdmin).post(`/control/v1/connections/${id}/incident-reports`).send({ reasonCode: 'CREDENTIALS_COMPROMISED', summary: 'Lộ khóa', detectedAt: new Date().toISOString() }).expect(201);
    const incident = await h.as(officer).get(`/control/v1/incidents/${reported.body.id}`).expect(200);
    expect(incident.body.incidentContact).toMatchObject(incidentContact);
  });

  it('step 7: conditions not met lead to the consequence DTD chooses — a deadline with a reminder, or suspension — in the history', async () => {
    const { production } = await liveConnection(h, unitAdmin, reviewer, UNIT);
    const id = production.connectionId;
    const dtd = h.as(reviewer);
    const reEvaluate = (body: Record<string, unknown>) => dtd.post(`/control/v1/connections/${id}/re-evaluations`).send({ outcome: 'CONDITIONS_NOT_MET', findings: 'Chưa gia hạn đánh giá cấp độ', ...body });
    expect((await reEvaluate({ consequence: 'DEADLINE', remedyDeadline: todayInVietnam() }).expect(400)).body.details).toEqual([{ field: 'remedyDeadline', problem: expect.stringContaining('must be after today') }]);
    expect(fields((await reEvaluate({ outcome: 'CONDITIONS_MET', consequence: 'SUSPEND' }).expect(400)).body)).toEqual(['consequence']);

    const due = addDays(todayInVietnam(), 14);
    const deadline = await reEvaluate({ consequence: 'DEADLINE', remedyDeadline: due }).expect(200);
    expect(deadline.body).toMatchObject({ state: 'LIVE', remedyDeadline: { due, setBy: 'dtd.reviewer', findings: 'Chưa gia hạn đánh giá cấp độ' } });
    const inbox = async () => (await h.as(unitAdmin).get('/control/v1/notifications').expect(200)).body.items.filter((n: { connectionId: string }) => n.connectionId === id);
    expect((await inbox()).at(-1)).toMatchObject({ kind: 'RE_EVALUATED', data: { consequence: 'DEADLINE', remedyDeadline: due }, message: expect.stringContaining(`must be met by ${due}`) });

    // Reminded when the day comes, once.
    const reminders = h.control.get(RemindersService);
    await reminders.scan();
    expect((await inbox()).filter((n: { kind: string }) => n.kind === 'REMEDY_DEADLINE_DUE')).toHaveLength(0);
    h.gateway.clock.advance(14 * 86_400_000); // the deadline's day, on the gateway's clock
    await reminders.scan();
    await reminders.scan();
    const reminded = (await inbox()).filter((n: { kind: string }) => n.kind === 'REMEDY_DEADLINE_DUE');
    expect(reminded).toEqual([expect.objectContaining({ data: { due }, messageVi: expect.stringContaining('hạn khắc phục') })]);

    // Suspension: through the state table, with the suspension's own record and event after the re-evaluation's.
    const suspended = await reEvaluate({ consequence: 'SUSPEND', findings: 'Không khắc phục đúng hạn' }).expect(200);
    expect(suspended.body).toMatchObject({ state: 'SUSPENDED', suspensionReason: 'RE_EVALUATION_CONDITIONS_NOT_MET', stateBeforeSuspension: 'LIVE', remedyDeadline: null });
    expect((await history(id)).slice(-3)).toMatchObject([
      { action: 'reEvaluate', toState: 'LIVE', changes: { outcome: 'CONDITIONS_NOT_MET', consequence: 'DEADLINE', remedyDeadline: due } },
      { action: 'reEvaluate', toState: 'LIVE', changes: { outcome: 'CONDITIONS_NOT_MET', consequence: 'SUSPEND' } },
      { action: 'suspend', toState: 'SUSPENDED', changes: { reasonCode: 'RE_EVALUATION_CONDITIONS_NOT_MET' } },
    ]);
    h.gateway.passCredentialCache();
    expect((await h.gateway.call(production, 'post', '/api/v1/oauth/token').send({ grant_type: 'client_credentials' })).body.code).toBe('CONNECTION_SUSPENDED');
    const suspensions = await sql<{ reason_code: string }>(`SELECT reason_code FROM connection_suspensions WHERE connection_id = $1 AND restored_at IS NULL`, [id]);
    expect(suspensions.map((r) => r.reason_code)).toEqual(['RE_EVALUATION_CONDITIONS_NOT_MET']);
  });
});
