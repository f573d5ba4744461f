import { jest } from '@jest/globals';
import { Role } from '../src/accounts/roles.js';
import { Clock } from '../src/calendar/clock.js';
import { WorkingCalendarService } from '../src/calendar/working-calendar.service.js';
import { RemindersService } from '../src/notifications/reminders.service.js';
import { ControlPlaneHarness, makeCsr, Person } from './support/control-plane-harness.js';
import { agreementFor, approveWithPaperwork, dossier, liveConnection, PDF } from './support/lifecycle-fixtures.js';
import { resetDatabase, sql } from './support/test-database.js';

const UNIT = 'Bộ Tài chính';

/** The DTD reviewer's work queue (issue 13): what waits for them, with working-day deadlines and colours. */
describe('review queue', () => {
  let h: ControlPlaneHarness;
  let unitAdmin: Person;
  let reviewer: Person;
  let officer: Person;
  let otherUnitAdmin: Person;
  let auditor: Person;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start();
    const admin = await h.bootstrapAdmin();
    unitAdmin = await h.person(admin, 'mof.admin', Role.UNIT_ADMIN, UNIT);
    reviewer = await h.person(admin, 'dtd.reviewer', Role.DTD_REVIEWER);
    officer = await h.person(admin, 'dtd.security', Role.SECURITY_OFFICER);
    otherUnitAdmin = await h.person(admin, 'moh.admin', Role.UNIT_ADMIN, 'Bộ Y tế');
    auditor = await h.person(admin, 'auditor', Role.AUDITOR);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await h.stop();
  });

  async function register(name: string): Promise<string> {
    const u = h.as(unitAdmin);
    const doc = await u.post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201);
    return (await u.post('/control/v1/connections').send({ name, dossier: dossier(doc.body.documentId) }).expect(201)).body.id;
  }
  const queue = (query: Record<string, string> = {}) => h.as(reviewer).get('/control/v1/review-queue').query(query).expect(200);
  const itemsFor = async (id: string, query: Record<string, string> = {}) => (await queue(query)).body.items.filter((i: { connectionId: string }) => i.connectionId === id);

  it('lists a submitted request for appraisal, due at the end of the 5th working day, green, then red once overdue', async () => {
    const id = await register('Hệ thống A');
    const [item] = await itemsFor(id);
    const due = h.control.get(WorkingCalendarService).calendar().endOfWorkingDaysAfter(new Date(item.since), 5);
    expect(item).toMatchObject({ task: 'APPRAISAL', connectionName: 'Hệ thống A', ownerUnit: UNIT, state: 'SUBMITTED', workingDays: 5, deadlineStatus: 'ON_TIME', deadlineColor: 'GREEN' });
    expect(new Date(item.dueAt).getTime()).toBe(due.getTime());

    // On the last working day: due soon (yellow); after it: overdue (red).
    const clock = h.control.get(Clock);
    const lastDay = h.control.get(WorkingCalendarService).calendar().endOfWorkingDaysAfter(new Date(item.since), 4);
    jest.spyOn(clock, 'now').mockReturnValue(new Date(lastDay.getTime() + 3_600_000));
    expect((await itemsFor(id))[0]).toMatchObject({ deadlineStatus: 'DUE_SOON', deadlineColor: 'YELLOW' });
    jest.spyOn(clock, 'now').mockReturnValue(new Date(due.getTime() + 1000));
    expect((await itemsFor(id))[0]).toMatchObject({ deadlineStatus: 'OVERDUE', deadlineColor: 'RED' });
    jest.restoreAllMocks();
  });

  it('moves a connection through the steps that wait for DTD, and filters by step', async () => {
    const id = await register('Hệ thống B');
    const documentId = await approveWithPaperwork(h, reviewer, id);
    expect(await itemsFor(id)).toEqual([expect.objectContaining({ task: 'AGREEMENT', state: 'APPROVED' })]);
    await h.as(reviewer).post(`/control/v1/connections/${id}/agreements`).send(agreementFor(UNIT, { documentId })).expect(200);
    // Configuration waits for the unit's test CSR: nothing for DTD before it arrives.
    expect(await itemsFor(id)).toEqual([]);
    await h.as(unitAdmin).post(`/control/v1/connections/${id}/certificate-requests`).send({ environment: 'test', csrPem: makeCsr('b-test').csrPem }).expect(200);
    expect(await itemsFor(id)).toEqual([expect.objectContaining({ task: 'CONFIGURATION', workingDays: 3 })]);
    expect(await itemsFor(id, { task: 'APPRAISAL' })).toEqual([]);
    await h.as(reviewer).post(`/control/v1/connections/${id}/configure`).send({ unitCode: 'G09.BTC.B' }).expect(200);
    expect(await itemsFor(id, { task: 'TEST_CONFIRMATION' })).toEqual([expect.objectContaining({ state: 'TESTING' })]);
  });

  it('pages, refuses a bad step name, and is for DTD reviewers only', async () => {
    await register('Hệ thống C');
    const first = await queue({ limit: '1' });
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toBe('1');
    const bad = await h.as(reviewer).get('/control/v1/review-queue').query({ task: 'NOPE' }).expect(400);
    expect(bad.body.messageVi).toEqual(expect.any(String));
    await h.as(unitAdmin).get('/control/v1/review-queue').expect(403);
  });

  it('lists a certificate within 30 days of its end for renewal, until a renewed one takes over or it is revoked', async () => {
    const { connectionId, production, test } = await liveConnection(h, unitAdmin, reviewer, UNIT);
    const expiry = async () => (await itemsFor(connectionId, { task: 'CERTIFICATE_EXPIRY' })).map((i: { certificateId: string }) => i.certificateId);
    expect(await expiry()).toEqual([]);
    // Issued a year ago, as it were: both end in 40 days, then (on the gateway's clock) in 25.
    await sql(`UPDATE client_certificates SET not_after = now() + interval '40 days' WHERE connection_id = $1`, [connectionId]);
    expect(await expiry()).toEqual([]);
    jest.spyOn(h.control.get(Clock), 'now').mockReturnValue(new Date(Date.now() + 15 * 86_400_000));
    expect((await expiry()).sort()).toEqual([production.certificateId, test.certificateId].sort());
    jest.restoreAllMocks();
    await sql(`UPDATE client_certificates SET not_after = now() + interval '10 days' WHERE connection_id = $1`, [connectionId]);
    expect((await expiry()).sort()).toEqual([production.certificateId, test.certificateId].sort());

    // Renewed: the unit's new production request, issued by DTD; the old one stays valid to its end.
    await h.as(unitAdmin).post(`/control/v1/connections/${connectionId}/certificate-requests`).send({ environment: 'production', csrPem: makeCsr('gia-han').csrPem }).expect(200);
    await h.as(reviewer).post(`/control/v1/connections/${connectionId}/certificates`).send({ environment: 'production' }).expect(200);
    expect(await expiry()).toEqual([test.certificateId]);
    // The unit is reminded of the test certificate only: the production one has been renewed.
    await h.control.get(RemindersService).scan();
    const reminded = (await h.as(unitAdmin).get('/control/v1/notifications').query({ order: 'newest', limit: 100 }).expect(200)).body.items
      .filter((n: { kind: string; connectionId: string }) => n.kind === 'CERTIFICATE_EXPIRING' && n.connectionId === connectionId);
    expect(reminded.map((n: { data: { certificateId: string } }) => n.data.certificateId)).toEqual([test.certificateId]);
    // The test certificate is given up instead: revoked, nothing left to renew.
    await h.as(reviewer).post(`/control/v1/connections/${connectionId}/certificates/${test.certificateId}/revoke`).send({ reason: 'Không còn dùng môi trường thử nghiệm' }).expect(200);
    expect(await expiry()).toEqual([]);
  });

  it('after a cut-off: the remediation report waits for a decision (1 working day), then the restoration is due 24 hours after the acceptance', async () => {
    const { production } = await liveConnection(h, unitAdmin, reviewer, UNIT);
    const id = production.connectionId;
    await h.as(officer).post(`/control/v1/connections/${id}/suspension`).send({ reasonCode: 'MANUAL_CUT_OFF', reason: 'Truy vấn bất thường' }).expect(200);
    expect(await itemsFor(id)).toEqual([]);
    const confirmation = Buffer.concat([PDF, Buffer.from('% xac nhan cua co quan co tham quyen\n')]);
    const doc = await h.as(unitAdmin).post('/control/v1/documents').set('Content-Type', 'application/pdf').set('X-File-Name', encodeURIComponent('Xác nhận.pdf')).send(confirmation).expect(201);
    const report = { cause: 'Lộ khóa', measuresTaken: 'Thay khóa', securityCommitment: 'Cam kết', confirmationDocumentId: doc.body.documentId };
    const filed = await h.as(unitAdmin).post(`/control/v1/connections/${id}/remediation-reports`).send(report).expect(201);

    const [decision] = await itemsFor(id);
    expect(decision).toMatchObject({ task: 'REMEDIATION_DECISION', state: 'SUSPENDED', workingDays: 1, deadlineColor: 'GREEN' });
    expect(new Date(decision.since).getTime()).toBe(new Date(filed.body.submittedAt).getTime());
    expect(await itemsFor(id, { task: 'RESTORATION' })).toEqual([]);

    // The reviewer reads the competent body's confirmation as filed; another unit cannot.
    const read = await h.as(reviewer).get(`/control/v1/documents/${doc.body.documentId}`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(Buffer.compare(read.body as Buffer, confirmation)).toBe(0);
    expect(read.headers).toMatchObject({ 'content-type': 'application/pdf', 'x-content-sha256': doc.body.sha256, 'x-content-type-options': 'nosniff' });
    expect(read.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('Xác nhận.pdf')}`);
    await h.as(unitAdmin).get(`/control/v1/documents/${doc.body.documentId}`).expect(200);
    await h.as(auditor).get(`/control/v1/documents/${doc.body.documentId}`).expect(200);
    const foreign = await h.as(otherUnitAdmin).get(`/control/v1/documents/${doc.body.documentId}`).expect(404);
    expect(foreign.body.code).toBe('NOT_FOUND');
    await h.as(reviewer).get('/control/v1/documents/not-a-uuid').expect(400);

    const accepted = await h.as(reviewer).post(`/control/v1/remediation-reports/${filed.body.id}/decision`).send({ decision: 'ACCEPT', text: 'Đạt' }).expect(200);
    const [restoration] = await itemsFor(id);
    expect(restoration).toMatchObject({ task: 'RESTORATION', state: 'RETESTING', workingDays: null, deadlineColor: 'GREEN' });
    const due = new Date(accepted.body.restoreDeadline).getTime();
    expect(new Date(restoration.dueAt).getTime()).toBe(due);
    // Yellow for the last 4 hours of the 24, red after them.
    const clock = h.control.get(Clock);
    jest.spyOn(clock, 'now').mockReturnValue(new Date(due - 3 * 3_600_000));
    expect((await itemsFor(id))[0]).toMatchObject({ deadlineStatus: 'DUE_SOON', deadlineColor: 'YELLOW' });
    jest.spyOn(clock, 'now').mockReturnValue(new Date(due + 1000));
    expect((await itemsFor(id))[0]).toMatchObject({ deadlineStatus: 'OVERDUE', deadlineColor: 'RED' });
    jest.restoreAllMocks();
    await h.as(reviewer).post(`/control/v1/remediation-reports/${filed.body.id}/restoration`).send({ retestFindings: 'Đạt' }).expect(200);
    expect(await itemsFor(id)).toEqual([]);
  });
});
