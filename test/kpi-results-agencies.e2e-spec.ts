import { GatewayHarness, kpiResult } from './support/gateway-harness.js';
import { resetDatabase, sql } from './support/test-database.js';

const MOF = 'Bộ Tài chính';
const MOJ = 'Bộ Tư pháp';
const ROLES = (role: 'ASSIGNER' | 'REPORTER') => ({ 'task-results': role, 'kpi-results': role });

type Caller = Awaited<ReturnType<GatewayHarness['as']>>;
type Kpi = { reportingAgencyCode: string; periodResult: string; version: number; reviewStatus: string };

/**
 * Issue 14.5: a KPI result's key includes the reporting agency. One indicator reported for one
 * period by two agencies is two records; neither overwrites the other, and every way to reach a
 * record (read, write, revoke, flow steps, versions) names the agency where it must.
 */
describe('KPI results keyed by reporting agency', () => {
  let harness: GatewayHarness;
  let assigner: Caller;
  let mof: Caller;
  let moj: Caller;

  beforeAll(async () => {
    await resetDatabase();
    harness = await GatewayHarness.start();
    assigner = await harness.as(await harness.connection({ unit: 'Văn phòng Thường trực', scope: { writeUnits: [MOF, MOJ], readUnits: [MOF, MOJ], roles: ROLES('ASSIGNER') } }));
    mof = await harness.as(await harness.connection({ unit: MOF, scope: { roles: ROLES('REPORTER') } }));
    moj = await harness.as(await harness.connection({ unit: MOJ, scope: { roles: ROLES('REPORTER') } }));
  });
  afterAll(() => harness.stop());

  it('keeps one record per agency for the same indicator and period', async () => {
    const batch = await assigner
      .post('/api/v1/kpi-results/batch')
      .send({ items: [kpiResult('A.02.01', '2026-Q2', MOF, { periodResult: '0' }), kpiResult('A.02.01', '2026-Q2', MOJ, { periodResult: '0' }), kpiResult('A.02.01', '2026-Q2', MOF)] })
      .expect(200);
    // Outcome keys stay indicator/period, as clients were written against; the duplicate is the same agency's.
    expect(batch.body.items.map((i: { key: string; status: string }) => `${i.key}:${i.status}`)).toEqual(['A.02.01/2026-Q2:created', 'A.02.01/2026-Q2:created', 'A.02.01/2026-Q2:rejected']);
    expect(batch.body.items[2].errors[0].problem).toBe('appears more than once in this batch');

    const pulled = (await assigner.get('/api/v1/kpi-results?period=2026-Q2').expect(200)).body.items as Kpi[];
    expect(pulled.map((k) => k.reportingAgencyCode).sort()).toEqual(['GW-BTC', 'GW-BTP']);
  });

  it('asks for the agency where the caller sees several records, and not where it sees one', async () => {
    const ambiguous = await assigner.get('/api/v1/kpi-results/A.02.01/2026-Q2').expect(400);
    expect(ambiguous.body).toMatchObject({ code: 'REPORTING_AGENCY_REQUIRED' });
    expect(ambiguous.body.details).toEqual([{ field: 'reportingAgencyCode', problem: expect.stringContaining('GW-BTC, GW-BTP') }]);
    const own = await mof.get('/api/v1/kpi-results/A.02.01/2026-Q2').expect(200);
    expect(own.body).toMatchObject({ reportingAgency: MOF, reportingAgencyCode: 'GW-BTC' });
    const named = await assigner.get('/api/v1/kpi-results/A.02.01/2026-Q2?reportingAgencyCode=GW-BTP').expect(200);
    expect(named.body).toMatchObject({ reportingAgency: MOJ, reportingAgencyCode: 'GW-BTP' });
    await assigner.get('/api/v1/kpi-results/A.02.01/2026-Q2?reportingAgencyCode=not%20a%20code').expect(400);
    await mof.get('/api/v1/kpi-results/A.02.01/2026-Q2?reportingAgencyCode=GW-BTP').expect(404);
  });

  it('lets each reporter write its own figures without touching the other agency', async () => {
    // Reporters send only their figures: the agency is the one they report for.
    const mofPut = await mof.put('/api/v1/kpi-results/A.02.01/2026-Q2').send({ periodResult: '46.5' }).expect(200);
    expect(mofPut.body).toMatchObject({ reportingAgencyCode: 'GW-BTC', periodResult: '46.5', version: 2 });
    const mojPut = await moj.put('/api/v1/kpi-results/A.02.01/2026-Q2?reportingAgencyCode=GW-BTP').send({ periodResult: '12' }).expect(200);
    expect(mojPut.body).toMatchObject({ reportingAgencyCode: 'GW-BTP', periodResult: '12', version: 2 });
    // A reporter cannot reach the other agency's record, nor create one for itself.
    await mof.put('/api/v1/kpi-results/A.02.01/2026-Q2?reportingAgencyCode=GW-BTP').send({ periodResult: '99' }).expect(403);
    await mof.put('/api/v1/kpi-results/A.02.01/2026-Q3').send(kpiResult('A.02.01', '2026-Q3', MOF)).expect(404);

    const mofNow = (await assigner.get('/api/v1/kpi-results/A.02.01/2026-Q2?reportingAgencyCode=GW-BTC').expect(200)).body as Kpi;
    const mojNow = (await assigner.get('/api/v1/kpi-results/A.02.01/2026-Q2?reportingAgencyCode=GW-BTP').expect(200)).body as Kpi;
    expect([mofNow.periodResult, mojNow.periodResult]).toEqual(['46.5', '12']);
  });

  it('reviews, versions and revokes each agency\'s record on its own', async () => {
    await assigner.post('/api/v1/kpi-results/A.02.01/2026-Q2/reviews').send({ decision: 'APPROVED' }).expect(400);
    const approved = await assigner.post('/api/v1/kpi-results/A.02.01/2026-Q2/reviews?reportingAgencyCode=GW-BTC').send({ decision: 'APPROVED' }).expect(200);
    expect(approved.body).toMatchObject({ reportingAgencyCode: 'GW-BTC', reviewStatus: 'APPROVED' });
    await assigner.post('/api/v1/kpi-results/A.02.01/2026-Q2/reviews?reportingAgencyCode=GW-BTP').send({ decision: 'RETURNED', explanation: 'Giải trình số liệu' }).expect(200);
    await moj.post('/api/v1/kpi-results/A.02.01/2026-Q2/receipt').expect(200);

    const mofVersions = (await mof.get('/api/v1/kpi-results/A.02.01/2026-Q2/versions').expect(200)).body.items;
    const mojVersions = (await assigner.get('/api/v1/kpi-results/A.02.01/2026-Q2/versions?reportingAgencyCode=GW-BTP').expect(200)).body.items;
    expect(mofVersions.map((v: { change: string }) => v.change)).toEqual(['write', 'write', 'review']);
    expect(mojVersions.map((v: { change: string }) => v.change)).toEqual(['write', 'write', 'review', 'receipt']);
    expect(mojVersions.every((v: { body: { reportingAgencyCode: string } }) => v.body.reportingAgencyCode === 'GW-BTP')).toBe(true);
    const keys = await sql<{ record_key: string }>(`SELECT DISTINCT record_key FROM record_versions WHERE data_set = 'kpi-results' ORDER BY 1`);
    expect(keys.map((k) => k.record_key)).toEqual(['A.02.01/2026-Q2/GW-BTC', 'A.02.01/2026-Q2/GW-BTP']);

    const revoked = await assigner.delete('/api/v1/kpi-results/A.02.01/2026-Q2?reportingAgencyCode=GW-BTP').expect(200);
    expect(revoked.body).toEqual({ indicatorCode: 'A.02.01', period: '2026-Q2', reportingAgencyCode: 'GW-BTP', revoked: true, revokedAt: expect.any(String) });
    expect((await mof.get('/api/v1/kpi-results/A.02.01/2026-Q2').expect(200)).body).toMatchObject({ reportingAgencyCode: 'GW-BTC', reviewStatus: 'APPROVED' });
    // A revoked record still has its key (tombstone, versions): the agency must still be named.
    expect((await assigner.get('/api/v1/kpi-results/A.02.01/2026-Q2').expect(400)).body.code).toBe('REPORTING_AGENCY_REQUIRED');
  });
});
