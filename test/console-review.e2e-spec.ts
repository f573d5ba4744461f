import { jest } from '@jest/globals';
import type { Browser, Locator, Page } from 'playwright-core';
import { Role } from '../src/accounts/roles.js';
import { Clock } from '../src/calendar/clock.js';
import { WorkingCalendarService } from '../src/calendar/working-calendar.service.js';
import { ScheduledReportsService } from '../src/reports/scheduled-reports.service.js';
import { ControlPlaneHarness, makeCsr, Person } from './support/control-plane-harness.js';
import { launchChromium, openConsole, recordInDialog, screenshot, seriousViolations, signInAs } from './support/console-browser.js';
import { ensureConsoleBuilt } from './support/builds.js';
import { taskResult } from './support/gateway-harness.js';
import { addDays, dossier, PDF, todayInVietnam } from './support/lifecycle-fixtures.js';
import { resetDatabase, sql } from './support/test-database.js';

const UNIT = 'Bộ Tài chính';
const SYSTEM = 'Hệ thống quản lý nhiệm vụ Bộ Tài chính';
const OTHER = 'Hệ thống báo cáo chỉ số, đề nghị thứ hai';
// A browser, Argon2 sign-ins, document screening and axe on a shared 2-core machine.
jest.setTimeout(240_000);

/**
 * The DTD reviewer's part of Appendix II part I in the browser (issue 13): the unit administrator
 * registers through the API, the reviewer finds the request in the work queue with its deadline
 * colour, appraises it (a validation error first, in words), records the agreement in the
 * editor, configures test, files and confirms the test report, approves go-live and terminates
 * it; a concurrent change makes a step a 409, shown as the state the connection is in now.
 * axe-core on each of the reviewer's screens; screenshots for the README.
 */
describe("console: the DTD reviewer's journey", () => {
  let h: ControlPlaneHarness;
  let browser: Browser;
  let unitAdmin: Person;
  let reviewer: Person;
  /** Another reviewer, acting through the API while the first has a screen open. */
  let colleague: Person;
  let p: Page;
  let connectionId: string;
  let otherId: string;
  let testKeyPem: string;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    await resetDatabase();
    [h, browser] = await Promise.all([ControlPlaneHarness.start(), launchChromium()]);
    const admin = await h.bootstrapAdmin();
    unitAdmin = await h.person(admin, 'review.unit', Role.UNIT_ADMIN, UNIT);
    reviewer = await h.person(admin, 'review.dtd', Role.DTD_REVIEWER);
    colleague = await h.person(admin, 'review.colleague', Role.DTD_REVIEWER);
    connectionId = await register(SYSTEM);
    otherId = await register(OTHER);
    p = await openConsole(browser, h.controlUrl);
    await signInAs(p, h, reviewer);
  }, 240_000);
  afterAll(async () => {
    // The calendar is reference data, kept between test files: nothing of this file's stays in it.
    await sql(`DELETE FROM calendar_days WHERE day = '2027-02-08'`).catch(() => undefined);
    jest.restoreAllMocks();
    await browser?.close();
    await h?.stop();
  });

  /** Step 1, as the unit administrator does it: the dossier with its uploaded assessment. */
  async function register(name: string): Promise<string> {
    const u = h.as(unitAdmin);
    const doc = await u.post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201);
    return (await u.post('/control/v1/connections').send({ name, dossier: dossier(doc.body.documentId) }).expect(201)).body.id;
  }

  async function expectAccessible(): Promise<void> {
    expect(await seriousViolations(p)).toEqual([]);
  }

  const dialog = () => p.getByRole('dialog');
  const state = () => p.getByTestId('connection-state').innerText();

  async function upload(scope: Locator, fieldLabel: string | RegExp): Promise<void> {
    await scope.getByLabel(fieldLabel).setInputFiles({ name: 'van-ban.pdf', mimeType: 'application/pdf', buffer: PDF });
    await scope.getByTestId('document-uploaded').waitFor();
  }

  /** A day typed as a person types it, day first (the picker shows and takes dd/mm/yyyy). */
  async function fillDay(field: Locator, isoDay: string): Promise<void> {
    const typed = isoDay.split('-').reverse().join('/');
    await field.fill(typed);
    await field.press('Enter');
    // A day the picker could not read is put back to the one before when the field loses focus.
    await field.blur();
    await expect(field.inputValue()).resolves.toBe(typed);
  }

  /** Submits the open dialog and waits for it to be recorded. */
  const record = (button = 'Ghi nhận') => recordInDialog(dialog(), button);

  async function waitForState(text: string): Promise<void> {
    await p.getByTestId('connection-state').filter({ hasText: text }).waitFor();
  }

  it('shows the registered request in the work queue with its working-day deadline, green now and red once overdue', async () => {
    await p.getByRole('menuitem', { name: 'Thẩm định kết nối' }).click();
    const row = p.getByTestId('review-queue').getByRole('row', { name: new RegExp(SYSTEM) });
    await expect(row.innerText()).resolves.toContain('Thẩm định hồ sơ');
    await expect(row.innerText()).resolves.toContain('5 ngày làm việc');
    await expect(row.locator('[data-color]').getAttribute('data-color')).resolves.toBe('GREEN');
    await expectAccessible();
    await screenshot(p, 'review-1-queue');

    // Ten days on (the gateway's clock), the same request is overdue: the colour is the API's.
    jest.spyOn(h.control.get(Clock), 'now').mockReturnValue(new Date(Date.now() + 10 * 86_400_000));
    await p.getByRole('button', { name: 'Tải lại' }).click();
    await row.locator('[data-color="RED"]').waitFor();
    await expect(row.innerText()).resolves.toContain('Quá hạn');
    jest.restoreAllMocks();
    await p.getByRole('button', { name: 'Tải lại' }).click();
    await row.locator('[data-color="GREEN"]').waitFor();

    await p.getByRole('tab', { name: 'Tất cả kết nối' }).click();
    await p.getByTestId('review-connections').getByRole('row', { name: new RegExp(OTHER) }).waitFor();
    await expectAccessible();
  });

  it('opens the dossier and history, records the security check, and shows a validation error in words before approving', async () => {
    await p.getByRole('tab', { name: 'Việc chờ xử lý' }).click();
    await p.getByTestId('review-queue').getByRole('button', { name: SYSTEM }).click();
    await expect(p.getByTestId('dossier').innerText()).resolves.toContain('Báo cáo định kỳ lên Hệ thống theo dõi, đánh giá');
    await expect(p.getByTestId('history').innerText()).resolves.toContain('Đã gửi hồ sơ đăng ký');
    expect(await state()).toBe('Đã gửi hồ sơ đăng ký');
    await expectAccessible();
    await screenshot(p, 'review-2-dossier');

    // Approving before the security check is a 409 of a paper missing, not of a step gone: the
    // reason in words, and the dialog still usable once the paper is filed.
    await p.getByRole('button', { name: 'Thẩm định hồ sơ' }).click();
    await dialog().getByLabel('Chấp thuận', { exact: true }).check();
    await dialog().getByLabel('Ý kiến thẩm định, lý do').fill('Hồ sơ đầy đủ');
    await dialog().getByLabel('Lãnh đạo quyết định (họ tên, chức vụ)').fill('Phó Chánh Văn phòng Trung ương Đảng Trần Văn F');
    await fillDay(dialog().getByLabel('Ngày quyết định'), todayInVietnam());
    await upload(dialog(), 'Văn bản (tệp PDF, ảnh quét)');
    await dialog().getByRole('button', { name: 'Ghi nhận' }).click();
    const missing = dialog().getByTestId('review-problem');
    await missing.getByText('Chưa có kết quả kiểm tra an ninh', { exact: false }).waitFor();
    expect(await missing.innerText()).not.toContain('không còn thực hiện được');
    expect(await dialog().getByRole('button', { name: 'Ghi nhận' }).isEnabled()).toBe(true);
    await dialog().getByRole('button', { name: 'Hủy' }).click();
    await dialog().waitFor({ state: 'detached' });

    await p.getByRole('button', { name: 'Ghi kết quả kiểm tra an ninh' }).click();
    await dialog().getByLabel('Cơ quan kiểm tra').fill('Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao (A05)');
    await dialog().getByLabel('Đạt yêu cầu bảo đảm an ninh', { exact: true }).check();
    await upload(dialog(), 'Văn bản (tệp PDF, ảnh quét)');
    await expectAccessible();
    await record();
    await expect(p.getByTestId('dossier').innerText()).resolves.toContain('Đạt yêu cầu bảo đảm an ninh');

    await p.getByRole('button', { name: 'Thẩm định hồ sơ' }).click();
    // Turning the dossier down ends the request: asked first, in words about a dossier (no certificate exists yet).
    await dialog().getByLabel('Từ chối (chấm dứt yêu cầu)').check();
    await dialog().getByLabel('Ý kiến thẩm định, lý do').fill('Không thuộc phạm vi kết nối');
    await dialog().getByRole('button', { name: 'Ghi nhận' }).click();
    const asked = p.getByRole('dialog').filter({ hasText: 'Từ chối hồ sơ đăng ký kết nối' });
    await asked.getByText('đơn vị phải lập hồ sơ mới nếu muốn kết nối lại', { exact: false }).waitFor();
    expect(await asked.getByText('chứng thư số', { exact: false }).count()).toBe(0);
    await asked.getByRole('button', { name: 'Hủy' }).click();
    await asked.waitFor({ state: 'detached' });
    await expect(state()).resolves.toBe('Đã gửi hồ sơ đăng ký');
    await dialog().getByLabel('Chấp thuận', { exact: true }).check();
    await dialog().getByLabel('Ý kiến thẩm định, lý do').fill('Hồ sơ đầy đủ, đủ điều kiện kết nối');
    await dialog().getByLabel('Lãnh đạo quyết định (họ tên, chức vụ)').fill('Phó Chánh Văn phòng Trung ương Đảng Trần Văn F');
    await fillDay(dialog().getByLabel('Ngày quyết định'), addDays(todayInVietnam(), 2));
    await upload(dialog(), 'Văn bản (tệp PDF, ảnh quét)');
    await dialog().getByRole('button', { name: 'Ghi nhận' }).click();
    const problem = dialog().getByTestId('review-problem');
    await expect(problem.innerText()).resolves.toContain('Thông tin nhập chưa hợp lệ; đề nghị sửa các mục nêu dưới đây');
    await expect(problem.innerText()).resolves.toMatch(/Ngày quyết định: không được sau ngày hôm nay \(\d{2}\/\d{2}\/\d{4}\)/);
    expect(await problem.innerText()).not.toMatch(/[{}]|leadershipDecision/);
    await expectAccessible();
    await screenshot(p, 'review-3-validation-error');

    await fillDay(dialog().getByLabel('Ngày quyết định'), todayInVietnam());
    await record();
    await waitForState('Đã thẩm định, chấp thuận');
  });

  it('records the agreement from the editor: its scope and quotas become what the gateway enforces', async () => {
    await p.getByRole('button', { name: 'Biên bản thỏa thuận kết nối' }).click();
    const editor = dialog();
    await editor.getByLabel('Lượt đọc mỗi phút').fill('300');
    await editor.getByLabel('Họ tên 1').fill('Lê Văn C');
    await editor.getByLabel('Chức vụ 1').fill('Cục trưởng');
    await editor.getByLabel('Họ tên 2').fill('Phạm Văn D');
    await editor.getByLabel('Chức vụ 2').fill('Chánh Văn phòng');
    await editor.getByLabel('Biện pháp bảo mật').fill('mTLS, chứng thư số do Cục cấp');
    await editor.getByLabel('Trách nhiệm các bên').fill('Đơn vị chịu trách nhiệm về dữ liệu cung cấp');
    await editor.getByLabel('Phương thức xử lý sự cố').fill('Báo cáo trong 2 giờ qua đầu mối 24/7');
    await upload(editor, 'Bản quét biên bản đã ký');
    await expectAccessible();
    await screenshot(p, 'review-4-agreement-editor');
    await editor.getByRole('button', { name: 'Ghi nhận biên bản' }).click();
    await waitForState('Đã ký biên bản thỏa thuận kết nối');
    await expect(p.getByTestId('agreements').innerText()).resolves.toContain('Lượt đọc mỗi phút: 300');

    const enforced = (await h.as(colleague).get(`/control/v1/connections/${connectionId}`).expect(200)).body.scope;
    expect(enforced).toMatchObject({ dataSets: ['task-results', 'kpi-results'], directions: ['push', 'pull'], quotas: { readsPerMinute: 300, writesPerMinute: 120 } });
  });

  it('configures test once the unit sent its CSR, files and confirms the test report, and approves go-live', async () => {
    // Until the unit's test CSR arrives there is nothing to configure.
    await expect(p.getByRole('button', { name: 'Cấu hình kỹ thuật, cấp chứng thư thử nghiệm' }).isDisabled()).resolves.toBe(true);
    const testKey = makeCsr('btc-test');
    testKeyPem = testKey.keyPem;
    await h.as(unitAdmin).post(`/control/v1/connections/${connectionId}/certificate-requests`).send({ environment: 'test', csrPem: testKey.csrPem }).expect(200);
    await p.reload();
    await p.getByRole('button', { name: 'Cấu hình kỹ thuật, cấp chứng thư thử nghiệm' }).click();
    await dialog().getByLabel('Mã định danh đơn vị').fill('G09.BTC');
    await record();
    await waitForState('Đang thử nghiệm');
    await expect(p.getByTestId('certificates').innerText()).resolves.toContain('Môi trường thử nghiệm');

    // The unit's system exchanges test data over mTLS with the certificate just issued.
    const [cert] = (await h.as(unitAdmin).get(`/control/v1/connections/${connectionId}/certificates`).expect(200)).body.items;
    const client = { connectionId, certificateId: cert.id, thumbprint: cert.thumbprintSha256, certPem: cert.certificatePem, keyPem: testKeyPem };
    await (await h.gateway.as(client)).put('/api/v1/task-results/012_TBKL_NQ57').send(taskResult('012_TBKL_NQ57', UNIT)).expect(201);
    await p.reload();
    await expect(p.getByTestId('reconciliation').innerText()).resolves.toContain('1 kết quả nhiệm vụ');

    await p.getByRole('button', { name: 'Biên bản kết quả thử nghiệm' }).click();
    await upload(dialog(), 'Văn bản (tệp PDF, ảnh quét)');
    for (const area of ['Thử nghiệm chức năng', 'Thử nghiệm hiệu năng', 'Thử nghiệm an toàn, bảo mật']) {
      await dialog().locator('.ant-form-item').filter({ hasText: area }).getByLabel('Đạt', { exact: true }).check();
    }
    for (const notes of await dialog().getByLabel('Ghi chú').all()) await notes.fill('Đạt yêu cầu');
    await expectAccessible();
    await record();
    await h.as(unitAdmin).post(`/control/v1/connections/${connectionId}/test-confirmations/unit`).send({ notes: 'Đơn vị xác nhận' }).expect(200);
    await p.reload();
    await p.getByRole('button', { name: 'Cục xác nhận kết quả thử nghiệm' }).click();
    await record();
    await waitForState('Thử nghiệm đạt yêu cầu');

    await h.as(unitAdmin).post(`/control/v1/connections/${connectionId}/certificate-requests`).send({ environment: 'production', csrPem: makeCsr('btc-prod').csrPem }).expect(200);
    await p.reload();
    await p.getByRole('button', { name: 'Đưa vào vận hành chính thức' }).click();
    await dialog().getByLabel('Đầu mối ứng cứu sự cố 24/7 — họ tên').fill('Trực ban an ninh mạng Bộ Tài chính');
    await dialog().getByLabel('Điện thoại').fill('+84 24 2220 2828');
    await dialog().getByLabel('Thư điện tử').fill('truc-ban@mof.gov.vn');
    await record();
    await waitForState('Đang vận hành chính thức');
    await expect(p.getByTestId('certificates').innerText()).resolves.toContain('Môi trường chính thức');
    // The 24/7 contact given at go-live stays on the connection's file, for the officer on duty.
    await expect(p.getByTestId('incident-contact').innerText()).resolves.toBe('Trực ban an ninh mạng Bộ Tài chính · +84 24 2220 2828 · truc-ban@mof.gov.vn');
    await expectAccessible();
    await screenshot(p, 'review-5-live');
  });

  it('keeps monitoring and maintenance minutes (step 7) for a live connection, with the signed scan, newest first', async () => {
    const minutes = p.getByTestId('maintenance-minutes');
    await minutes.getByText('Chưa có biên bản nào').waitFor();
    await p.getByRole('button', { name: 'Lập biên bản giám sát, bảo trì' }).click();
    // Nothing written yet: the form names the missing field and records nothing.
    await dialog().getByRole('button', { name: 'Ghi nhận' }).click();
    await dialog().locator('.ant-form-item-explain-error').filter({ hasText: 'Bắt buộc nhập' }).waitFor();
    await dialog().getByLabel('Nội dung biên bản').fill('Kiểm tra định kỳ quý IV: đường truyền ổn định, không phát hiện truy cập bất thường.');
    await upload(dialog(), 'Bản quét biên bản (nếu có)');
    await expectAccessible();
    await record();
    await minutes.getByRole('row').filter({ hasText: 'Kiểm tra định kỳ quý IV' }).getByTestId('document-link').waitFor();
    // A second one, without a scan, lands on top.
    await p.getByRole('button', { name: 'Lập biên bản giám sát, bảo trì' }).click();
    await dialog().getByLabel('Nội dung biên bản').fill('Bảo trì ngày 05/12: gia hạn chứng thư máy chủ, kết nối gián đoạn 10 phút có thông báo trước.');
    await record();
    await minutes.getByRole('row').filter({ hasText: 'Bảo trì ngày 05/12' }).waitFor();
    const rows = await minutes.locator('tbody tr').allInnerTexts();
    expect(rows[0]).toContain('Bảo trì ngày 05/12');
    expect(rows[0]).toContain('Không có');
    expect(rows[1]).toContain('Kiểm tra định kỳ quý IV');
    // What the gateway kept is what was typed, by this reviewer, as step 7 of the history.
    const kept = (await h.as(colleague).get(`/control/v1/connections/${connectionId}/history?action=maintenanceMinutes`).expect(200)).body.items;
    expect(kept.map((e: { changes: { summary: string; documentId: string | null }; actorName: string }) => [e.changes.summary.split(':')[0], e.changes.documentId !== null, e.actorName.includes('review.dtd')])).toEqual([
      ['Kiểm tra định kỳ quý IV', true, true],
      ['Bảo trì ngày 05/12', false, true],
    ]);
    await expect(p.getByTestId('history').innerText()).resolves.toContain('Lập biên bản giám sát, bảo trì');

    // IV.5.e from the same form: the demand for the annual assessment dossier, due in a month (the
    // unit is told in its inbox), then the dossier as received, its file required.
    const due = addDays(todayInVietnam(), 30);
    await p.getByRole('button', { name: 'Lập biên bản giám sát, bảo trì' }).click();
    await dialog().getByRole('radio', { name: 'Yêu cầu gửi hồ sơ đánh giá an toàn thông tin hằng năm (IV.5.e)' }).check();
    await dialog().getByLabel('Nội dung yêu cầu (gửi tới đơn vị)').fill('Đề nghị gửi hồ sơ đánh giá an toàn thông tin năm 2026 của hệ thống');
    await dialog().getByRole('button', { name: 'Ghi nhận' }).click();
    await dialog().locator('.ant-form-item-explain-error').filter({ hasText: 'Bắt buộc nhập' }).waitFor();
    // Typed, and left (Enter would send the form at once).
    const dueField = dialog().getByLabel('Hạn gửi hồ sơ');
    await dueField.fill(due.split('-').reverse().join('/'));
    await dueField.blur();
    await expectAccessible();
    await record();
    const asked = minutes.getByRole('row').filter({ hasText: 'Đề nghị gửi hồ sơ đánh giá an toàn' });
    await expect(asked.innerText()).resolves.toContain(`Yêu cầu gửi hồ sơ đánh giá an toàn thông tin hằng năm (IV.5.e) — hạn ${due.slice(8, 10)}/${due.slice(5, 7)}/${due.slice(0, 4)}`);
    const inbox = (await h.as(unitAdmin).get('/control/v1/notifications').expect(200)).body.items;
    expect(inbox.find((n: { kind: string }) => n.kind === 'SECURITY_ASSESSMENT_REQUESTED')).toMatchObject({ connectionId, data: { due } });

    await p.getByRole('button', { name: 'Lập biên bản giám sát, bảo trì' }).click();
    await dialog().getByRole('radio', { name: 'Hồ sơ đánh giá an toàn thông tin hằng năm đã nhận (IV.5.e)' }).check();
    await dialog().getByLabel('Hồ sơ gồm những gì, nhận xét của Cục').fill('Hồ sơ đánh giá an toàn năm 2026: báo cáo đánh giá và kết quả kiểm thử xâm nhập; đạt');
    await dialog().getByRole('button', { name: 'Ghi nhận' }).click();
    await dialog().locator('.ant-form-item-explain-error').filter({ hasText: 'Bắt buộc nhập' }).waitFor();
    await upload(dialog(), 'Hồ sơ đánh giá an toàn đã nhận (tệp)');
    await record();
    const received = minutes.getByRole('row').filter({ hasText: 'Hồ sơ đánh giá an toàn năm 2026' });
    await received.getByTestId('document-link').waitFor();
    await expect(received.innerText()).resolves.toContain('Hồ sơ đánh giá an toàn thông tin hằng năm đã nhận (IV.5.e)');
    await screenshot(p, 'review-9-minutes-and-assessments');
  });

  it("renews the production certificate from the unit's request, then revokes the old one with its reason", async () => {
    const before = (await h.as(colleague).get(`/control/v1/connections/${connectionId}/certificates`).expect(200)).body.items;
    const old = before.find((c: { environment: string; revokedAt: string | null }) => c.environment === 'production' && !c.revokedAt);
    await h.as(unitAdmin).post(`/control/v1/connections/${connectionId}/certificate-requests`).send({ environment: 'production', csrPem: makeCsr('btc-prod-2').csrPem }).expect(200);
    await p.reload();
    await p.getByRole('button', { name: 'Cấp chứng thư số (Môi trường chính thức) từ yêu cầu đang chờ' }).click();
    await p.getByRole('dialog').filter({ hasText: 'Cấp chứng thư số mới' }).getByRole('button', { name: 'Xác nhận' }).click();
    const certificates = p.getByTestId('certificates');
    // The pending request answered: its button gone, a second production certificate listed.
    await p.getByRole('button', { name: 'Cấp chứng thư số (Môi trường chính thức) từ yêu cầu đang chờ' }).waitFor({ state: 'detached' });
    await certificates.getByRole('row').filter({ hasText: 'Môi trường chính thức' }).nth(1).waitFor();

    const row = certificates.getByRole('row').filter({ hasText: old.serialNumber });
    await row.getByRole('button', { name: 'Thu hồi' }).click();
    // The reason is required, and kept within the certificate's 200 characters.
    await dialog().getByLabel('Lý do').fill('x'.repeat(201));
    await dialog().getByRole('button', { name: 'Thu hồi' }).click();
    await dialog().locator('.ant-form-item-explain-error').filter({ hasText: 'Tối đa 200 ký tự' }).waitFor();
    await dialog().getByLabel('Lý do').fill('Đã thay bằng chứng thư gia hạn');
    await expectAccessible();
    await dialog().getByRole('button', { name: 'Thu hồi' }).click();
    await row.getByText('Đã thu hồi').waitFor();
    await expect(row.getByRole('button', { name: 'Thu hồi' }).count()).resolves.toBe(0);
    const after = (await h.as(colleague).get(`/control/v1/connections/${connectionId}/certificates`).expect(200)).body.items;
    expect(after.find((c: { id: string }) => c.id === old.id)).toMatchObject({ revocationReason: 'Đã thay bằng chứng thư gia hạn', revokedAt: expect.any(String) });
    expect(after.filter((c: { environment: string; revokedAt: string | null }) => c.environment === 'production' && !c.revokedAt)).toHaveLength(1);
  });

  it('explains a step that is no longer allowed (409): the state the connection is in now, never raw JSON', async () => {
    await p.getByRole('button', { name: 'Quay lại danh sách' }).click();
    await p.getByTestId('review-queue').getByRole('button', { name: OTHER }).click();
    await waitForState('Đã gửi hồ sơ đăng ký');
    // Meanwhile another reviewer ends the request.
    await h.as(colleague).post(`/control/v1/connections/${otherId}/terminate`).send({ reason: 'Đơn vị rút đề nghị' }).expect(200);

    await p.getByRole('button', { name: 'Thẩm định hồ sơ' }).click();
    await dialog().getByLabel('Trả lại, yêu cầu hoàn thiện hồ sơ').check();
    await dialog().getByLabel('Ý kiến thẩm định, lý do').fill('Bổ sung mô tả hệ thống');
    await dialog().getByRole('button', { name: 'Ghi nhận' }).click();
    const problem = dialog().getByTestId('review-problem');
    await expect(problem.innerText()).resolves.toContain('Bước này không thực hiện được ở trạng thái hiện tại của kết nối');
    // The screen reloads the connection to say where it is now.
    await problem.getByText('Trạng thái hiện tại của kết nối: Đã chấm dứt kết nối').waitFor();
    expect(await problem.innerText()).not.toMatch(/[{}]|ILLEGAL_TRANSITION|SUBMITTED/);
    await expect(dialog().getByRole('button', { name: 'Ghi nhận' }).isDisabled()).resolves.toBe(true);
    await expectAccessible();
    await screenshot(p, 'review-6-conflict');
    await dialog().getByRole('button', { name: 'Hủy' }).click();
    await waitForState('Đã chấm dứt kết nối');
  });

  it('terminates a live connection behind a confirmation: its certificates are revoked at once', async () => {
    await p.getByRole('button', { name: 'Quay lại danh sách' }).click();
    await p.getByRole('tab', { name: 'Tất cả kết nối' }).click();
    await p.getByTestId('review-connections').getByRole('button', { name: SYSTEM }).click();
    await waitForState('Đang vận hành chính thức');
    await p.getByRole('button', { name: 'Chấm dứt kết nối' }).click();
    await dialog().getByLabel('Lý do').fill('Đơn vị đề nghị chấm dứt, thay bằng hệ thống mới');
    await dialog().getByRole('button', { name: 'Chấm dứt kết nối' }).click();
    const confirm = p.getByRole('dialog').filter({ hasText: `Chấm dứt kết nối "${SYSTEM}"?` });
    await confirm.getByRole('button', { name: 'Xác nhận' }).click();
    await waitForState('Đã chấm dứt kết nối');
    const certificates = (await h.as(colleague).get(`/control/v1/connections/${connectionId}/certificates`).expect(200)).body.items;
    expect(certificates.every((c: { revokedAt: string | null }) => c.revokedAt)).toBe(true);
    await expect(p.getByTestId('certificates').innerText()).resolves.toContain('Đã thu hồi');
  });

  it("reads the DTD's inbox, where the scheduled reports land, and opens the quarter's report from it", async () => {
    await p.getByRole('menuitem', { name: 'Thông báo' }).click();
    await p.getByText('Không có thông báo').waitFor();
    // A quarter ends: the gateway makes its report and says so in the DTD's inbox.
    const reportId = await h.control.get(ScheduledReportsService).runOnce();
    await p.reload();
    const notice = p.locator('.ant-list-item').filter({ hasText: 'Đã có báo cáo tổng hợp định kỳ' });
    await expectAccessible();
    await notice.getByRole('link', { name: 'Xem báo cáo' }).click();
    expect(new URL(p.url()).searchParams.get('report')).toBe(reportId);
    await p.getByTestId('periodic-report').locator('[data-section="connections"]').waitFor();
    await expectAccessible();
  });

  it('keeps the unit register: finds a unit by a former spelling, adds a commune, renames it, merges it, and shows its history', async () => {
    const suffix = Date.now().toString(36).toUpperCase();
    await p.getByRole('menuitem', { name: 'Danh mục đơn vị' }).click();
    const units = p.getByTestId('units');
    await units.getByRole('row').first().waitFor();
    // Any spelling, any tone placement: the resolver's answer.
    const find = p.getByRole('searchbox', { name: 'Tên đơn vị (mọi cách viết, cả tên cũ) hoặc mã' });
    await find.fill('tỉnh ủy thanh hoá');
    await find.press('Enter');
    await p.getByTestId('unit-found').getByText('Đơn vị hiện ứng với “tỉnh ủy thanh hoá”', { exact: false }).waitFor();
    await units.getByRole('row').filter({ hasText: 'Thanh Hóa' }).filter({ hasText: '38' }).waitFor();

    const add = async (code: string, name: string) => {
      await p.getByRole('button', { name: 'Thêm đơn vị' }).click();
      await dialog().getByLabel('Mã đơn vị').fill(code);
      await dialog().getByLabel('Tên đơn vị').fill(name);
      await dialog().getByLabel('Đơn vị cấp trên (mã)').fill('38');
      await dialog().getByLabel('Căn cứ (văn bản quyết định)').fill('Nghị quyết thử nghiệm của Ủy ban Thường vụ Quốc hội');
      await record();
    };
    await add(`X1-${suffix}`, `Xã Thử Nghiệm Một ${suffix}`);
    await add(`X2-${suffix}`, `Xã Thử Nghiệm Hai ${suffix}`);
    await find.fill(`X1-${suffix}`);
    await find.press('Enter');
    const row = units.getByRole('row').filter({ hasText: `X1-${suffix}` });
    await row.getByRole('button', { name: 'Đổi tên' }).click();
    await dialog().getByLabel('Tên mới').fill(`Xã Thử Nghiệm Mới ${suffix}`);
    await dialog().getByLabel('Căn cứ (văn bản quyết định)').fill('Nghị quyết đổi tên thử nghiệm');
    await record();
    await find.fill(`Xã Thử Nghiệm Một ${suffix}`); // the former name still finds it
    await find.press('Enter');
    await row.filter({ hasText: `Xã Thử Nghiệm Mới ${suffix}` }).getByRole('button', { name: 'Sáp nhập' }).click();
    await dialog().getByLabel('Mã đơn vị kế thừa').fill(`X2-${suffix}`);
    await fillDay(dialog().getByLabel('Ngày đơn vị kế thừa bắt đầu'), '2026-07-01');
    await dialog().getByLabel('Căn cứ (văn bản quyết định)').fill('Nghị quyết sáp nhập thử nghiệm');
    await expectAccessible();
    await dialog().getByRole('button', { name: 'Ghi nhận' }).click();
    // Waited for by its answer: the rename's "Đã ghi nhận." may still be showing.
    const [answer] = await Promise.all([
      p.waitForResponse((r) => r.url().endsWith(`/control/v1/units/X1-${suffix}/merge`) && r.request().method() === 'POST'),
      p.getByRole('dialog').filter({ hasText: 'không hoàn tác được' }).getByRole('button', { name: 'Xác nhận' }).click(),
    ]);
    expect(answer.status()).toBe(201);
    const merged = (await h.as(colleague).get(`/control/v1/units/X1-${suffix}`).expect(200)).body;
    expect(merged).toMatchObject({ name: `Xã Thử Nghiệm Mới ${suffix}`, successorCode: `X2-${suffix}`, validTo: '2026-06-30', formerNames: [`Xã Thử Nghiệm Một ${suffix}`] });
    expect(merged.history.map((e: { action: string }) => e.action)).toEqual(['CREATE', 'RENAME', 'MERGE']);

    // The merged unit's code now finds the unit answerable for it: its successor, which lists it.
    await find.fill(`X1-${suffix}`);
    await find.press('Enter');
    const successor = units.getByRole('row').filter({ hasText: `X2-${suffix}` });
    await successor.getByRole('button', { name: `Xã Thử Nghiệm Hai ${suffix}` }).click();
    const detail = p.getByTestId('unit-detail');
    await expect(detail.innerText()).resolves.toContain(`Các đơn vị đã sáp nhập vào\tX1-${suffix}`);
    await screenshot(p, 'review-8-unit-register');
    await p.locator('.ant-drawer').getByRole('button', { name: 'Đóng' }).click();
    await detail.waitFor({ state: 'detached' });
    await expectAccessible();
  });

  it("keeps the working calendar: a year without its lunar holidays is flagged, Tết entered (refused first for a source too short), then removed", async () => {
    const TET = '2027-02-08';
    const calendar = () => h.control.get(WorkingCalendarService).calendar();
    expect(calendar().isWorkingDay(TET)).toBe(true);
    await p.getByRole('menuitem', { name: 'Lịch làm việc' }).click();
    await p.getByLabel('Năm').fill('2027');
    await p.getByLabel('Năm').press('Enter');
    const missing = p.getByTestId('calendar-missing');
    await missing.getByText('Năm 2027 chưa có: Tết Nguyên đán, Giỗ Tổ Hùng Vương').waitFor();
    await p.getByTestId('calendar-days').getByText('Quốc khánh').waitFor();

    await p.getByRole('button', { name: 'Thêm ngày' }).click();
    await fillDay(dialog().getByLabel('Ngày', { exact: true }), TET);
    await dialog().getByLabel('Ngày nghỉ', { exact: true }).check();
    await dialog().getByLabel('Tên ngày').fill('Tết Nguyên đán Đinh Mùi');
    await dialog().getByLabel('Căn cứ').fill('TB');
    await dialog().getByRole('button', { name: 'Ghi nhận' }).click();
    await dialog().locator('.ant-form-item-explain-error').filter({ hasText: 'Từ 5 đến 500 ký tự' }).waitFor();
    await dialog().getByLabel('Căn cứ').fill('Thông báo số 123/TB-BNV ngày 01/12/2026 của Bộ Nội vụ');
    await expectAccessible();
    await record();
    const row = p.getByTestId('calendar-days').getByRole('row').filter({ hasText: 'Tết Nguyên đán Đinh Mùi' });
    await expect(row.innerText()).resolves.toContain('Thứ Hai, 08/02/2027');
    await missing.getByText('Năm 2027 chưa có: Giỗ Tổ Hùng Vương').waitFor();
    await screenshot(p, 'review-7-working-calendar');
    // Every working-day clock follows it at once.
    expect(calendar().isWorkingDay(TET)).toBe(false);

    await row.getByRole('button', { name: 'Xóa' }).click();
    await p.getByRole('dialog').filter({ hasText: 'Xóa ngày khỏi lịch' }).getByRole('button', { name: 'Xác nhận' }).click();
    await row.waitFor({ state: 'detached' });
    expect(calendar().isWorkingDay(TET)).toBe(true);
  });
});
