import { Role } from '../src/accounts/roles.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { kpiResult, taskResult, type TestClient } from './support/gateway-harness.js';
import { waitFor } from './support/security-helpers.js';
import { resetDatabase } from './support/test-database.js';

const MOF = 'Bộ Tài chính';

interface Version {
  dataSet: string;
  environment: string;
  key: Record<string, string>;
  version: number;
  change: string;
  recordedAt: string;
  connection: { id: string; name: string | null; ownerUnit: string | null };
  certificateThumbprint: string;
  requestId: string;
  body: Record<string, unknown>;
  withheldFields: string[];
  changedFields: string[] | null;
}
type Page = { items: Version[]; nextCursor: string | null };

/**
 * IV.6: the DTD and auditors settle a dispute over data from the system's log. The control plane
 * lists a record's accepted versions — what it said, which connection's call, when, what changed —
 * and the versions one call wrote, from its audit entry's request id.
 */
describe('record history for people (IV.6)', () => {
  let h: ControlPlaneHarness;
  let reviewer: Person;
  let auditor: Person;
  let officer: Person;
  let unitAdmin: Person;
  let writer: TestClient;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start({ CLASSIFIED_RECORDS: 'accept' });
    const admin = await h.bootstrapAdmin();
    reviewer = await h.person(admin, 'history.reviewer', Role.DTD_REVIEWER);
    auditor = await h.person(admin, 'history.auditor', Role.AUDITOR);
    officer = await h.person(admin, 'history.officer', Role.SECURITY_OFFICER);
    unitAdmin = await h.person(admin, 'history.unit', Role.UNIT_ADMIN, MOF);
    writer = await h.gateway.connection({ unit: MOF, env: 'production', name: 'Hệ thống báo cáo Bộ Tài chính', scope: { classifiedClearance: 'SECRET' } });
  }, 120_000);
  afterAll(() => h.stop());

  const history = async (who: Person, path: string) => (await h.as(who).get(path).expect(200)).body as Page;

  it("lists a task result's versions with the connection and call that made each, and the fields each changed", async () => {
    const caller = await h.gateway.as(writer);
    const created = await caller.put('/api/v1/task-results/HIST-1').send(taskResult('HIST-1', MOF)).expect(201);
    const updated = await caller.put('/api/v1/task-results/HIST-1').send(taskResult('HIST-1', MOF, { result: 'COMPLETED', completedAt: '2026-06-30' })).expect(200);
    await caller.delete('/api/v1/task-results/HIST-1').expect(200);

    const page = await history(reviewer, '/control/v1/records/task-results/HIST-1/versions');
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((v) => [v.version, v.change])).toEqual([[1, 'write'], [2, 'write'], [3, 'revoke']]);
    const [first, second, third] = page.items;
    expect(first).toMatchObject({
      dataSet: 'task-results',
      environment: 'production',
      key: { taskCode: 'HIST-1' },
      connection: { id: writer.connectionId, name: 'Hệ thống báo cáo Bộ Tài chính', ownerUnit: MOF },
      requestId: created.headers['x-request-id'],
      withheldFields: [],
      changedFields: null,
    });
    expect(first.certificateThumbprint).toMatch(/^[0-9a-f]{64}$/);
    expect(first.body).toMatchObject({ taskCode: 'HIST-1', leadUnit: MOF, result: 'IN_PROGRESS', revoked: false });
    // The body reads in the field catalogue's order, not jsonb's.
    expect(Object.keys(first.body).slice(0, 2)).toEqual(['taskCode', 'taskName']);
    expect(second.requestId).toBe(updated.headers['x-request-id']);
    expect(second.changedFields).toEqual(expect.arrayContaining(['result', 'completedAt']));
    expect(second.changedFields).not.toContain('taskName');
    expect(third.changedFields).toEqual(expect.arrayContaining(['revoked', 'revokedAt']));

    // Newest first, one at a time: the cursor walks back to the first version.
    const newest = await history(auditor, '/control/v1/records/task-results/HIST-1/versions?order=newest&limit=2');
    expect(newest.items.map((v) => v.version)).toEqual([3, 2]);
    expect(newest.items[1].changedFields).toEqual(second.changedFields); // the previous version is read across the page's edge
    const rest = await history(auditor, `/control/v1/records/task-results/HIST-1/versions?order=newest&limit=2&cursor=${newest.nextCursor}`);
    expect(rest).toEqual({ items: [expect.objectContaining({ version: 1, changedFields: null })], nextCursor: null });
  });

  it('finds the versions one call wrote from its request id, a batch writing several', async () => {
    const caller = await h.gateway.as(writer);
    const batch = await caller.post('/api/v1/task-results/batch').send({ items: [taskResult('HIST-B1', MOF), taskResult('HIST-B2', MOF), { taskCode: 'bad code' }] }).expect(200);
    const requestId = batch.headers['x-request-id'] as string;
    const page = await history(auditor, `/control/v1/record-versions?requestId=${requestId.toUpperCase()}`);
    expect(page.items.map((v) => [v.key.taskCode, v.version, v.requestId])).toEqual([['HIST-B1', 1, requestId], ['HIST-B2', 1, requestId]]);
    const paged = await history(auditor, `/control/v1/record-versions?requestId=${requestId}&limit=1`);
    expect(paged.items.map((v) => v.key.taskCode)).toEqual(['HIST-B1']);
    expect((await history(auditor, `/control/v1/record-versions?requestId=${requestId}&limit=1&cursor=${paged.nextCursor}`)).items.map((v) => v.key.taskCode)).toEqual(['HIST-B2']);
    // A read wrote nothing: no versions, not an error.
    const read = await caller.get('/api/v1/task-results/HIST-B1').expect(200);
    expect(await history(auditor, `/control/v1/record-versions?requestId=${read.headers['x-request-id']}`)).toEqual({ items: [], nextCursor: null });
  });

  it('leaves out what a classified record may not show, also in the versions from before it was classified', async () => {
    const caller = await h.gateway.as(writer);
    await caller.put('/api/v1/task-results/HIST-C').send(taskResult('HIST-C', MOF, { description: 'Nội dung chi tiết' })).expect(201);
    await caller.put('/api/v1/task-results/HIST-C').send(taskResult('HIST-C', MOF, { classification: 'CONFIDENTIAL', description: undefined, difficulties: undefined, proposals: undefined })).expect(200);
    const { items } = await history(reviewer, '/control/v1/records/task-results/HIST-C/versions');
    expect(items).toHaveLength(2);
    for (const version of items) {
      for (const field of ['description', 'difficulties', 'proposals', 'attachments', 'reviewExplanation', 'disputeReason']) expect(version.body).not.toHaveProperty(field);
      expect(version.withheldFields).toEqual(expect.arrayContaining(['description', 'attachments']));
    }
    expect(items[1].body.classification).toBe('CONFIDENTIAL');
    expect(items[1].changedFields).toContain('classification');
    expect(items[1].changedFields).not.toContain('description');
  });

  it("resolves a KPI result's reporting agency, and asks for it when several report the indicator", async () => {
    const caller = await h.gateway.as(writer);
    await caller.put('/api/v1/kpi-results/HIST.01/2026-Q2').send(kpiResult('HIST.01', '2026-Q2', MOF)).expect(201);
    const one = await history(reviewer, '/control/v1/records/kpi-results/HIST.01/2026-Q2/versions');
    expect(one.items).toHaveLength(1);
    expect(one.items[0].key).toEqual({ indicatorCode: 'HIST.01', period: '2026-Q2', reportingAgencyCode: expect.any(String) });
    const code = one.items[0].key.reportingAgencyCode;
    expect((await history(reviewer, `/control/v1/records/kpi-results/HIST.01/2026-Q2/versions?reportingAgencyCode=${code}`)).items).toHaveLength(1);

    const other = await h.gateway.connection({ unit: 'Bộ Tư pháp', env: 'production', name: 'Hệ thống Bộ Tư pháp' });
    await (await h.gateway.as(other)).put('/api/v1/kpi-results/HIST.01/2026-Q2').send(kpiResult('HIST.01', '2026-Q2', 'Bộ Tư pháp')).expect(201);
    const ambiguous = await h.as(reviewer).get('/control/v1/records/kpi-results/HIST.01/2026-Q2/versions').expect(400);
    expect(ambiguous.body.code).toBe('REPORTING_AGENCY_REQUIRED');
    expect(ambiguous.body.details).toEqual([{ field: 'reportingAgencyCode', problem: expect.stringContaining(code) }]);
    expect(ambiguous.body.messageVi).toMatch(/reportingAgencyCode/);
  });

  it('answers 404 for a record that never was, 400 naming the field for a malformed key, and refuses other roles', async () => {
    const missing = await h.as(reviewer).get('/control/v1/records/task-results/NEVER-WAS/versions').expect(404);
    expect(missing.body.message).toContain('NEVER-WAS');
    // The record exists in production only.
    await h.as(reviewer).get('/control/v1/records/task-results/HIST-1/versions?environment=test').expect(404);
    const bad = await h.as(reviewer).get(`/control/v1/records/task-results/${encodeURIComponent('bad code')}/versions`).expect(400);
    expect(bad.body.details).toEqual([{ field: 'taskCode', problem: expect.any(String) }]);
    const badRequest = await h.as(auditor).get('/control/v1/record-versions?requestId=nope').expect(400);
    expect(badRequest.body.details).toEqual([{ field: 'requestId', problem: expect.stringContaining('request id') }]);
    const badOrder = await h.as(auditor).get('/control/v1/records/task-results/HIST-1/versions?order=sideways').expect(400);
    expect(badOrder.body.details.map((d: { field: string }) => d.field)).toEqual(['order']);
    for (const person of [officer, unitAdmin]) {
      const refused = await h.as(person).get('/control/v1/records/task-results/HIST-1/versions').expect(403);
      expect(refused.body.code).toBe('ROLE_NOT_ALLOWED');
    }
  });

  it('records each read in the audit log, naming the record', async () => {
    await history(reviewer, '/control/v1/records/task-results/HIST-1/versions?limit=1');
    const entry = await waitFor(async () => {
      const { entries } = (await h.as(auditor).get('/control/v1/audit/entries?action=recordVersions.read&limit=100').expect(200)).body as { entries: Array<Record<string, unknown>> };
      return entries.find((e) => e.path === '/control/v1/records/task-results/HIST-1/versions?limit=1') ?? null;
    }, 5000, 100);
    expect(entry).toMatchObject({ target: { type: 'record', id: 'task-results/HIST-1' }, outcome: 'success', actor: { username: 'history.reviewer' } });
  });
});
