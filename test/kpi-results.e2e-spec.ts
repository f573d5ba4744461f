import { GatewayHarness, kpiResult, taskResult } from './support/gateway-harness.js';
import { resetDatabase } from './support/test-database.js';

const MOF = 'Bộ Tài chính';
// Not Bộ Kế hoạch và Đầu tư: merged into Bộ Tài chính on 1 March 2025, the register makes it MOF's predecessor.
const MPI = 'Bộ Xây dựng';

describe('KPI results: push, pull, revoke', () => {
  let harness: GatewayHarness;
  let mof: Awaited<ReturnType<GatewayHarness['as']>>;

  beforeAll(async () => {
    await resetDatabase();
    harness = await GatewayHarness.start();
    mof = await harness.as(await harness.connection({ unit: MOF }));
  });
  afterAll(() => harness.stop());

  it('creates one result per indicator and period, idempotently, accepting numbers as decimal text', async () => {
    const { indicatorCode: _i, period: _p, ...body } = kpiResult('A.02.01', '2026-Q2', MOF, { periodResult: 46.5 });
    const created = await mof.put('/api/v1/kpi-results/A.02.01/2026-Q2').send(body).expect(201);
    expect(created.body).toMatchObject({ indicatorCode: 'A.02.01', period: '2026-Q2', periodType: 'QUARTER', periodResult: '46.5', version: 1 });
    expect(created.headers.etag).toBe('"1"');
    await mof.put('/api/v1/kpi-results/A.02.01/2026-Q2').send(body).expect(200);
    await mof.put('/api/v1/kpi-results/A.02.01/2026-Q3').send({ ...body, periodType: 'QUARTER' }).expect(201);
    const one = await mof.get('/api/v1/kpi-results/A.02.01/2026-Q2').expect(200);
    expect(one.body.version).toBe(1);
  });

  it.each([
    ['a period that does not match its type', '2026-05', { periodType: 'QUARTER' }, 'period', 'must be written like 2026-Q2 for periodType QUARTER'],
    ['a period type outside its set', '2026', { periodType: 'DECADE' }, 'periodType', 'must be one of MONTH, QUARTER, HALF_YEAR, YEAR, AD_HOC'],
    ['a missing result', '2026', { periodResult: undefined }, 'periodResult', 'must be a string'],
  ])('refuses %s with 400 naming the field', async (_label, period, change, field, problem) => {
    const response = await mof.put(`/api/v1/kpi-results/A.09/${period}`).send(kpiResult('A.09', period, MOF, change)).expect(400);
    expect(response.body.details).toContainEqual({ field, problem: expect.stringContaining(problem) });
  });

  it('takes half-year (6 tháng) and ad hoc (đột xuất) periods, and filters pulls by them', async () => {
    for (const period of ['2026-H1', '2026-H2', '2026-06-15']) {
      const { indicatorCode: _i, period: _p, ...body } = kpiResult('H.01', period, MOF);
      const created = await mof.put(`/api/v1/kpi-results/H.01/${period}`).send(body).expect(201);
      expect(created.body).toMatchObject({ period, periodType: period.includes('H') ? 'HALF_YEAR' : 'AD_HOC' });
    }
    const halves = await mof.get('/api/v1/kpi-results?periodType=HALF_YEAR').expect(200);
    expect(halves.body.items.map((i: { period: string }) => i.period).sort()).toEqual(['2026-H1', '2026-H2']);
    const adHoc = await mof.get('/api/v1/kpi-results?periodType=AD_HOC').expect(200);
    expect(adHoc.body.items.map((i: { period: string }) => i.period)).toEqual(['2026-06-15']);
    const wrong = await mof.put('/api/v1/kpi-results/H.01/2026-H3').send(kpiResult('H.01', '2026-H3', MOF, { periodType: 'HALF_YEAR' })).expect(400);
    expect(wrong.body.details[0]).toEqual({ field: 'period', problem: 'must be YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY or YYYY-MM-DD' });
  });

  it('refuses a malformed period in the path with 400', async () => {
    const response = await mof.get('/api/v1/kpi-results/A.02.01/Q2-2026').expect(400);
    expect(response.body.details[0].field).toBe('period');
  });

  it('batches with per-item outcomes and filters pulls', async () => {
    const response = await mof
      .post('/api/v1/kpi-results/batch')
      .send({
        items: [
          kpiResult('B.01', '2026-05', MOF),
          kpiResult('B.01', '2026-06', MOF),
          kpiResult('B.02', '2026', MOF),
          kpiResult('B.03', '2026-13', MOF),
          kpiResult('B.04', '2026', MPI),
        ],
      })
      .expect(200);
    expect(response.body.items.map((i: { key: string; status: string }) => `${i.key}:${i.status}`)).toEqual([
      'B.01/2026-05:created',
      'B.01/2026-06:created',
      'B.02/2026:created',
      'B.03/2026-13:rejected',
      'B.04/2026:rejected',
    ]);
    const months = await mof.get('/api/v1/kpi-results?periodType=MONTH').expect(200);
    expect(months.body.items.map((i: { period: string }) => i.period)).toEqual(['2026-05', '2026-06']);
    const june = await mof.get('/api/v1/kpi-results?period=2026-06').expect(200);
    expect(june.body.items).toHaveLength(1);
    await mof.get(`/api/v1/kpi-results?reportingAgency=${encodeURIComponent(MPI)}`).expect(403);
    // The paging and change-feed parameters every pull shares are checked here too.
    const limited = await mof.get('/api/v1/kpi-results?periodType=MONTH&limit=1').expect(200);
    expect(limited.body.items.map((i: { period: string }) => i.period)).toEqual(['2026-05']);
    for (const [query, field] of [['limit=0', 'limit'], ['limit=501', 'limit'], ['updatedSince=yesterday', 'updatedSince'], ['periodType=WEEK', 'periodType']]) {
      expect((await mof.get(`/api/v1/kpi-results?${query}`).expect(400)).body.details[0].field).toBe(field);
    }
  });

  it('keeps the feeds of the two data sets apart, first pages and cached pages alike', async () => {
    const both = await harness.as(await harness.connection({ unit: MOF }));
    await both.put('/api/v1/task-results/FEEDS_APART').send(taskResult('FEEDS_APART', MOF)).expect(201);
    for (let round = 0; round < 2; round++) {
      const tasks = (await both.get('/api/v1/task-results').expect(200)).body.items;
      const kpis = (await both.get('/api/v1/kpi-results').expect(200)).body.items;
      expect(tasks.map((i: { taskCode?: string }) => i.taskCode)).toEqual(['FEEDS_APART']);
      expect(kpis.length).toBeGreaterThan(0);
      expect(kpis.every((i: { indicatorCode?: string }) => typeof i.indicatorCode === 'string')).toBe(true);
    }
  });

  it('withholds progress narrative from classified KPI results', async () => {
    const refused = await mof
      .put('/api/v1/kpi-results/C.01/2026')
      .send(kpiResult('C.01', '2026', MOF, { classification: 'SECRET', progressDescription: 'chi tiết' }))
      .expect(400);
    expect(refused.body.details[0].field).toBe('progressDescription');
  });

  it('revokes a result and shows the tombstone to incremental pulls', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    await mof.put('/api/v1/kpi-results/R.01/2026').send(kpiResult('R.01', '2026', MOF)).expect(201);
    const revoked = await mof.delete('/api/v1/kpi-results/R.01/2026').expect(200);
    expect(revoked.body).toEqual({ indicatorCode: 'R.01', period: '2026', reportingAgencyCode: 'GW-BTC', revoked: true, revokedAt: expect.any(String) });
    await mof.get('/api/v1/kpi-results/R.01/2026').expect(404);
    const pulled = await mof.get(`/api/v1/kpi-results?updatedSince=${encodeURIComponent(since)}&period=2026`).expect(200);
    expect(pulled.body.items).toContainEqual({ indicatorCode: 'R.01', period: '2026', reportingAgencyCode: 'GW-BTC', revoked: true, revokedAt: revoked.body.revokedAt });
  });
});
