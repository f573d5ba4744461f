import { Role } from '../src/accounts/roles.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { taskResult } from './support/gateway-harness.js';
import { agreementFor, onboardToTesting } from './support/lifecycle-fixtures.js';
import { resetDatabase } from './support/test-database.js';

const UNIT = 'Bộ Tài chính';

/** The signed agreement carries the role per data set (PRODUCT.md §3a), and the data plane enforces it. */
describe('connection agreement: roles per data set', () => {
  let h: ControlPlaneHarness;
  let unitAdmin: Person;
  let reviewer: Person;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start();
    const admin = await h.bootstrapAdmin();
    unitAdmin = await h.person(admin, 'mof.admin', Role.UNIT_ADMIN, UNIT);
    reviewer = await h.person(admin, 'dtd.reviewer', Role.DTD_REVIEWER);
  });
  afterAll(() => h.stop());

  it('records the roles with the scope, and a REPORTER agreement cannot create tasks', async () => {
    const scope = { ...agreementFor(UNIT).scope, roles: { 'task-results': 'REPORTER', 'kpi-results': 'READER' } };
    const { connectionId, testClient } = await onboardToTesting(h, unitAdmin, reviewer, UNIT, { scope });
    const connection = await h.as(reviewer).get(`/control/v1/connections/${connectionId}`).expect(200);
    expect(connection.body.scope.roles).toEqual({ 'task-results': 'REPORTER', 'kpi-results': 'READER' });

    const reporter = await h.gateway.as(testClient);
    const created = await reporter.put('/api/v1/task-results/AGR-1').send(taskResult('AGR-1', UNIT)).expect(404);
    expect(created.body.code).toBe('NOT_ASSIGNED');
    expect((await reporter.post('/api/v1/kpi-results/batch').send({ items: [] }).expect(403)).body.code).toBe('DATA_ROLE_NOT_ALLOWED');
  });

  it('refuses an agreement whose role is not one of the three, naming the data set', async () => {
    const connections = (await h.as(reviewer).get('/control/v1/connections').expect(200)).body.items as Array<{ id: string }>;
    const refused = await h
      .as(reviewer)
      .post(`/control/v1/connections/${connections[0].id}/agreements`)
      .send(agreementFor(UNIT, { scope: { ...agreementFor(UNIT).scope, roles: { 'task-results': 'OWNER' } } }))
      .expect(400);
    expect(refused.body.details).toContainEqual({ field: 'scope.roles.task-results', problem: 'must be one of ASSIGNER, REPORTER, READER' });
  });
});
