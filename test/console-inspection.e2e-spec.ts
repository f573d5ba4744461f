import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { Role } from '../src/accounts/roles.js';
import { ScheduledReportsService } from '../src/reports/scheduled-reports.service.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { launchChromium, openConsole, screenshot, seriousViolations, signInAs } from './support/console-browser.js';
import { ensureConsoleBuilt } from './support/builds.js';
import { PDF } from './support/lifecycle-fixtures.js';
import { resetDatabase } from './support/test-database.js';

const UNIT = 'Bộ Tài chính';
const SYSTEM = 'Hệ thống quản lý nhiệm vụ Bộ Tài chính';
// A browser, Argon2 sign-ins, document screening and axe on a shared 2-core machine.
jest.setTimeout(180_000);

/**
 * The inspector's connection records in the browser: step 7's "minutes kept for inspection and
 * audit" and the incidents of Appendix III, read by an auditor from the DTD's own file of the
 * connection, with nothing on the screen that could change it; and what the gateway keeps of
 * those reads.
 */
describe("console: the inspector's connection records", () => {
  let h: ControlPlaneHarness;
  let browser: Browser;
  let auditor: Person;
  let p: Page;
  let connectionId: string;
  let incidentId: string;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    await resetDatabase();
    [h, browser] = await Promise.all([ControlPlaneHarness.start(), launchChromium()]);
    const admin = await h.bootstrapAdmin();
    const reviewer = await h.person(admin, 'records.dtd', Role.DTD_REVIEWER);
    const officer = await h.person(admin, 'records.officer', Role.SECURITY_OFFICER);
    auditor = await h.person(admin, 'records.inspector', Role.AUDITOR);
    connectionId = (await h.gateway.connection({ unit: UNIT, name: SYSTEM, env: 'production' })).connectionId;
    const otherId = (await h.gateway.connection({ unit: 'Bộ Xây dựng', name: 'Cổng dữ liệu quy hoạch' })).connectionId;

    // The reviewer keeps the quarter's minutes with the signed scan; the officer opens an incident.
    const dtd = h.as(reviewer);
    const scan = await dtd.post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201);
    await dtd.post(`/control/v1/connections/${connectionId}/maintenance-minutes`).send({ summary: 'Kiểm tra định kỳ quý IV: không phát hiện truy cập bất thường', documentId: scan.body.documentId }).expect(200);
    const officerApi = h.as(officer);
    incidentId = (await officerApi.post('/control/v1/incidents').send({ connectionId, reasonCode: 'DATA_LEAK_SUSPECTED', summary: 'Nghi lộ dữ liệu kết quả nhiệm vụ' }).expect(201)).body.id;
    await officerApi.post(`/control/v1/incidents/${incidentId}/classification`).send({ severity: 'MEDIUM' }).expect(200);
    // An incident about no connection (phishing aimed at the DTD's staff): only the list of all shows it.
    await officerApi.post('/control/v1/incidents').send({ reasonCode: 'PHISHING_CAMPAIGN', summary: 'Thư giả mạo gửi cán bộ của Cục' }).expect(201);
    // Another connection's incident, which this file must not list.
    await officerApi.post('/control/v1/incidents').send({ connectionId: otherId, reasonCode: 'PROBE_SUSPECTED', summary: 'Dò quét cổng dữ liệu quy hoạch' }).expect(201);
    // The other unit's own notice (IV.5.d) and its official report, filed the next day: late.
    const builder = h.as(await h.person(admin, 'records.builder', Role.UNIT_ADMIN, 'Bộ Xây dựng'));
    const notice = await builder.post(`/control/v1/connections/${otherId}/incident-reports`)
      .send({ reasonCode: 'DATA_LEAK', summary: 'Lộ dữ liệu quy hoạch qua máy trạm', detectedAt: new Date(Date.now() - 26 * 3_600_000).toISOString() }).expect(201);
    const signed = await builder.post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201);
    await builder.post(`/control/v1/connections/${otherId}/incidents/${notice.body.id}/unit-report`)
      .send({ number: '88/BC-BXD', date: new Date().toISOString().slice(0, 10), recipient: 'Cục Chuyển đổi số', documentId: signed.body.documentId }).expect(200);
    // Cut off, then the unit's remediation report (IV.5.c), awaiting the DTD's decision.
    await officerApi.post(`/control/v1/connections/${connectionId}/suspension`).send({ reasonCode: 'MANUAL_CUT_OFF', reason: 'Nghi lộ dữ liệu' }).expect(200);
    const unit = h.as(await h.person(admin, 'records.unit', Role.UNIT_ADMIN, UNIT));
    const confirmation = await unit.post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201);
    await unit.post(`/control/v1/connections/${connectionId}/remediation-reports`)
      .send({ cause: 'Lộ khóa bí mật', measuresTaken: 'Thay khóa, rà soát máy chủ', securityCommitment: 'Cam kết bảo đảm an toàn', confirmationDocumentId: confirmation.body.documentId }).expect(201);

    // Last quarter's report, as the gateway makes it on its own when a quarter ends.
    await h.control.get(ScheduledReportsService).runOnce();

    p = await openConsole(browser, h.controlUrl);
    await signInAs(p, h, auditor);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it('finds the connection by words of its name and opens its file read-only: minutes with their scan, history, no step to take', async () => {
    await p.getByRole('menuitem', { name: 'Hồ sơ kết nối' }).click();
    const list = p.getByTestId('review-connections');
    await list.getByRole('button', { name: 'Cổng dữ liệu quy hoạch' }).waitFor();
    await p.getByLabel('Tên hệ thống, tên đơn vị hoặc mã kết nối').fill('nhiệm vụ tài chính');
    await p.getByRole('button', { name: 'Tìm' }).click();
    await list.getByRole('button', { name: 'Cổng dữ liệu quy hoạch' }).waitFor({ state: 'detached' });
    await list.getByRole('button', { name: SYSTEM }).click();

    await p.getByTestId('connection-state').filter({ hasText: 'Đang tạm dừng kết nối' }).waitFor();
    const minutes = p.getByTestId('maintenance-minutes').getByRole('row').filter({ hasText: 'Kiểm tra định kỳ quý IV' });
    await minutes.getByTestId('document-link').waitFor();
    await expect(minutes.innerText()).resolves.toContain('records.dtd');
    await expect(p.getByTestId('history').innerText()).resolves.toContain('Lập biên bản giám sát, bảo trì');
    // The remediation report as filed, with its confirmation, and no decision to take here.
    const remediation = p.getByTestId('remediation-report');
    await expect(remediation.innerText()).resolves.toContain('Thay khóa, rà soát máy chủ');
    await remediation.getByTestId('document-link').waitFor();
    // Read-only: no step, no agreement editor, no termination, no remediation decision.
    await expect(p.getByRole('heading', { name: 'Thao tác' }).count()).resolves.toBe(0);
    for (const name of ['Chấm dứt kết nối', 'Lập biên bản giám sát, bảo trì', 'Biên bản thỏa thuận kết nối', 'Xem xét báo cáo khắc phục']) {
      await expect(p.getByRole('button', { name }).count()).resolves.toBe(0);
    }
    expect(await seriousViolations(p)).toEqual([]);
    await screenshot(p, 'inspection-1-connection-file');
  });

  it("opens the connection's incident with its steps and evidence, and nothing that records a step", async () => {
    const incidents = p.getByTestId('connection-incidents');
    const row = incidents.getByRole('row').filter({ hasText: 'Nghi lộ dữ liệu kết quả nhiệm vụ' });
    await expect(row.innerText()).resolves.toContain('Sự cố trung bình');
    await expect(incidents.innerText()).resolves.not.toContain('Dò quét cổng dữ liệu quy hoạch');
    await row.getByRole('button', { name: 'Nghi lộ dữ liệu kết quả nhiệm vụ' }).click();
    const detail = p.getByTestId('incident-detail');
    await detail.getByText('Các bước xử lý').waitFor();
    await detail.locator('[data-step="CLASSIFIED"]').getByText(/Xong lúc/).waitFor();
    expect(new URL(p.url()).searchParams.get('incident')).toBe(incidentId);
    await expect(detail.getByRole('button', { name: 'Ghi nhận bước' }).count()).resolves.toBe(0);
    await expect(detail.getByText('Phân loại:').count()).resolves.toBe(0);
    expect(await seriousViolations(p)).toEqual([]);

    // Back closes the incident, then the file, as the address says.
    await p.goBack();
    await detail.waitFor({ state: 'detached' });
    await p.goBack();
    await p.getByTestId('review-connections').waitFor();
  });

  it('lists every incident, one about no connection included, each opened read-only', async () => {
    await p.getByRole('tab', { name: 'Sự cố an ninh' }).click();
    const all = p.getByTestId('all-incidents');
    for (const summary of ['Thư giả mạo gửi cán bộ của Cục', 'Dò quét cổng dữ liệu quy hoạch', 'Nghi lộ dữ liệu kết quả nhiệm vụ']) await all.getByRole('button', { name: summary }).waitFor();
    await all.getByRole('button', { name: 'Thư giả mạo gửi cán bộ của Cục' }).click();
    const detail = p.getByTestId('incident-detail');
    await detail.getByText('Các bước xử lý').waitFor();
    await expect(detail.getByRole('button', { name: 'Ghi nhận bước' }).count()).resolves.toBe(0);
    expect(await seriousViolations(p)).toEqual([]);
    await p.locator('.ant-drawer').getByRole('button', { name: 'Đóng' }).click();
    await detail.waitFor({ state: 'detached' });
    // A unit's own official report (IV.5.d), as filed: its document, one click away, and late.
    await all.getByRole('button', { name: 'Lộ dữ liệu quy hoạch qua máy trạm' }).click();
    await expect(detail.getByTestId('unit-report').innerText()).resolves.toMatch(/^Đơn vị gửi lúc .+ — Văn bản số 88\/BC-BXD ngày .+ gửi Cục Chuyển đổi số[\s\S]*Chậm \(quá 24 giờ\)$/);
    await detail.getByTestId('unit-report').getByTestId('document-link').waitFor();
    await detail.getByTestId('incident-evidence').getByText('Văn bản báo cáo chính thức của đơn vị').waitFor();
    await p.locator('.ant-drawer').getByRole('button', { name: 'Đóng' }).click();
    await detail.waitFor({ state: 'detached' });
  });

  it("reads this quarter's report in the workbook's sections and downloads it; opens last quarter's, made by the gateway", async () => {
    await p.getByRole('menuitem', { name: 'Báo cáo định kỳ' }).click();
    await p.getByRole('button', { name: 'Xem báo cáo' }).click();
    const report = p.getByTestId('periodic-report');
    // The cut-off made in this quarter, by hand; the incidents with their clocks.
    await expect(report.locator('[data-section="suspensions"]').innerText()).resolves.toMatch(new RegExp(`${SYSTEM}[\\s\\S]*Thủ công`));
    // Its reason and severity in words, as the workbook has them.
    const incidents = await report.locator('[data-section="incidents"]').innerText();
    expect(incidents).toMatch(/Nghi lộ lọt dữ liệu\s+Sự cố trung bình/);
    expect(incidents).not.toMatch(/DATA_LEAK_SUSPECTED|MEDIUM/);
    await expect(report.locator('[data-section="records"]').innerText()).resolves.toContain('Số bản ghi được phê duyệt');
    expect(await seriousViolations(p)).toEqual([]);
    await screenshot(p, 'inspection-2-periodic-report');
    const [file] = await Promise.all([p.waitForEvent('download'), report.getByRole('link', { name: 'Tải về tệp Excel (XLSX)' }).click()]);
    expect(file.suggestedFilename()).toMatch(/\.xlsx$/);

    await p.getByRole('tab', { name: 'Báo cáo quý do Cổng tự lập' }).click();
    const scheduled = p.getByTestId('scheduled-reports');
    const [last] = (await h.as(auditor).get('/control/v1/reports/periodic/scheduled').expect(200)).body.items;
    const [year, quarter] = last.period.split('-Q');
    await scheduled.getByRole('button', { name: `Quý ${['I', 'II', 'III', 'IV'][Number(quarter) - 1]}/${year}` }).click();
    // Its title names the period as a report does: "quý III năm 2026".
    await p.getByTestId('periodic-report').filter({ hasText: `quý ${['I', 'II', 'III', 'IV'][Number(quarter) - 1]} năm ${year}` }).waitFor();
  });

  it('keeps each read in the audit log, under the inspector who made it', async () => {
    const { body } = await h.as(auditor).get('/control/v1/audit/entries').query({ actor: 'records.inspector', limit: 100 }).expect(200);
    const paths = body.entries.map((e: { method: string; path: string }) => `${e.method} ${e.path}`);
    // (A path as requested: the history's with its query string.)
    expect(paths.some((line: string) => line.startsWith(`GET /control/v1/connections/${connectionId}/history?action=maintenanceMinutes`))).toBe(true);
    expect(paths).toContain(`GET /control/v1/incidents/${incidentId}`);
  });
});
