import { Role } from '../src/accounts/roles.js';
import { WorkingCalendar } from '../src/calendar/working-calendar.js';
import { ControlPlaneHarness, type Person } from './support/control-plane-harness.js';
import { kpiResult, taskResult } from './support/gateway-harness.js';
import { resetDatabase } from './support/test-database.js';

const U1 = 'Bộ Tài chính';
const ROLES = (role: 'ASSIGNER' | 'REPORTER') => ({ 'task-results': role, 'kpi-results': role });

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * III.1.e: only approved data is aggregated. Results in every state of the task flow — assigned
 * and not reported, reported and waiting for review, returned, approved, approved then changed,
 * approved then revoked — and the periodic report counts only the approved ones.
 */
describe('periodic reports count only approved results', () => {
  let h: ControlPlaneHarness;
  let dtd: Person;
  const today = new WorkingCalendar('Asia/Ho_Chi_Minh').today();
  const quarter = `${today.slice(0, 4)}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start({ REPORTS_SCHEDULED: 'false' });
    const admin = await h.bootstrapAdmin();
    dtd = await h.person(admin, 'dtd', Role.DTD_REVIEWER);
    const assigner = await h.gateway.as(await h.gateway.connection({ unit: 'Văn phòng Thường trực', scope: { writeUnits: [U1], readUnits: [U1], roles: ROLES('ASSIGNER') } }));
    const reporter = await h.gateway.as(await h.gateway.connection({ unit: U1, scope: { roles: ROLES('REPORTER') } }));
    const review = (path: string, decision: 'APPROVED' | 'RETURNED') =>
      assigner.post(`${path}/reviews`).send(decision === 'APPROVED' ? { decision } : { decision, explanation: 'Giải trình' }).expect(200);

    // Tasks overdue by their due date, each reported completed on time: only an approved completion turns green.
    const dueDate = addDays(today, -10);
    for (const code of ['T-DRAFT', 'T-SUBMITTED', 'T-RETURNED', 'T-APPROVED']) {
      await assigner.put(`/api/v1/task-results/${code}`).send(taskResult(code, U1, { assignedAt: addDays(today, -60), dueDate, result: 'NOT_STARTED', description: undefined })).expect(201);
      if (code !== 'T-DRAFT') await reporter.put(`/api/v1/task-results/${code}`).send({ result: 'COMPLETED', completedAt: addDays(today, -15) }).expect(200);
    }
    await review('/api/v1/task-results/T-RETURNED', 'RETURNED');
    await review('/api/v1/task-results/T-APPROVED', 'APPROVED');

    for (const code of ['K-DRAFT', 'K-SUBMITTED', 'K-RETURNED', 'K-APPROVED', 'K-CHANGED', 'K-REVOKED']) {
      await assigner.put(`/api/v1/kpi-results/${code}/${quarter}`).send(kpiResult(code, quarter, U1, { periodResult: '0' })).expect(201);
      if (code !== 'K-DRAFT') await reporter.put(`/api/v1/kpi-results/${code}/${quarter}`).send({ periodResult: '42' }).expect(200);
    }
    await review(`/api/v1/kpi-results/K-RETURNED/${quarter}`, 'RETURNED');
    for (const code of ['K-APPROVED', 'K-CHANGED', 'K-REVOKED']) await review(`/api/v1/kpi-results/${code}/${quarter}`, 'APPROVED');
    // Figures changed after approval wait for a new review; a revoked result counts for nothing.
    await reporter.put(`/api/v1/kpi-results/K-CHANGED/${quarter}`).send({ periodResult: '43' }).expect(200);
    await assigner.delete(`/api/v1/kpi-results/K-REVOKED/${quarter}`).expect(200);
  }, 120_000);

  afterAll(() => h?.stop());

  it('aggregates approved KPI results and approved completions only, and counts the approved records', async () => {
    const report = (await h.as(dtd).get(`/control/v1/reports/periodic?period=${quarter}&environment=test`).expect(200)).body;
    expect(report.approvals).toBe('approved only');
    expect(report.sections.kpiResults.map((k: { indicatorCode: string; periodResult: string }) => [k.indicatorCode, k.periodResult])).toEqual([['K-APPROVED', '42']]);
    expect(report.sections.tasksByDeadline).toEqual([{ unit: U1, green: 1, yellow: 0, red: 3, total: 4 }]);
    expect(report.sections.records).toEqual([
      { dataSet: 'task-results', unit: U1, reported: 4, created: 4, approved: 1 },
      { dataSet: 'kpi-results', unit: U1, reported: 5, created: 5, approved: 1 },
    ]);
  });

  it('writes the same figures into the CSV a section is downloaded as', async () => {
    const csv = await h.as(dtd).get(`/control/v1/reports/periodic?period=${quarter}&environment=test&format=csv&section=kpiResults`).expect(200);
    const lines = csv.text.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('K-APPROVED');
  });
});
