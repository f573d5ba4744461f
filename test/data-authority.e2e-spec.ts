import { GatewayHarness, kpiResult, taskResult } from './support/gateway-harness.js';
import { resetDatabase } from './support/test-database.js';

const MOF = 'Bộ Tài chính';
const MOJ = 'Bộ Tư pháp';

type Caller = Awaited<ReturnType<GatewayHarness['as']>>;

/** PRODUCT.md §3a: who assigns, who reports — roles per data set and one field-ownership table. */
describe('data authority: roles and field ownership', () => {
  let harness: GatewayHarness;
  let assigner: Caller;
  let reporter: Caller;
  let reader: Caller;

  beforeAll(async () => {
    await resetDatabase();
    harness = await GatewayHarness.start();
    // The Standing Agency's system assigns to both ministries; each ministry's system reports for itself.
    assigner = await harness.as(
      await harness.connection({ unit: 'Văn phòng Thường trực', scope: { writeUnits: [MOF, MOJ], readUnits: [MOF, MOJ], roles: { 'task-results': 'ASSIGNER', 'kpi-results': 'ASSIGNER' } } }),
    );
    reporter = await harness.as(await harness.connection({ unit: MOF, scope: { roles: { 'task-results': 'REPORTER', 'kpi-results': 'REPORTER' } } }));
    reader = await harness.as(await harness.connection({ unit: MOF, scope: { roles: { 'task-results': 'READER', 'kpi-results': 'READER' } } }));
  });
  afterAll(() => harness.stop());

  const assign = (code: string, overrides: Record<string, unknown> = {}) =>
    assigner.put(`/api/v1/task-results/${code}`).send(taskResult(code, MOF, { result: 'NOT_STARTED', description: undefined, ...overrides })).expect(201);

  it('lets the reporter write the result fields, leaving the assignment fields out (kept) or sending them unchanged', async () => {
    await assign('AUTH-1');
    const partial = await reporter
      .put('/api/v1/task-results/AUTH-1')
      .send({ leadUnit: MOF, result: 'COMPLETED', completedAt: '2026-06-01', description: 'Đã trình Chính phủ' })
      .expect(200);
    expect(partial.body).toMatchObject({ result: 'COMPLETED', completedAt: '2026-06-01', dueDate: '2027-12-31', priority: 2, taskName: 'Nhiệm vụ AUTH-1', version: 2 });

    const whole = taskResult('AUTH-1', MOF, { result: 'COMPLETED', completedAt: '2026-06-02', description: 'Đã ban hành' });
    const full = await reporter.put('/api/v1/task-results/AUTH-1').send(whole).expect(200);
    expect(full.body).toMatchObject({ completedAt: '2026-06-02', version: 3 });
  });

  it('refuses a reporter that moves its due date or priority: 403 with one row per field, nothing written', async () => {
    await assign('AUTH-2');
    const response = await reporter
      .put('/api/v1/task-results/AUTH-2')
      .send(taskResult('AUTH-2', MOF, { dueDate: '2028-06-30', priority: 5, result: 'IN_PROGRESS' }))
      .expect(403);
    expect(response.body).toMatchObject({ statusCode: 403, code: 'FIELD_NOT_OWNED', requestId: expect.any(String) });
    expect(response.body.details).toEqual([
      { field: 'dueDate', problem: 'owned by the ASSIGNER' },
      { field: 'priority', problem: 'owned by the ASSIGNER' },
    ]);
    const stored = await assigner.get('/api/v1/task-results/AUTH-2').expect(200);
    expect(stored.body).toMatchObject({ dueDate: '2027-12-31', priority: 2, result: 'NOT_STARTED', version: 1 });
  });

  it('refuses a reporter that creates a task (404 naming it) or revokes one (403)', async () => {
    const created = await reporter.put('/api/v1/task-results/AUTH-NEW').send(taskResult('AUTH-NEW', MOF)).expect(404);
    expect(created.body).toMatchObject({ code: 'NOT_ASSIGNED', message: expect.stringContaining('AUTH-NEW') });
    const partial = await reporter.put('/api/v1/task-results/AUTH-NEW2').send({ result: 'IN_PROGRESS' }).expect(404);
    expect(partial.body.details).toEqual([{ field: 'taskCode', problem: expect.stringContaining('AUTH-NEW2 has not been assigned') }]);
    await assigner.get('/api/v1/task-results/AUTH-NEW').expect(404);

    await assign('AUTH-3');
    const revoke = await reporter.delete('/api/v1/task-results/AUTH-3').expect(403);
    expect(revoke.body).toMatchObject({ code: 'DATA_ROLE_NOT_ALLOWED', message: expect.stringContaining('ASSIGNER') });
    await assigner.get('/api/v1/task-results/AUTH-3').expect(200);
  });

  it('in a batch rejects only the items that overstep, and writes the others', async () => {
    await assign('AUTH-B1');
    await assign('AUTH-B2');
    const response = await reporter
      .post('/api/v1/task-results/batch')
      .send({
        items: [
          taskResult('AUTH-B1', MOF, { result: 'IN_PROGRESS', description: 'Đang dự thảo' }),
          taskResult('AUTH-B2', MOF, { result: 'IN_PROGRESS', dueDate: '2029-01-01' }),
          taskResult('AUTH-B3', MOF),
        ],
      })
      .expect(200);
    expect(response.body.items).toEqual([
      { key: 'AUTH-B1', status: 'updated', version: 2 },
      { key: 'AUTH-B2', status: 'rejected', errors: [{ field: 'dueDate', problem: 'owned by the ASSIGNER' }] },
      { key: 'AUTH-B3', status: 'rejected', errors: [{ field: 'taskCode', problem: expect.stringContaining('has not been assigned') }] },
    ]);
    expect((await assigner.get('/api/v1/task-results/AUTH-B2').expect(200)).body.dueDate).toBe('2027-12-31');
  });

  it('lets the assigner change the assignment but not what the reporter reported', async () => {
    await assign('AUTH-4');
    await reporter.put('/api/v1/task-results/AUTH-4').send({ result: 'IN_PROGRESS', description: 'Đang làm' }).expect(200);
    const overwrite = await assigner.put('/api/v1/task-results/AUTH-4').send(taskResult('AUTH-4', MOF, { result: 'COMPLETED', completedAt: '2026-05-01', description: 'Đang làm' })).expect(403);
    expect(overwrite.body.details).toEqual([
      { field: 'result', problem: 'owned by the REPORTER' },
      { field: 'completedAt', problem: 'owned by the REPORTER' },
    ]);
    const moved = await assigner.put('/api/v1/task-results/AUTH-4').send(taskResult('AUTH-4', MOF, { result: 'IN_PROGRESS', description: 'Đang làm', dueDate: '2028-03-31' })).expect(200);
    expect(moved.body).toMatchObject({ dueDate: '2028-03-31', result: 'IN_PROGRESS', description: 'Đang làm' });
    await assigner.delete('/api/v1/task-results/AUTH-4').expect(200);
  });

  it('keeps a READER to reading', async () => {
    await assign('AUTH-5');
    const put = await reader.put('/api/v1/task-results/AUTH-5').send(taskResult('AUTH-5', MOF, { result: 'NOT_STARTED', description: undefined })).expect(403);
    expect(put.body.code).toBe('DATA_ROLE_NOT_ALLOWED');
    const batch = await reader.post('/api/v1/kpi-results/batch').send({ items: [] }).expect(403);
    expect(batch.body.code).toBe('DATA_ROLE_NOT_ALLOWED');
    await reader.get('/api/v1/task-results/AUTH-5').expect(200);
  });

  it('splits KPI results the same way: the definition and target to the assigner, the figures to the reporter', async () => {
    await assigner.put('/api/v1/kpi-results/A.02.01/2026-Q2').send(kpiResult('A.02.01', '2026-Q2', MOF, { periodResult: '0' })).expect(201);
    const figures = await reporter.put('/api/v1/kpi-results/A.02.01/2026-Q2').send({ reportingAgency: MOF, periodResult: '46.5', progressDescription: 'Tăng' }).expect(200);
    expect(figures.body).toMatchObject({ periodResult: '46.5', target: '>55% vào năm 2030', version: 2 });
    const target = await reporter.put('/api/v1/kpi-results/A.02.01/2026-Q2').send({ reportingAgency: MOF, periodResult: '46.5', target: '>40%' }).expect(403);
    expect(target.body.details).toEqual([{ field: 'target', problem: 'owned by the ASSIGNER' }]);
    await reporter.put('/api/v1/kpi-results/A.02.01/2026-Q3').send(kpiResult('A.02.01', '2026-Q3', MOF)).expect(404);
  });

  it('keeps the old behaviour for an agreement without roles: it writes every field, creates and revokes', async () => {
    const legacy = await harness.as(await harness.connection({ unit: MOJ }));
    await legacy.put('/api/v1/task-results/AUTH-L').send(taskResult('AUTH-L', MOJ)).expect(201);
    await legacy.put('/api/v1/task-results/AUTH-L').send(taskResult('AUTH-L', MOJ, { dueDate: '2028-01-01', result: 'COMPLETED', completedAt: '2026-04-01' })).expect(200);
    await legacy.delete('/api/v1/task-results/AUTH-L').expect(200);
  });
});
