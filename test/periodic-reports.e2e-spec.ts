import ExcelJS from 'exceljs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Response } from 'supertest';
import { Role } from '../src/accounts/roles.js';
import { createControlPlaneApp } from '../src/bootstrap/control-plane-app.js';
import { WorkingCalendar } from '../src/calendar/working-calendar.js';
import { previousQuarter } from '../src/reports/report-period.js';
import { ScheduledReportsService } from '../src/reports/scheduled-reports.service.js';
import { ControlPlaneHarness, type Person } from './support/control-plane-harness.js';
import { kpiResult, taskResult } from './support/gateway-harness.js';
import { resetDatabase, sql } from './support/test-database.js';

const U1 = 'Bộ Tài chính';
const U2 = 'Bộ Y tế';
const TZ = 'Asia/Ho_Chi_Minh';

/** Reads a binary response body (supertest leaves xlsx unparsed otherwise). */
const binary = (res: Response & { setEncoding?: unknown }, done: (e: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  (res as unknown as NodeJS.ReadableStream).on('data', (c: Buffer) => chunks.push(c));
  (res as unknown as NodeJS.ReadableStream).on('end', () => done(null, Buffer.concat(chunks)));
};

async function workbookOf(body: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  return workbook;
}

/** A sheet's rows as plain arrays (row 1: the headings). */
function rowsOf(workbook: ExcelJS.Workbook, sheet: string): unknown[][] {
  const ws = workbook.getWorksheet(sheet);
  if (!ws) throw new Error(`no sheet ${sheet}`);
  const rows: unknown[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The periodic report over data the test created through both planes: the workbook is opened
 * with exceljs and its figures compared with what was done; the quarterly run lands once in the
 * DTD's inbox however many instances run it.
 */
describe('periodic reports', () => {
  let h: ControlPlaneHarness;
  let dtd: Person;
  let auditor: Person;
  let unitAdmin: Person;
  // The quarter as the gateway's Clock sees it once the setup has moved it on (beforeAll).
  let today: string;
  let year: number;
  let period: string;
  let firstMonth: string;
  const volumes = { a: { calls: 0, writes: 0 }, b: { calls: 0, refused: 0 } };
  let cConnectionId: string;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start({ QUOTA_READS_PER_MINUTE: '4', REPORTS_SCHEDULED: 'false' });
    const admin = await h.bootstrapAdmin();
    dtd = await h.person(admin, 'dtd', Role.DTD_REVIEWER);
    auditor = await h.person(admin, 'auditor', Role.AUDITOR);
    unitAdmin = await h.person(admin, 'unitadmin', Role.UNIT_ADMIN, U1);
    const officer = await h.person(admin, 'officer', Role.SECURITY_OFFICER);

    // An incident left unclassified for 3 hours (Unit 2): opened first, then the Clock moves on,
    // and everything else happens "now".
    const c = await h.gateway.connection({ unit: U2, name: 'He thong BYT 2' });
    cConnectionId = c.connectionId;
    await h.as(officer).post('/control/v1/incidents').send({ connectionId: c.connectionId, reasonCode: 'LATE_CLASSIFICATION', summary: 'cũ' }).expect(201);
    h.gateway.clock.advance(3 * 3_600_000);
    today = new WorkingCalendar(TZ).today(new Date(h.gateway.clock.nowMs()));
    year = Number(today.slice(0, 4));
    const quarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
    period = `${year}-Q${quarter}`;
    firstMonth = `${year}-${String((quarter - 1) * 3 + 1).padStart(2, '0')}`;

    // Unit 1 reports four tasks (two red, one yellow, one green) and three KPI results.
    const a = await h.gateway.connection({ unit: U1, name: 'He thong BTC' });
    const callerA = await h.gateway.as(a);
    const tasks = [
      taskResult('R-OVERDUE', U1, { assignedAt: `${year - 1}-01-05`, dueDate: addDays(today, -20) }),
      taskResult('R-LATE', U1, { assignedAt: `${year - 1}-01-05`, dueDate: addDays(today, -40), result: 'COMPLETED', completedAt: addDays(today, -30) }),
      taskResult('Y-SOON', U1, { dueDate: addDays(today, 3) }),
      taskResult('G-LATER', U1, { dueDate: `${year + 1}-12-31` }),
    ];
    for (const t of tasks) await callerA.put(`/api/v1/task-results/${t.taskCode}`).send(t).expect(201);
    for (const p of [period, firstMonth, String(year)]) await callerA.put(`/api/v1/kpi-results/A02.01/${p}`).send(kpiResult('A02.01', p, U1)).expect(201);
    // Only approved results are aggregated (III.1.e): this connection, recorded without roles, also reviews.
    for (const p of [period, firstMonth, String(year)]) await callerA.post(`/api/v1/kpi-results/A02.01/${p}/reviews`).send({ decision: 'APPROVED' }).expect(200);
    await callerA.post('/api/v1/task-results/R-LATE/reviews').send({ decision: 'APPROVED' }).expect(200);
    volumes.a = { calls: 1 + 4 + 3 + 4, writes: 11 };

    // Unit 2's system goes over its quota (4 reads a minute): two 429s, one 403 outside its scope.
    const b = await h.gateway.connection({ unit: U2, name: 'He thong BYT' });
    const callerB = await h.gateway.as(b);
    await callerB.get(`/api/v1/task-results?leadUnit=${encodeURIComponent(U1)}`).expect(403);
    let tooMany = 0;
    let calls = 2;
    while (tooMany < 2) {
      const r = await callerB.get('/api/v1/task-results?limit=1');
      calls++;
      if (r.status === 429) tooMany++;
      else expect(r.status).toBe(200);
    }
    volumes.b = { calls, refused: 3 };

    // A manual cut-off and an incident classified at once (Unit 2).
    await h.as(officer).post(`/control/v1/connections/${c.connectionId}/suspension`).send({ reasonCode: 'MANUAL_CUT_OFF', reason: 'kiểm tra' }).expect(200);
    await h.as(officer).post('/control/v1/incidents').send({ connectionId: c.connectionId, reasonCode: 'DATA_LEAK_SUSPECTED', summary: 'nghi lộ dữ liệu', severity: 'WARNING' }).expect(201);
  }, 120_000);

  afterAll(() => h?.stop());

  const report = (person: Person, query: string) => h.as(person).get(`/control/v1/reports/periodic?${query}`);

  it('produces the quarter as a workbook whose figures match the data', async () => {
    const res = await report(dtd, `period=${period}&environment=test&format=xlsx`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="bao-cao-${period}.xlsx"`);
    const wb = await workbookOf(res.body as Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', 'Bản ghi báo cáo', 'Nhiệm vụ theo tiến độ', 'Kết quả chỉ tiêu', 'Từ chối và lý do', 'Tạm dừng kết nối', 'Sự cố', 'Kết nối']);

    expect(rowsOf(wb, 'Bản ghi báo cáo')).toEqual([
      ['Loại dữ liệu', 'Đơn vị', 'Số bản ghi báo cáo trong kỳ', 'Trong đó: bản ghi mới', 'Số bản ghi được phê duyệt'],
      ['Nhiệm vụ', U1, 4, 4, 1],
      ['Chỉ tiêu KPI', U1, 3, 3, 3],
    ]);
    expect(rowsOf(wb, 'Nhiệm vụ theo tiến độ')).toEqual([
      ['Đơn vị chủ trì', 'Xanh (đúng hạn)', 'Vàng (sắp đến hạn)', 'Đỏ (quá hạn, hoàn thành muộn)', 'Tổng số nhiệm vụ'],
      [U1, 1, 1, 2, 4],
    ]);
    // The quarter's own KPI periods; the year's result is not a quarter's.
    expect(rowsOf(wb, 'Kết quả chỉ tiêu').slice(1).map((r) => [r[0], r[1], r[3], r[6]])).toEqual([[firstMonth, 'A02.01', U1, '46.5'], [period, 'A02.01', U1, '46.5']]);
    const refusals = rowsOf(wb, 'Từ chối và lý do');
    expect(refusals[0]).toEqual(['Mã lỗi', 'Lý do', 'Mã trạng thái HTTP', 'Số lượt']);
    expect(refusals).toContainEqual(['QUOTA_EXCEEDED', 'Vượt hạn mức số lượt gọi', 429, 2]);
    expect(refusals).toContainEqual(['OUTSIDE_READ_SCOPE', 'Đọc dữ liệu ngoài phạm vi thỏa thuận', 403, 1]);
    const suspensions = rowsOf(wb, 'Tạm dừng kết nối');
    expect(suspensions).toHaveLength(2);
    expect(suspensions[0].slice(0, 4)).toEqual(['Kết nối', 'Đơn vị', 'Lý do', 'Hình thức']);
    // Reasons and severities in words; a code an officer typed that has none, as typed.
    expect(suspensions[1].slice(0, 4)).toEqual(['He thong BYT 2', U2, 'Ngắt kết nối thủ công', 'Thủ công']);
    expect(suspensions[1][7]).toBe('Không áp dụng');
    const incidents = rowsOf(wb, 'Sự cố');
    expect(incidents[0].slice(2, 4)).toEqual(['Lý do', 'Mức độ']);
    expect(incidents.slice(1).map((r) => r.slice(2))).toEqual([
      ['LATE_CLASSIFICATION', 'Chưa phân loại', expect.any(String), 'Quá hạn, chưa thực hiện', 'Quá hạn, chưa thực hiện', 'Chưa đến hạn', 'Chưa đến hạn'],
      ['Nghi lộ lọt dữ liệu', 'Cảnh báo', expect.any(String), 'Đạt', 'Chưa đến hạn', 'Chưa đến hạn', 'Chưa đến hạn'],
    ]);
    const connections = rowsOf(wb, 'Kết nối');
    expect(connections[0]).toEqual(['Kết nối', 'Đơn vị', 'Tổng số lượt gọi', 'Thành công', 'Bị từ chối (4xx)', 'Lỗi phía cổng (5xx)', 'Lượt đọc', 'Lượt ghi', 'Tỷ lệ phục vụ (%)']);
    expect(connections).toContainEqual(['He thong BTC', U1, volumes.a.calls, volumes.a.calls, 0, 0, 0, volumes.a.writes, 100]);
    expect(connections).toContainEqual(['He thong BYT', U2, volumes.b.calls, volumes.b.calls - volumes.b.refused, volumes.b.refused, 0, volumes.b.calls - 1, 0, 100]);
    const summary = rowsOf(wb, 'Tổng hợp');
    expect(summary).toContainEqual(['Kỳ báo cáo', period]);
    expect(summary).toContainEqual(['Số bản ghi được phê duyệt', 4]);
  });

  it('serves JSON for the console, filtered by unit and data set, and one section as CSV with Vietnamese headings', async () => {
    const json = await report(auditor, `period=${period}&environment=test&unit=${encodeURIComponent(U2)}`).expect(200);
    expect(json.body.approvals).toBe('approved only');
    expect(json.body.sections.records).toEqual([]);
    expect(json.body.sections.connections.map((c: { unit: string }) => c.unit)).toEqual([U2]);
    expect(json.body.sections.suspensions).toEqual([expect.objectContaining({ connectionId: cConnectionId, trigger: 'manual', restoreClock: 'NOT_APPLICABLE' })]);

    const kpiOnly = await report(dtd, `period=${period}&environment=test&dataSet=kpi-results`).expect(200);
    expect(kpiOnly.body.sections.records).toEqual([{ dataSet: 'kpi-results', unit: U1, reported: 3, created: 3, approved: 3 }]);
    expect(kpiOnly.body.sections.tasksByDeadline).toEqual([]);

    const csv = await report(dtd, `from=${addDays(today, -1)}&to=${today}&environment=test&format=csv&section=tasksByDeadline`).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.text).toBe(`\uFEFFĐơn vị chủ trì,Xanh (đúng hạn),Vàng (sắp đến hạn),"Đỏ (quá hạn, hoàn thành muộn)",Tổng số nhiệm vụ\r\n${U1},1,1,2,4\r\n`);
  });

  it('refuses bad input naming the field, and people without the permission', async () => {
    expect((await report(dtd, 'period=2026-Q5').expect(400)).body.details).toEqual([{ field: 'period', problem: expect.stringContaining('quarter') }]);
    expect((await report(dtd, 'from=2026-02-30&to=2026-03-01').expect(400)).body.details).toEqual([{ field: 'from', problem: 'must be a calendar date YYYY-MM-DD' }]);
    expect((await report(dtd, 'from=2026-10-01').expect(400)).body.details).toEqual([{ field: 'to', problem: 'is required unless period is given' }]);
    expect((await report(dtd, `period=${period}&format=csv`).expect(400)).body.details).toEqual([{ field: 'section', problem: 'is required with format=csv' }]);
    expect((await report(unitAdmin, `period=${period}`).expect(403)).body.code).toBe('ROLE_NOT_ALLOWED');
    const [entry] = await sql<{ action: string }>(`SELECT action FROM audit_entries WHERE plane = 'control' AND path LIKE '/control/v1/reports/periodic?period=2026-Q5%'`);
    expect(entry.action).toBe('reports.read');
  });

  it('puts one quarterly report in the DTD inbox however many instances run the schedule', async () => {
    const second: NestFastifyApplication = await createControlPlaneApp(h.gateway.config);
    try {
      const runs = await Promise.all([h.control.get(ScheduledReportsService).runOnce(), second.get(ScheduledReportsService).runOnce(), h.control.get(ScheduledReportsService).runOnce()]);
      const ids = runs.filter((id) => id !== null);
      expect(ids).toHaveLength(1);
      expect(await second.get(ScheduledReportsService).runOnce()).toBeNull();
    } finally {
      await second.close();
    }
    const last = previousQuarter(today);
    const inbox = await h.as(dtd).get('/control/v1/notifications').expect(200);
    expect(inbox.body.items).toEqual([expect.objectContaining({ kind: 'PERIODIC_REPORT', data: expect.objectContaining({ period: last.label }) })]);
    // The quarter in words, as Vietnamese documents name it.
    const [year, quarter] = last.label.split('-Q');
    expect(inbox.body.items[0].messageVi).toBe(`Đã có báo cáo tổng hợp định kỳ quý ${['I', 'II', 'III', 'IV'][Number(quarter) - 1]}/${year}`);
    const reportId = inbox.body.items[0].data.reportId;
    expect((await h.as(dtd).get('/control/v1/reports/periodic/scheduled').expect(200)).body.items).toEqual([expect.objectContaining({ id: reportId, period: last.label, from: last.from, to: last.to })]);
    const file = await h.as(dtd).get(`/control/v1/reports/periodic/scheduled/${reportId}?format=xlsx`).buffer(true).parse(binary).expect(200);
    const wb = await workbookOf(file.body as Buffer);
    expect(rowsOf(wb, 'Tổng hợp')).toContainEqual(['Kỳ báo cáo', last.label]);
    expect(rowsOf(wb, 'Tổng hợp')).toContainEqual(['Môi trường', 'Chính thức']);
    // A unit administrator's inbox is the unit's, not the DTD's.
    expect((await h.as(unitAdmin).get('/control/v1/notifications').expect(200)).body.items.filter((n: { kind: string }) => n.kind === 'PERIODIC_REPORT')).toEqual([]);
  });
});
