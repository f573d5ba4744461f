import { KPI_RESULT_SCHEMA } from '../src/data-exchange/kpi-results/kpi-result.schema.js';
import { recordViewSql, storedViewSql } from '../src/data-exchange/shared/record-view.js';
import type { RecordSchema } from '../src/data-exchange/shared/record-schema.js';
import { SqlParams } from '../src/data-exchange/shared/sql-params.js';
import { deadlineViewSql } from '../src/data-exchange/task-results/deadline-status.js';
import { TASK_RESULT_SCHEMA } from '../src/data-exchange/task-results/task-result.schema.js';
import { GatewayHarness, kpiResult, taskResult } from './support/gateway-harness.js';
import { resetDatabase, sql } from './support/test-database.js';

const MOF = 'Bộ Tài chính';

/**
 * Pages are assembled from `view_json`, which a database trigger keeps at every write (migration
 * 1798500000001). It must be, byte for byte, the view the code builds from the row's columns
 * (record-view.ts): for every kind of record (open, classified, revoked, in every flow state) and
 * with a query's computed fields appended. When the view in code changes without a migration
 * replacing the trigger, this fails.
 */
describe('the stored record view', () => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    await resetDatabase();
    harness = await GatewayHarness.start();
    const client = await harness.as(await harness.connection({ unit: MOF, scope: { classifiedClearance: 'SECRET' } }));
    const tasks = [
      taskResult('SV-OPEN', MOF, { difficulties: 'Thiếu "nhân lực"\nvà kinh phí', proposals: null }),
      taskResult('SV-CONF', MOF, { classification: 'CONFIDENTIAL', description: undefined }),
      taskResult('SV-DONE', MOF, { result: 'COMPLETED', completedAt: '2026-04-10', dueDate: '2026-04-05' }),
      taskResult('SV-GONE', MOF),
      taskResult('SV-FLOW', MOF, { result: 'NOT_STARTED', description: undefined }),
    ];
    for (const t of tasks) {
      const res = await client.put(`/api/v1/task-results/${t.taskCode}`).send(t);
      expect([res.status, res.body.details]).toEqual([201, undefined]);
    }
    await client.delete('/api/v1/task-results/SV-GONE').expect(200);
    await client.post('/api/v1/task-results/SV-FLOW/receipt').expect(200);
    await client.post('/api/v1/task-results/SV-FLOW/disputes').send({ reason: 'Không thuộc chức năng' }).expect(200);
    await client.post('/api/v1/task-results/SV-DONE/reviews').send({ decision: 'RETURNED', explanation: 'Thiếu minh chứng' }).expect(200);
    for (const [code, overrides] of [['SV.01', {}], ['SV.02', { classification: 'SECRET' }], ['SV.03', {}]] as const) {
      await client.put(`/api/v1/kpi-results/${code}/2026`).send(kpiResult(code, '2026', MOF, overrides)).expect(201);
    }
    await client.delete('/api/v1/kpi-results/SV.03/2026').expect(200);
  }, 60_000);
  afterAll(() => harness.stop());

  it.each([
    ['task results', TASK_RESULT_SCHEMA, 5],
    ['KPI results', KPI_RESULT_SCHEMA, 3],
  ] as const)('stores for %s what the code builds from the columns', async (_name, schema: RecordSchema, count) => {
    const rows = await sql<{ stored: string; live: string }>(`SELECT view_json AS stored, ${recordViewSql(schema)} AS live FROM ${schema.table} ORDER BY change_seq`);
    expect(rows).toHaveLength(count);
    for (const row of rows) expect(row.stored).toBe(row.live);
  });

  it('appends the computed fields of a query exactly as json_build_object would have written them', async () => {
    const params = new SqlParams();
    const select = deadlineViewSql(params, '2026-06-01', 7);
    const rows = await sql<{ stored: string; live: string }>(
      `SELECT ${storedViewSql(select)} AS stored, ${recordViewSql(TASK_RESULT_SCHEMA, select)} AS live FROM task_results ORDER BY change_seq`,
      params.values,
    );
    expect(rows.map((r) => JSON.parse(r.stored).deadlineStatus ?? 'tombstone')).toEqual(['ON_TIME', 'ON_TIME', 'tombstone', 'ON_TIME', 'COMPLETED_LATE']); // in change order: the review came last
    for (const row of rows) expect(row.stored).toBe(row.live);
  });

  it('serves pulls from it', async () => {
    const client = await harness.as(await harness.connection({ unit: MOF, name: 'reader', scope: { classifiedClearance: 'SECRET' } }));
    const page = (await client.get('/api/v1/task-results').expect(200)).body;
    const flow = page.items.find((i: { taskCode: string }) => i.taskCode === 'SV-FLOW');
    expect(flow).toMatchObject({ disputeStatus: 'OPEN', disputeReason: 'Không thuộc chức năng', receivedAt: expect.any(String), deadlineStatus: expect.any(String) });
    expect(page.items.map((i: { taskCode: string }) => i.taskCode)).toEqual(['SV-OPEN', 'SV-CONF', 'SV-FLOW', 'SV-DONE']); // a first pull leaves tombstones out
  });
});
