import { Role } from '../src/accounts/roles.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { taskResult, type TestClient } from './support/gateway-harness.js';
import { waitFor } from './support/security-helpers.js';
import { resetDatabase } from './support/test-database.js';

const [LATE, SOON, CALM] = ['Bộ Nội vụ', 'Bộ Tài chính', 'Bộ Tư pháp'];
const DAY = 86_400_000;

/** A date `days` from today in Vietnam (the gateway's TIMEZONE), YYYY-MM-DD. */
const fromToday = (days: number) => new Date(Date.now() + 7 * 3_600_000 + days * DAY).toISOString().slice(0, 10);
/** Weekdays after `a` up to and including `b` (no holiday falls in the short ranges used here). */
function weekdaysBetween(a: string, b: string): number {
  let n = 0;
  for (let t = Date.parse(a) + DAY; t <= Date.parse(b); t += DAY) if (![0, 6].includes(new Date(t).getUTCDay())) n++;
  return n;
}

/** GET /control/v1/overview and /overview/unit-deadlines: the console's overview page. */
describe('the overview', () => {
  let h: ControlPlaneHarness;
  let officer: Person;
  let unitAdmin: Person;
  let system: TestClient;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start();
    const admin = await h.bootstrapAdmin();
    officer = await h.person(admin, 'overview.officer', Role.SECURITY_OFFICER);
    unitAdmin = await h.person(admin, 'overview.unit', Role.UNIT_ADMIN, LATE);
    system = await h.gateway.connection({ unit: LATE, env: 'production', name: 'Hệ thống tổng hợp', scope: { writeUnits: [LATE, SOON, CALM] } });
    const caller = await h.gateway.as(system);
    const push = (code: string, unit: string, dueDate: string, extra: Record<string, unknown> = {}) =>
      caller.put(`/api/v1/task-results/${code}`).send(taskResult(code, unit, { assignedAt: fromToday(-30), dueDate, ...extra })).expect((r) => expect(r.status).toBeLessThan(300));
    await push('LATE_1', LATE, fromToday(-10));
    await push('LATE_2', LATE, fromToday(40));
    await push('SOON_1', SOON, fromToday(2));
    await push('CALM_1', CALM, fromToday(60));
    // Completed: not an open deadline.
    await push('DONE_1', CALM, fromToday(-5), { result: 'COMPLETED', completedAt: fromToday(-6) });
    await h.as(officer).post('/control/v1/incidents').send({ reasonCode: 'PROBE_SUSPECTED', summary: 'Dò quét', severity: 'WARNING' }).expect(201);
    await h.as(officer).post('/control/v1/incidents').send({ reasonCode: 'PROBE_SUSPECTED', summary: 'Dò quét cũ', detectedAt: new Date(Date.now() - 3 * 3_600_000).toISOString() }).expect(201);
  }, 120_000);
  afterAll(() => h.stop());

  it('counts connections by state, open incidents by severity with the overdue ones, and the data-plane calls of the last 24 hours', async () => {
    const overview = await waitFor(async () => {
      const body = (await h.as(officer).get('/control/v1/overview').expect(200)).body;
      return body.trafficByHour.reduce((n: number, b: { success: number }) => n + b.success, 0) >= 6 ? body : null;
    }, 5000, 200);
    expect(overview.connectionsByState).toContainEqual({ state: 'LIVE', count: 1 });
    expect(overview.connectionsByState).toContainEqual({ state: 'SUBMITTED', count: 0 });
    expect(overview.incidentsBySeverity).toContainEqual({ severity: 'WARNING', open: 1, overdue: 0 });
    // Detected 3 hours ago, unclassified: its 30-minute and 2-hour clocks have run out.
    expect(overview.incidentsBySeverity).toContainEqual({ severity: null, open: 1, overdue: 1 });
    expect(overview.trafficByHour).toHaveLength(24);
    // The token and the five pushes, all in the current hour.
    expect(overview.trafficByHour[23]).toMatchObject({ success: 6, rejected: 0, failed: 0 });
    // By unit and data set: the five pushes (the token is no data set's); then a pull and a push refused.
    expect(overview.volumesByUnit).toEqual([{ unit: LATE, dataSet: 'task-results', reads: 0, writes: 5, rejected: 0 }]);
    const caller = await h.gateway.as(system);
    // A pull with a query: the log keeps it in the path, and it is still the data set's.
    await caller.get('/api/v1/task-results?limit=10').expect(200);
    await caller.put('/api/v1/task-results/OUT_1').send(taskResult('OUT_1', 'Bộ Y tế', { assignedAt: fromToday(-30), dueDate: fromToday(30) })).expect(403);
    const after = await waitFor(async () => {
      const body = (await h.as(officer).get('/control/v1/overview').expect(200)).body;
      return body.volumesByUnit[0].rejected === 1 ? body : null;
    }, 5000, 200);
    expect(after.volumesByUnit).toEqual([{ unit: LATE, dataSet: 'task-results', reads: 1, writes: 5, rejected: 1 }]);
  });

  it("lists each unit's open tasks by deadline colour, the most urgent first, with working days to its nearest deadline", async () => {
    const page = (await h.as(officer).get('/control/v1/overview/unit-deadlines').expect(200)).body;
    expect(page.nextCursor).toBeNull();
    const today = fromToday(0);
    expect(page.items).toEqual([
      { unit: LATE, overdue: 1, dueSoon: 0, onTime: 1, nearestDueDate: fromToday(-10), workingDaysLeft: -weekdaysBetween(fromToday(-10), today), colour: 'RED' },
      { unit: SOON, overdue: 0, dueSoon: 1, onTime: 0, nearestDueDate: fromToday(2), workingDaysLeft: weekdaysBetween(today, fromToday(2)), colour: 'YELLOW' },
      { unit: CALM, overdue: 0, dueSoon: 0, onTime: 1, nearestDueDate: fromToday(60), workingDaysLeft: expect.any(Number), colour: 'GREEN' },
    ]);
    const yellow = (await h.as(officer).get('/control/v1/overview/unit-deadlines?colour=YELLOW&limit=1').expect(200)).body;
    expect(yellow.items.map((u: { unit: string }) => u.unit)).toEqual([SOON]);
    await h.as(officer).get('/control/v1/overview/unit-deadlines?colour=PURPLE').expect(400);
  });

  it('is not for unit administrators', async () => {
    await h.as(unitAdmin).get('/control/v1/overview').expect(403);
  });
});
