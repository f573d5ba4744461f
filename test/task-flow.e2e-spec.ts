import { jest } from '@jest/globals';
import { Clock } from '../src/calendar/clock.js';
import { GatewayHarness, kpiResult, TestClient, taskResult } from './support/gateway-harness.js';
import { resetDatabase, sql } from './support/test-database.js';

const MOF = 'Bộ Tài chính';
const MOJ = 'Bộ Tư pháp';
const DAY = 24 * 3_600_000;

type Caller = Awaited<ReturnType<GatewayHarness['as']>>;

/** Appendix I on the data plane: assign, confirm, dispute, report, review — and every version kept. */
describe('task flow and version history', () => {
  let harness: GatewayHarness;
  let assignerClient: TestClient;
  let reporterClient: TestClient;
  let assigner: Caller;
  let reporter: Caller;

  beforeAll(async () => {
    await resetDatabase();
    harness = await GatewayHarness.start();
    assignerClient = await harness.connection({ unit: 'Văn phòng Thường trực', scope: { writeUnits: [MOF, MOJ], readUnits: [MOF, MOJ], roles: { 'task-results': 'ASSIGNER', 'kpi-results': 'ASSIGNER' } } });
    reporterClient = await harness.connection({ unit: MOF, scope: { roles: { 'task-results': 'REPORTER', 'kpi-results': 'REPORTER' } } });
    assigner = await harness.as(assignerClient);
    reporter = await harness.as(reporterClient);
    for (const code of ['FLOW-1', 'FLOW-2', 'FLOW-3', 'FLOW-4']) {
      await assigner.put(`/api/v1/task-results/${code}`).send(taskResult(code, MOF, { result: 'NOT_STARTED', description: undefined })).expect(201);
    }
  });
  afterAll(() => harness.stop());
  afterEach(() => jest.restoreAllMocks());

  it('lets the reporter confirm receipt once; the assigner may not', async () => {
    const first = await reporter.post('/api/v1/task-results/FLOW-1/receipt').expect(200);
    expect(first.body).toMatchObject({ receivedAt: expect.any(String), reviewStatus: 'PENDING', version: 2 });
    const again = await reporter.post('/api/v1/task-results/FLOW-1/receipt').expect(200);
    expect(again.body).toMatchObject({ receivedAt: first.body.receivedAt, version: 2 });
    const refused = await assigner.post('/api/v1/task-results/FLOW-1/receipt').expect(403);
    expect(refused.body.code).toBe('DATA_ROLE_NOT_ALLOWED');
  });

  it('takes a dispute with a reason within 8 working hours, and refuses one after them', async () => {
    const noReason = await reporter.post('/api/v1/task-results/FLOW-1/disputes').send({}).expect(400);
    expect(noReason.body.details).toContainEqual({ field: 'reason', problem: expect.any(String) });
    const disputed = await reporter.post('/api/v1/task-results/FLOW-1/disputes').send({ reason: 'Không thuộc chức năng của Bộ' }).expect(200);
    expect(disputed.body).toMatchObject({ disputeStatus: 'OPEN', disputeReason: 'Không thuộc chức năng của Bộ', disputedAt: expect.any(String) });

    // Ten calendar days later at least 8 working hours have passed, whatever the day today.
    jest.spyOn(harness.app.get(Clock), 'now').mockReturnValue(new Date(Date.now() + 10 * DAY));
    const late = await reporter.post('/api/v1/task-results/FLOW-2/disputes').send({ reason: 'Quá muộn' }).expect(409);
    expect(late.body).toMatchObject({ code: 'DISPUTE_WINDOW_CLOSED', message: expect.stringContaining('8 working hours') });
    expect((await reporter.get('/api/v1/task-results/FLOW-2').expect(200)).body.disputeStatus).toBeNull();
  });

  it('marks the dispute answered when the assigner changes the task', async () => {
    const answered = await assigner.put('/api/v1/task-results/FLOW-1').send(taskResult('FLOW-1', MOJ, { result: 'NOT_STARTED', description: undefined })).expect(200);
    expect(answered.body).toMatchObject({ leadUnit: MOJ, disputeStatus: 'ANSWERED' });
  });

  it('lets the assigner return a result with the explanation it requires, approve another, and pulls filter on it', async () => {
    await reporter.put('/api/v1/task-results/FLOW-2').send({ result: 'IN_PROGRESS', description: 'Đang dự thảo' }).expect(200);
    await reporter.put('/api/v1/task-results/FLOW-3').send({ result: 'COMPLETED', completedAt: '2026-06-01', description: 'Đã ban hành' }).expect(200);

    const bare = await assigner.post('/api/v1/task-results/FLOW-2/reviews').send({ decision: 'RETURNED' }).expect(400);
    expect(bare.body.details).toEqual([{ field: 'explanation', problem: expect.stringContaining('required when decision is RETURNED') }]);
    const wrong = await assigner.post('/api/v1/task-results/FLOW-2/reviews').send({ decision: 'OK' }).expect(400);
    expect(wrong.body.details).toContainEqual({ field: 'decision', problem: 'must be one of APPROVED, RETURNED' });
    const returned = await assigner.post('/api/v1/task-results/FLOW-2/reviews').send({ decision: 'RETURNED', explanation: 'Thiếu tài liệu sở cứ' }).expect(200);
    expect(returned.body).toMatchObject({ reviewStatus: 'RETURNED', reviewExplanation: 'Thiếu tài liệu sở cứ', reviewedAt: expect.any(String) });
    await assigner.post('/api/v1/task-results/FLOW-3/reviews').send({ decision: 'APPROVED' }).expect(200);
    expect((await reporter.post('/api/v1/task-results/FLOW-3/reviews').send({ decision: 'APPROVED' }).expect(403)).body.code).toBe('DATA_ROLE_NOT_ALLOWED');

    const approved = await assigner.get('/api/v1/task-results?reviewStatus=APPROVED').expect(200);
    expect(approved.body.items.map((t: { taskCode: string }) => t.taskCode)).toEqual(['FLOW-3']);
    const back = await assigner.get('/api/v1/task-results?reviewStatus=RETURNED').expect(200);
    expect(back.body.items.map((t: { taskCode: string }) => t.taskCode)).toEqual(['FLOW-2']);
    await assigner.get('/api/v1/task-results?reviewStatus=MAYBE').expect(400);

    // A new report after the review is not approved by it: PENDING again.
    const redone = await reporter.put('/api/v1/task-results/FLOW-2').send({ result: 'IN_PROGRESS', description: 'Đã bổ sung tài liệu' }).expect(200);
    expect(redone.body).toMatchObject({ reviewStatus: 'PENDING', reviewExplanation: 'Thiếu tài liệu sở cứ' });
    // Resending the same report changes nothing, so the approval holds.
    const same = await reporter.put('/api/v1/task-results/FLOW-3').send({ result: 'COMPLETED', completedAt: '2026-06-01', description: 'Đã ban hành' }).expect(200);
    expect(same.body.reviewStatus).toBe('APPROVED');
  });

  it('keeps every version with who sent it and when, tied to the audit entry', async () => {
    const response = await reporter.get('/api/v1/task-results/FLOW-2/versions').expect(200);
    const items = response.body.items as Array<Record<string, any>>;
    expect(items.map((v) => [v.version, v.change, v.connectionId, v.body.reviewStatus])).toEqual([
      [1, 'write', assignerClient.connectionId, 'PENDING'],
      [2, 'write', reporterClient.connectionId, 'PENDING'],
      [3, 'review', assignerClient.connectionId, 'RETURNED'],
      [4, 'write', reporterClient.connectionId, 'PENDING'],
    ]);
    expect(items[0]).toMatchObject({ certificateThumbprint: assignerClient.thumbprint, body: { result: 'NOT_STARTED', dueDate: '2027-12-31', description: null } });
    expect(items[1]).toMatchObject({ certificateThumbprint: reporterClient.thumbprint, body: { result: 'IN_PROGRESS', description: 'Đang dự thảo' } });
    expect(items[2].body).toMatchObject({ reviewExplanation: 'Thiếu tài liệu sở cứ' });
    expect(items[3].body).toMatchObject({ description: 'Đã bổ sung tài liệu' });
    const times = items.map((v) => Date.parse(v.recordedAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times.every((t) => Number.isFinite(t))).toBe(true);
    // The request id of each version is that of the audit entry that recorded the write.
    const audited = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_entries WHERE request_id = ANY($1::uuid[])`, [items.map((v) => v.requestId)]);
    expect(audited[0].n).toBe(4);

    // Revocation is a version too, and the history stays readable after it.
    await assigner.delete('/api/v1/task-results/FLOW-4').expect(200);
    const revoked = await assigner.get('/api/v1/task-results/FLOW-4/versions').expect(200);
    expect(revoked.body.items.map((v: { change: string; body: { revoked: boolean } }) => [v.change, v.body.revoked])).toEqual([['write', false], ['revoke', true]]);
  });

  it('serves versions only to connections that may read the record', async () => {
    const outsider = await harness.as(await harness.connection({ unit: 'Bộ Y tế', scope: { roles: { 'task-results': 'READER' } } }));
    await outsider.get('/api/v1/task-results/FLOW-2/versions').expect(404);
    await reporter.get('/api/v1/task-results/NO-SUCH/versions').expect(404);

    // A classified record does not exist for a reader without clearance, its history included.
    await assigner.put('/api/v1/task-results/FLOW-SECRET').send(taskResult('FLOW-SECRET', MOF, { result: 'NOT_STARTED', description: undefined, classification: 'CONFIDENTIAL' })).expect(201);
    const uncleared = await harness.as(await harness.connection({ unit: MOF, scope: { directions: ['pull'], roles: { 'task-results': 'READER' } } }));
    await uncleared.get('/api/v1/task-results/FLOW-SECRET/versions').expect(404);
    const own = await assigner.get('/api/v1/task-results/FLOW-SECRET/versions').expect(200);
    expect(own.body.items[0].body).not.toHaveProperty('description');
    expect(own.body.items[0].body).toMatchObject({ classification: 'CONFIDENTIAL', result: 'NOT_STARTED' });
  });

  it('runs the same flow for KPI results', async () => {
    await assigner.put('/api/v1/kpi-results/A.02.01/2026-Q2').send(kpiResult('A.02.01', '2026-Q2', MOF, { periodResult: '0' })).expect(201);
    await reporter.post('/api/v1/kpi-results/A.02.01/2026-Q2/receipt').expect(200);
    await reporter.put('/api/v1/kpi-results/A.02.01/2026-Q2').send({ reportingAgency: MOF, periodResult: '46.5' }).expect(200);
    const reviewed = await assigner.post('/api/v1/kpi-results/A.02.01/2026-Q2/reviews').send({ decision: 'APPROVED' }).expect(200);
    expect(reviewed.body).toMatchObject({ reviewStatus: 'APPROVED', periodResult: '46.5' });
    expect((await assigner.get('/api/v1/kpi-results?reviewStatus=APPROVED').expect(200)).body.items).toHaveLength(1);
    const versions = await reporter.get('/api/v1/kpi-results/A.02.01/2026-Q2/versions').expect(200);
    expect(versions.body.items.map((v: { change: string }) => v.change)).toEqual(['write', 'receipt', 'write', 'review']);
  });
});
