import { Role } from '../src/accounts/roles.js';
import { type CalendarDayOverride, WorkingCalendar } from '../src/calendar/working-calendar.js';
import { ControlPlaneHarness, type Person } from './support/control-plane-harness.js';
import { resetDatabase, sql } from './support/test-database.js';

const MOF = 'Bộ Tài chính';

/** The working-calendar register, kept by the DTD, and the clocks that follow it. */
describe('working calendar', () => {
  let h: ControlPlaneHarness;
  let reviewer: Person;
  let officer: Person;
  let unitAdmin: Person;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start();
    const admin = await h.bootstrapAdmin();
    reviewer = await h.person(admin, 'dtd.reviewer', Role.DTD_REVIEWER);
    officer = await h.person(admin, 'dtd.security', Role.SECURITY_OFFICER);
    unitAdmin = await h.person(admin, 'mof.admin', Role.UNIT_ADMIN, MOF);
  }, 60_000);
  afterAll(() => h?.stop());

  async function register(year: number): Promise<CalendarDayOverride[]> {
    return (await h.as(officer).get(`/control/v1/calendar?year=${year}`).expect(200)).body.days;
  }

  it('ships the public holidays of the year with their sources, readable by everyone', async () => {
    const year = await h.as(unitAdmin).get('/control/v1/calendar?year=2026').expect(200);
    expect(year.body).toMatchObject({ timeZone: 'Asia/Ho_Chi_Minh', year: 2026, workingHours: [['08:00', '12:00'], ['13:00', '17:00']] });
    const tet = year.body.days.filter((d: { name: string }) => d.name.startsWith('Tết Nguyên đán'));
    expect(tet.map((d: { day: string }) => d.day)).toEqual(['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']);
    expect(year.body.days.find((d: { day: string }) => d.day === '2026-01-10')).toMatchObject({ kind: 'WORKDAY', updatedBy: null });
  });

  it('is kept by the DTD only, with field-level errors, and every change is audited', async () => {
    const body = { kind: 'HOLIDAY', name: 'Tết Nguyên đán Đinh Mùi', source: 'Thông báo của Bộ Nội vụ (thử nghiệm)' };
    expect((await h.as(unitAdmin).put('/control/v1/calendar/days/2027-02-08').send(body).expect(403)).body.code).toBe('ROLE_NOT_ALLOWED');
    const badDay = await h.as(reviewer).put('/control/v1/calendar/days/2027-02-30').send(body).expect(400);
    expect(badDay.body.details).toEqual([{ field: 'day', problem: 'must be a calendar date YYYY-MM-DD' }]);
    const badKind = await h.as(reviewer).put('/control/v1/calendar/days/2027-02-08').send({ ...body, kind: 'DAY_OFF' }).expect(400);
    expect(badKind.body.details.map((d: { field: string }) => d.field)).toEqual(['kind']);

    const set = await h.as(reviewer).put('/control/v1/calendar/days/2027-02-08').send(body).expect(200);
    expect(set.body).toMatchObject({ day: '2027-02-08', kind: 'HOLIDAY', updatedBy: reviewer.id });
    expect((await register(2027)).map((d) => d.day)).toContain('2027-02-08');
    const [entry] = await sql<{ action: string; status_code: number }>(`SELECT action, status_code FROM audit_entries WHERE method = 'PUT' AND path = '/control/v1/calendar/days/2027-02-08' AND status_code = 200`);
    expect(entry).toEqual({ action: 'calendar.manage', status_code: 200 });

    await h.as(reviewer).delete('/control/v1/calendar/days/2027-02-08').expect(204);
    await h.as(reviewer).delete('/control/v1/calendar/days/2027-02-08').expect(404);
    expect((await register(2027)).map((d) => d.day)).not.toContain('2027-02-08');
  });

  it("moves an incident's 7-working-day review deadline when the DTD records a holiday inside it", async () => {
    const connection = await h.gateway.connection({ unit: MOF, env: 'production' });
    const incident = await h.as(unitAdmin).post(`/control/v1/connections/${connection.connectionId}/incident-reports`).send({ reasonCode: 'CREDENTIALS_COMPROMISED', summary: 'Mất kiểm soát khóa riêng', detectedAt: new Date().toISOString() }).expect(201);
    const read = async () => (await h.as(officer).get(`/control/v1/incidents/${incident.body.id}`).expect(200)).body;
    const before = await read();
    const openedAt = new Date(before.openedAt);
    const year = Number(new WorkingCalendar('Asia/Ho_Chi_Minh').dateOf(openedAt).slice(0, 4));
    const days = [...(await register(year)), ...(await register(year + 1))];
    expect(before.deadlines.review).toBe(new WorkingCalendar('Asia/Ho_Chi_Minh', days).endOfWorkingDaysAfter(openedAt, 7).toISOString());

    // The first working day after the opening becomes a holiday: the review is due a working day later.
    const calendar = new WorkingCalendar('Asia/Ho_Chi_Minh', days);
    let next = new Date(openedAt.getTime() + 86_400_000);
    while (!calendar.isWorkingDay(calendar.dateOf(next))) next = new Date(next.getTime() + 86_400_000);
    const holiday = calendar.dateOf(next);
    await h.as(reviewer).put(`/control/v1/calendar/days/${holiday}`).send({ kind: 'HOLIDAY', name: 'Nghỉ đột xuất (thử nghiệm)', source: 'Quyết định thử nghiệm của Cục' }).expect(200);
    try {
      const after = await read();
      const expected = new WorkingCalendar('Asia/Ho_Chi_Minh', [...days, { day: holiday, kind: 'HOLIDAY', name: 'x' }]).endOfWorkingDaysAfter(openedAt, 7);
      expect(after.deadlines.review).toBe(expected.toISOString());
      expect(new Date(after.deadlines.review).getTime()).toBeGreaterThan(new Date(before.deadlines.review).getTime());
    } finally {
      await h.as(reviewer).delete(`/control/v1/calendar/days/${holiday}`).expect(204);
    }
  });

  it('refuses updatedSince without an offset, naming the field', async () => {
    const system = await h.gateway.as(await h.gateway.connection({ unit: MOF }));
    const refused = await system.get('/api/v1/task-results?updatedSince=2026-06-30T08:00:00').expect(400);
    expect(refused.body.details).toEqual([{ field: 'updatedSince', problem: expect.stringContaining('offset') }]);
    await system.get(`/api/v1/task-results?updatedSince=${encodeURIComponent('2026-06-30T08:00:00+07:00')}`).expect(200);
    await system.get('/api/v1/task-results?updatedSince=2026-06-30T01:00:00Z').expect(200);
  });
});
