import { Role } from '../src/accounts/roles.js';
import { RemindersService } from '../src/notifications/reminders.service.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { PDF, todayInVietnam } from './support/lifecycle-fixtures.js';
import { resetDatabase } from './support/test-database.js';

const UNIT = 'Bộ Y tế';
const MINUTE = 60_000;

/**
 * App. III.III and IV.5.d: the unit says when it detected an incident, so its 2-hour duty can be
 * judged; each reporting step carries the document it was done with; the unit reads its own.
 */
describe('incident paperwork (issue 16)', () => {
  let h: ControlPlaneHarness;
  let unitAdmin: Person;
  let otherUnitAdmin: Person;
  let officer: Person;
  let auditor: Person;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start();
    const admin = await h.bootstrapAdmin();
    unitAdmin = await h.person(admin, 'moh.admin', Role.UNIT_ADMIN, UNIT);
    otherUnitAdmin = await h.person(admin, 'mof.admin', Role.UNIT_ADMIN, 'Bộ Tài chính');
    officer = await h.person(admin, 'dtd.security', Role.SECURITY_OFFICER);
    auditor = await h.person(admin, 'dtd.auditor', Role.AUDITOR);
  });
  afterAll(() => h.stop());

  const report = (connectionId: string, body: Record<string, unknown>) =>
    h.as(unitAdmin).post(`/control/v1/connections/${connectionId}/incident-reports`).send({ reasonCode: 'CREDENTIALS_COMPROMISED', summary: 'Mất kiểm soát khóa riêng', ...body });

  it('records when the unit detected the incident and judges whether its notice came within 2 hours', async () => {
    const { connectionId } = await h.gateway.connection({ unit: UNIT, env: 'production' });
    const missing = await report(connectionId, {}).expect(400);
    expect(missing.body.details.map((d: { field: string }) => d.field)).toEqual(['detectedAt']);
    const future = await report(connectionId, { detectedAt: new Date(Date.now() + 10 * MINUTE).toISOString() }).expect(400);
    expect(future.body.details).toEqual([{ field: 'detectedAt', problem: 'must not be in the future' }]);

    const late = await report(connectionId, { detectedAt: new Date(Date.now() - 3 * 60 * MINUTE).toISOString() }).expect(201);
    const prompt = await report(connectionId, { detectedAt: new Date(Date.now() - 30 * MINUTE).toISOString() }).expect(201);
    const lateView = (await h.as(officer).get(`/control/v1/incidents/${late.body.id}`).expect(200)).body;
    expect(lateView.unitNotice).toMatchObject({ withinTwoHours: false, minutesAfterDetection: expect.any(Number) });
    expect(lateView.unitNotice.minutesAfterDetection).toBeGreaterThanOrEqual(180);
    expect(Date.parse(lateView.detectedAt)).toBe(Date.parse(lateView.unitNotice.detectedAt));
    const promptView = (await h.as(officer).get(`/control/v1/incidents/${prompt.body.id}`).expect(200)).body;
    expect(promptView.unitNotice).toMatchObject({ withinTwoHours: true });
    expect(promptView.unitNotice.minutesAfterDetection).toBeLessThan(35);

    // An officer's incident keeps the time it was detected too; the unit's 2-hour duty is not judged on it.
    const detectedAt = new Date(Date.now() - 60 * MINUTE).toISOString();
    const opened = await h.as(officer).post('/control/v1/incidents').send({ reasonCode: 'PHISHING_CAMPAIGN', summary: 'Thư giả mạo', detectedAt }).expect(201);
    const officerView = (await h.as(officer).get(`/control/v1/incidents/${opened.body.id}`).expect(200)).body;
    expect(officerView).toMatchObject({ detectedAt, unitNotice: null, incidentContact: null });
  });

  it('records the 2-hour notice, the 24-hour official report and the 7-working-day review with their documents; the unit reads its own incident', async () => {
    const { connectionId } = await h.gateway.connection({ unit: UNIT, env: 'production' });
    const incident = (await report(connectionId, { detectedAt: new Date(Date.now() - 20 * MINUTE).toISOString() }).expect(201)).body;
    const sec = h.as(officer);
    await sec.post(`/control/v1/incidents/${incident.id}/classification`).send({ severity: 'SERIOUS' }).expect(200);
    const documentId = (await sec.post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201)).body.documentId;
    const document = (number: string, recipient: string) => ({ number, date: todayInVietnam(), recipient, documentId });
    const step = (body: Record<string, unknown>) => sec.post(`/control/v1/incidents/${incident.id}/steps`).send(body);

    const noDocument = await step({ step: 'REPORTED_TO_AUTHORITY' }).expect(400);
    expect(noDocument.body.details).toEqual([{ field: 'document', problem: expect.stringContaining('is required for REPORTED_TO_AUTHORITY') }]);
    const partial = await step({ step: 'REPORTED_TO_AUTHORITY', document: { number: '1/TB', date: '04/12/2026' } }).expect(400);
    expect(new Set(partial.body.details.map((d: { field: string }) => d.field))).toEqual(new Set(['document.date', 'document.documentId', 'document.recipient']));
    const unknownFile = await step({ step: 'REPORTED_TO_AUTHORITY', document: { ...document('1/TB', 'A05'), documentId: '0b7e1c5e-8b1a-4d8e-9a51-6a3c1b0d9f00' } }).expect(400);
    expect(unknownFile.body.details).toEqual([{ field: 'document.documentId', problem: 'is not a document you uploaded' }]);

    await step({ step: 'REPORTED_TO_AUTHORITY', document: document('12/TB-CĐS', 'Cục A05, Bộ Công an') }).expect(200);
    await step({ step: 'OFFICIAL_REPORT_SENT', document: document('13/BC-CĐS', 'Lãnh đạo Văn phòng Trung ương Đảng') }).expect(200);
    await step({ step: 'REVIEW_WRITTEN', document: document('14/BC-CĐS', 'Cục A05, Bộ Công an') }).expect(200);
    await step({ step: 'CLOSED' }).expect(200);
    const detail = (await sec.get(`/control/v1/incidents/${incident.id}`).expect(200)).body;
    expect(detail).toMatchObject({
      reportDocument: { number: '12/TB-CĐS', date: todayInVietnam(), recipient: 'Cục A05, Bộ Công an', documentId },
      officialReportDocument: { number: '13/BC-CĐS', recipient: 'Lãnh đạo Văn phòng Trung ương Đảng', documentId },
      reviewDocument: { number: '14/BC-CĐS', documentId },
      closedAt: expect.any(String),
    });

    // The unit reads its own incident, the steps and their documents, but not the officers' list, nor another unit's.
    const own = await h.as(unitAdmin).get(`/control/v1/connections/${connectionId}/incidents/${incident.id}`).expect(200);
    expect(own.body).toMatchObject({ id: incident.id, reportDocument: { number: '12/TB-CĐS' }, unitNotice: { withinTwoHours: true }, closedAt: expect.any(String) });
    expect(own.body.evidence).toBeUndefined();
    expect((await h.as(unitAdmin).get(`/control/v1/connections/${connectionId}/incidents`).expect(200)).body.items.map((i: { id: string }) => i.id)).toEqual([incident.id]);
    await h.as(unitAdmin).get(`/control/v1/incidents/${incident.id}`).expect(403);
    await h.as(otherUnitAdmin).get(`/control/v1/connections/${connectionId}/incidents/${incident.id}`).expect(404);
    // An incident of another connection is not found through this one.
    const { connectionId: second } = await h.gateway.connection({ unit: UNIT, env: 'production' });
    await h.as(unitAdmin).get(`/control/v1/connections/${second}/incidents/${incident.id}`).expect(404);
    await h.as(officer).get(`/control/v1/connections/${connectionId}/incidents/${incident.id}`).expect(403);
  });

  it("takes the unit's own official report once, judged against 24 hours from detection, kept as evidence and in the audit log", async () => {
    const { connectionId } = await h.gateway.connection({ unit: UNIT, env: 'production' });
    const prompt = (await report(connectionId, { detectedAt: new Date(Date.now() - 30 * MINUTE).toISOString() }).expect(201)).body;
    const late = (await report(connectionId, { detectedAt: new Date(Date.now() - 25 * 60 * MINUTE).toISOString() }).expect(201)).body;
    // Before it is filed: due 24 hours after detection; the late one is overdue already.
    expect(prompt.unitReport).toMatchObject({ filedAt: null, document: null, onTime: null, overdue: false });
    expect(Date.parse(prompt.unitReport.due)).toBe(Date.parse(prompt.detectedAt) + 24 * 60 * MINUTE);
    expect(late.unitReport).toMatchObject({ filedAt: null, overdue: true });

    const unit = h.as(unitAdmin);
    const scan = (await unit.post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201)).body.documentId;
    const file = (incidentId: string, body: Record<string, unknown>, as = unit) => as.post(`/control/v1/connections/${connectionId}/incidents/${incidentId}/unit-report`).send(body);
    const document = { number: '27/BC-BYT', date: todayInVietnam(), recipient: 'Cục Chuyển đổi số', documentId: scan };

    const partial = await file(prompt.id, { number: '27/BC-BYT' }).expect(400);
    expect(new Set(partial.body.details.map((d: { field: string }) => d.field))).toEqual(new Set(['date', 'recipient', 'documentId']));
    const tomorrow = new Date(Date.parse(`${todayInVietnam()}T00:00:00Z`) + 24 * 60 * MINUTE).toISOString().slice(0, 10);
    expect((await file(prompt.id, { ...document, date: tomorrow }).expect(400)).body.details).toEqual([{ field: 'date', problem: expect.stringContaining('must not be in the future') }]);
    // Nor before the incident was detected (the late one, the day before or so).
    const detectedOn = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(late.detectedAt));
    const dayBefore = new Date(Date.parse(`${detectedOn}T00:00:00Z`) - 24 * 60 * MINUTE).toISOString().slice(0, 10);
    const early = await file(late.id, { ...document, date: dayBefore }).expect(400);
    expect(early.body.details).toEqual([{ field: 'date', problem: `must not be before the day the incident was detected (${detectedOn})` }]);
    // A scan the officers uploaded is not the unit's to send.
    const officersScan = (await h.as(officer).post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201)).body.documentId;
    expect((await file(prompt.id, { ...document, documentId: officersScan }).expect(400)).body.details).toEqual([{ field: 'documentId', problem: 'is not a document you uploaded' }]);

    const filed = (await file(prompt.id, document).expect(200)).body;
    expect(filed.unitReport).toMatchObject({ document, onTime: true, overdue: false, filedAt: expect.any(String) });
    // The connection's history keeps it beside the notice, in the unit administrator's name.
    const [step] = (await unit.get(`/control/v1/connections/${connectionId}/history?action=unitIncidentOfficialReport`).expect(200)).body.items;
    expect(step).toMatchObject({ changes: { incidentId: prompt.id, number: '27/BC-BYT', documentId: scan }, actorName: expect.stringContaining('moh.admin') });
    const again = await file(prompt.id, document).expect(409);
    expect(again.body).toMatchObject({ code: 'UNIT_REPORT_ALREADY_FILED', messageVi: 'Đơn vị đã gửi báo cáo chính thức về sự cố này' });
    expect((await file(late.id, document).expect(200)).body.unitReport).toMatchObject({ onTime: false, overdue: false });

    // The unit is reminded once of a report still owed in its last 6 hours (or past them), not of one filed.
    const unfiled = (await report(connectionId, { detectedAt: new Date(Date.now() - 19 * 60 * MINUTE).toISOString() }).expect(201)).body;
    const fresh = (await report(connectionId, { detectedAt: new Date(Date.now() - 10 * MINUTE).toISOString() }).expect(201)).body;
    await h.control.get(RemindersService).scan();
    await h.control.get(RemindersService).scan();
    const reminders = (await unit.get('/control/v1/notifications').expect(200)).body.items.filter((n: { kind: string }) => n.kind === 'UNIT_INCIDENT_REPORT_DUE');
    expect(reminders.map((n: { data: { incidentId: string } }) => n.data.incidentId)).toEqual([unfiled.id]);
    expect(reminders[0].messageVi).toMatch(/^Báo cáo chính thức về sự cố đơn vị đã thông báo phải gửi trước \d{2}:\d{2} \d{2}\/\d{2}\/\d{4} \(24 giờ/);
    expect(fresh.unitReport.overdue).toBe(false);

    // The officers see it, sealed as evidence beside the notice.
    const detail = (await h.as(officer).get(`/control/v1/incidents/${prompt.id}`).expect(200)).body;
    expect(detail.unitReport).toMatchObject({ document: { number: '27/BC-BYT', recipient: 'Cục Chuyển đổi số', documentId: scan }, onTime: true });
    const sealed = detail.evidence.find((e: { kind: string }) => e.kind === 'unit-official-report');
    // And told at once, with whether it came on time.
    const alerts = (await h.as(officer).get('/control/v1/security-alerts').query({ limit: 100 }).expect(200)).body.items.filter((a: { kind: string }) => a.kind === 'UNIT_INCIDENT_REPORT_FILED');
    expect(alerts.map((a: { incidentId: string; body: { onTime: boolean; document: { number: string } } }) => [a.incidentId, a.body.onTime, a.body.document.number])).toEqual([
      [late.id, false, '27/BC-BYT'],
      [prompt.id, true, '27/BC-BYT'],
    ]);
    expect(sealed).toMatchObject({ intact: true, recordedBy: 'moh.admin', content: { number: '27/BC-BYT', filedBy: 'moh.admin' } });

    // Only on the unit's own incidents it reported: not the DTD's, not another connection's, not another unit's.
    const officers = (await h.as(officer).post('/control/v1/incidents').send({ connectionId, reasonCode: 'PROBE_SUSPECTED', summary: 'Dò quét' }).expect(201)).body;
    expect((await file(officers.id, document).expect(409)).body.code).toBe('NOT_A_UNIT_REPORT');
    const { connectionId: second } = await h.gateway.connection({ unit: UNIT, env: 'production' });
    await unit.post(`/control/v1/connections/${second}/incidents/${late.id}/unit-report`).send(document).expect(404);
    await file(late.id, document, h.as(otherUnitAdmin)).expect(404);
    await file(late.id, document, h.as(officer)).expect(403);

    const { body: audit } = await h.as(auditor).get('/control/v1/audit/entries').query({ actor: 'moh.admin', limit: 100 }).expect(200);
    // On the connection, as the unit's other incident routes; the incident is in the entry's details.
    expect(audit.entries).toContainEqual(expect.objectContaining({ action: 'incidents.reportAsUnit', connectionId, statusCode: 200, details: expect.objectContaining({ incidentId: prompt.id }) }));
  });
});
