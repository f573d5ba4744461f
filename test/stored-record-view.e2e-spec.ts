import { computedFieldsSql, recordViewSql, storedViewDdl, withComputedFields } from '../src/data-exchange/shared/record-view.js';
import { KPI_RESULT_SCHEMA } from '../src/data-exchange/kpi-results/kpi-result.schema.js';
import { TASK_RESULT_SCHEMA } from '../src/data-exchange/task-results/task-result.schema.js';
import { STORED_VIEW_DDL } from '../src/shared/database/migrations/1798500000001-stored-record-view.js';
import { GatewayHarness, kpiResult, taskResult } from './support/gateway-harness.js';
import { resetDatabase, sql } from './support/test-database.js';

const MOF = 'Bộ Tài chính';
const MOJ = 'Bộ Tư pháp';
const SCHEMAS = [TASK_RESULT_SCHEMA, KPI_RESULT_SCHEMA];

/**
 * `view_json`, the record as consumers see it, is kept by a trigger (migration 1798500000001) and
 * sent as it is by pulls and reads; what the code says the view is lives in recordViewSql(). These
 * hold the two together through every kind of write the data plane makes.
 */
describe('stored record view', () => {
  let harness: GatewayHarness;
  beforeAll(async () => {
    await resetDatabase();
    harness = await GatewayHarness.start({ CLASSIFIED_RECORDS: 'accept' });
  });
  afterAll(() => harness.stop());

  /** Per table: rows, rows whose stored view differs from the view computed now, and rows of each shape. */
  const drift = (schema: (typeof SCHEMAS)[number]) =>
    sql<{ rows: number; drifted: number; revoked: number; classified: number; flowed: number }>(
      `SELECT count(*)::int AS rows,
              count(*) FILTER (WHERE view_json IS DISTINCT FROM ${recordViewSql(schema)})::int AS drifted,
              count(*) FILTER (WHERE revoked)::int AS revoked,
              count(*) FILTER (WHERE classification <> 'UNCLASSIFIED' AND NOT revoked)::int AS classified,
              count(*) FILTER (WHERE review_status <> 'PENDING' OR dispute_status IS NOT NULL OR received_at IS NOT NULL)::int AS flowed
         FROM ${schema.table}`,
    ).then((rows) => rows[0]);

  it('equals the view the code defines after creates, updates, classification, revocation and every flow step', async () => {
    const assigner = await harness.as(
      await harness.connection({ unit: 'Văn phòng Thường trực', scope: { writeUnits: [MOF, MOJ], readUnits: [MOF, MOJ], classifiedClearance: 'SECRET', roles: { 'task-results': 'ASSIGNER', 'kpi-results': 'ASSIGNER' } } }),
    );
    const reporter = await harness.as(await harness.connection({ unit: MOF, scope: { classifiedClearance: 'SECRET', roles: { 'task-results': 'REPORTER', 'kpi-results': 'REPORTER' } } }));

    for (const code of ['SV-OPEN', 'SV-FLOW', 'SV-GONE']) {
      await assigner.put(`/api/v1/task-results/${code}`).send(taskResult(code, MOF, { result: 'NOT_STARTED', description: undefined })).expect(201);
    }
    await assigner.put('/api/v1/task-results/SV-SECRET').send(taskResult('SV-SECRET', MOF, { classification: 'SECRET', description: undefined })).expect(201);
    await reporter.post('/api/v1/task-results/SV-FLOW/receipt').expect(200);
    await reporter.post('/api/v1/task-results/SV-FLOW/disputes').send({ reason: 'Không thuộc chức năng của Bộ' }).expect(200);
    await assigner.put('/api/v1/task-results/SV-FLOW').send(taskResult('SV-FLOW', MOF, { result: 'NOT_STARTED', description: undefined, taskName: 'Nhiệm vụ "đã sửa" — Ủy ban' })).expect(200);
    await reporter.put('/api/v1/task-results/SV-FLOW').send({ result: 'COMPLETED', completedAt: '2026-06-01', description: 'Đã ban hành\nkèm phụ lục' }).expect(200);
    await assigner.post('/api/v1/task-results/SV-FLOW/reviews').send({ decision: 'RETURNED', explanation: 'Thiếu tài liệu sở cứ' }).expect(200);
    await assigner.delete('/api/v1/task-results/SV-GONE').expect(200);

    const kpis = [kpiResult('SV.01', '2026', MOF), kpiResult('SV.02', '2026', MOF, { classification: 'CONFIDENTIAL' }), kpiResult('SV.03', '2026', MOF)];
    const batch = await assigner.post('/api/v1/kpi-results/batch').send({ items: kpis }).expect(200);
    expect(batch.body.items.map((i: { status: string }) => i.status)).toEqual(['created', 'created', 'created']);
    await reporter.post('/api/v1/kpi-results/SV.01/2026/receipt').expect(200);
    await assigner.delete('/api/v1/kpi-results/SV.03/2026').expect(200);

    const tasks = await drift(TASK_RESULT_SCHEMA);
    expect(tasks).toEqual({ rows: 4, drifted: 0, revoked: 1, classified: 1, flowed: 1 });
    const indicators = await drift(KPI_RESULT_SCHEMA);
    expect(indicators).toEqual({ rows: 3, drifted: 0, revoked: 1, classified: 1, flowed: 1 });

    // What a consumer gets is the stored view, with the deadline signal computed at read time.
    const page = (await assigner.get('/api/v1/task-results?limit=100').expect(200)).body.items as Array<Record<string, unknown>>;
    const flowed = page.find((i) => i.taskCode === 'SV-FLOW')!;
    const [stored] = await sql<{ view: Record<string, unknown> }>(`SELECT view_json::json AS view FROM task_results WHERE task_code = 'SV-FLOW'`);
    expect(flowed).toEqual({ ...stored.view, deadlineStatus: expect.any(String), deadlineColor: expect.any(String) });
    expect(flowed).toMatchObject({ taskName: 'Nhiệm vụ "đã sửa" — Ủy ban', reviewStatus: 'RETURNED', reviewExplanation: 'Thiếu tài liệu sở cứ', disputeStatus: 'ANSWERED' });
    expect((await assigner.get('/api/v1/task-results/SV-FLOW').expect(200)).body).toEqual(flowed);
  });

  it('cannot be written around: whatever a statement puts in view_json, the trigger writes the view', async () => {
    await sql(`UPDATE task_results SET view_json = '{"forged":true}' WHERE task_code = 'SV-OPEN'`);
    expect((await drift(TASK_RESULT_SCHEMA)).drifted).toBe(0);
  });

  it('is kept by the DDL the code would write today: a new field needs a new migration', () => {
    for (const schema of SCHEMAS) expect(STORED_VIEW_DDL[schema.table]).toBe(storedViewDdl(schema));
  });

  it('ends a view with the computed fields of the case the expression picks, as PostgreSQL reads the constants', async () => {
    const cases = { A: { status: 'A', note: `it's "quoted" \\ ủy ban` }, B: { status: 'B', count: 2, late: true } };
    const rows = await sql<{ x: string; tail: string | null }>(
      `SELECT x, ${computedFieldsSql({ by: 'x', cases })} AS tail FROM (VALUES ('A', false), ('B', false), ('A', true), ('C', false)) r(x, revoked) ORDER BY x, revoked`,
    );
    const view = '{"code":"R-1"}';
    expect(rows.map((r) => [r.x, r.tail === null ? null : JSON.parse(withComputedFields(view, r.tail))])).toEqual([
      ['A', { code: 'R-1', ...cases.A }],
      ['A', null], // a tombstone carries no computed fields
      ['B', { code: 'R-1', ...cases.B }],
      ['C', null], // a value no case names
    ]);
    expect(computedFieldsSql()).toBe('NULL::text');
  });
});
