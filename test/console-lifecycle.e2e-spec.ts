import { jest } from '@jest/globals';
import fs from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { Role } from '../src/accounts/roles.js';
import { ControlPlaneHarness, makeCsr, Person } from './support/control-plane-harness.js';
import { launchChromium, openConsole, recordInDialog, screenshot, seriousViolations, signInAs } from './support/console-browser.js';
import { ensureConsoleBuilt } from './support/builds.js';
import { taskResult, type TestClient } from './support/gateway-harness.js';
import { PDF } from './support/lifecycle-fixtures.js';
import { waitFor } from './support/security-helpers.js';
import { resetDatabase } from './support/test-database.js';

const UNIT = 'Bộ Nông nghiệp và Môi trường';
const SYSTEM = 'Hệ thống theo dõi nhiệm vụ ngành nông nghiệp';
// One long journey through three people's browsers, Argon2 sign-ins and axe on a shared 2-core machine.
jest.setTimeout(600_000);

/**
 * Issue 13's whole lifecycle in a real browser, each step taken by the person whose step it is,
 * each signed in to a console of their own: the unit administrator registers; the DTD reviewer
 * returns the request with reasons; the unit revises and resubmits; DTD checks, approves and
 * records the agreement; the unit sends its test CSR; DTD configures; the unit's system exchanges
 * test data over mTLS with the certificate downloaded in the browser; DTD files the test report,
 * both confirm; DTD takes it live; the security officer suspends it and the data plane refuses it;
 * the unit files its remediation report; DTD accepts it from the work queue, the re-test runs on
 * test data, and DTD restores the connection, which the data plane serves again. Nothing here is
 * done through the API except what a system (not a person) does: the data-plane calls.
 */
describe('console: the whole lifecycle of a connection, each step in the browser of the person who takes it', () => {
  let h: ControlPlaneHarness;
  let browser: Browser;
  let unit: Page;
  let dtd: Page;
  let officer: Page;
  const people: Record<string, Person> = {};
  const downloads: string[] = [];

  beforeAll(async () => {
    await ensureConsoleBuilt();
    await resetDatabase();
    [h, browser] = await Promise.all([ControlPlaneHarness.start(), launchChromium()]);
    const admin = await h.bootstrapAdmin();
    people.unit = await h.person(admin, 'nnmt.admin', Role.UNIT_ADMIN, UNIT);
    people.dtd = await h.person(admin, 'dtd.thamdinh', Role.DTD_REVIEWER);
    people.officer = await h.person(admin, 'dtd.antoan', Role.SECURITY_OFFICER);
    [unit, dtd, officer] = await Promise.all([signedIn(people.unit), signedIn(people.dtd), signedIn(people.officer)]);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
    for (const file of downloads) fs.rmSync(file, { force: true });
  });

  async function signedIn(person: Person): Promise<Page> {
    const p = await openConsole(browser, h.controlUrl);
    await signInAs(p, h, person);
    return p;
  }

  const accessible = async (p: Page) => expect(await seriousViolations(p)).toEqual([]);
  const state = (p: Page, text: string) => p.getByTestId('connection-state').filter({ hasText: text }).waitFor();
  const pdf = (name: string) => ({ name, mimeType: 'application/pdf', buffer: Buffer.concat([PDF, Buffer.from(`% ${name}\n`)]) });

  /** What a file input of the unit's forms takes: the chosen file, uploaded at once. */
  async function unitUpload(scope: Locator | Page, label: string, name: string): Promise<void> {
    const before = await scope.getByTestId('document-uploaded').count();
    await scope.getByLabel(label).setInputFiles(pdf(name));
    await scope.getByTestId('document-uploaded').nth(before).waitFor();
  }

  // DTD's screens: one dialog a step, recorded with "Ghi nhận".
  const dialog = () => dtd.getByRole('dialog');
  async function dtdUpload(label: string): Promise<void> {
    await dialog().getByLabel(label).setInputFiles(pdf('van-ban-cuc.pdf'));
    await dialog().getByTestId('document-uploaded').waitFor();
  }
  const record = () => recordInDialog(dialog());
  /** DTD opens the connection from the work queue, where the step waiting for it is named. */
  async function dtdOpensFromQueue(task: string): Promise<void> {
    await dtd.getByRole('menuitem', { name: 'Thẩm định kết nối' }).click();
    const back = dtd.getByRole('button', { name: 'Quay lại danh sách' });
    if (await back.count()) await back.click();
    await dtd.getByRole('tab', { name: 'Việc chờ xử lý' }).click();
    await dtd.getByRole('button', { name: 'Tải lại' }).click();
    const row = dtd.getByTestId('review-queue').getByRole('row', { name: new RegExp(SYSTEM) }).filter({ hasText: task });
    await row.waitFor();
    await row.getByRole('button', { name: SYSTEM }).click();
  }
  async function unitOpens(tab?: string): Promise<void> {
    await unit.getByRole('menuitem', { name: 'Kết nối của đơn vị' }).click();
    const back = unit.getByRole('button', { name: 'Quay lại danh sách' });
    if (await back.count()) await back.click();
    await unit.getByRole('button', { name: `Xem chi tiết: ${SYSTEM}` }).click();
    if (tab) await unit.getByRole('tab', { name: tab }).click();
  }

  it('register → return → resubmit → approve → agreement → test → go-live → suspend → remediation → restore', async () => {
    // 1. The unit registers with its dossier and two documents.
    await unit.getByRole('menuitem', { name: 'Kết nối của đơn vị' }).click();
    await unit.getByRole('button', { name: 'Đăng ký kết nối mới' }).click();
    await unit.getByLabel('Tên hệ thống thông tin kết nối').fill(SYSTEM);
    await unit.getByLabel('Mô tả hệ thống thông tin').fill('Theo dõi nhiệm vụ được giao của các cục, vụ');
    await unit.getByLabel('Phạm vi dữ liệu đề nghị kết nối').fill('Kết quả thực hiện nhiệm vụ');
    await unit.getByLabel('Mục đích sử dụng').fill('Báo cáo kết quả thực hiện nhiệm vụ');
    await unitUpload(unit, 'Hồ sơ đề xuất cấp độ an toàn đã được phê duyệt', 'Hồ sơ cấp độ.pdf');
    for (const [who, name, email, phone] of [
      ['technicalContact', 'Lê Văn Kỹ', 'ky@mae.gov.vn', '024 3733 0001'],
      ['businessContact', 'Đỗ Thị Vụ', 'vu@mae.gov.vn', '024 3733 0002'],
    ]) {
      await unit.locator(`#dossier_${who}_name`).fill(name);
      await unit.locator(`#dossier_${who}_email`).fill(email);
      await unit.locator(`#dossier_${who}_phone`).fill(phone);
    }
    await unit.getByLabel('Số văn bản').fill('45/BNNMT-CĐS');
    await unit.getByLabel('Người ký (họ tên, chức vụ)').fill('Thứ trưởng Phạm Văn G');
    await unitUpload(unit, 'Bản quét công văn có chữ ký', 'Công văn.pdf');
    await unit.getByRole('button', { name: 'Gửi hồ sơ đăng ký' }).click();
    await state(unit, 'Đã gửi hồ sơ đăng ký');
    const [{ id }] = (await h.as(people.dtd).get('/control/v1/connections').expect(200)).body.items;

    // 2. DTD returns it with reasons, after reading the security assessment as the unit filed it.
    await dtdOpensFromQueue('Thẩm định hồ sơ');
    const [download] = await Promise.all([dtd.waitForEvent('download'), dtd.getByTestId('dossier').getByTestId('document-link').nth(1).click()]);
    downloads.push(await download.path());
    expect(download.suggestedFilename()).toBe('Hồ sơ cấp độ.pdf');
    expect(fs.readFileSync(await download.path())).toEqual(pdf('Hồ sơ cấp độ.pdf').buffer);
    await dtd.getByRole('button', { name: 'Thẩm định hồ sơ' }).click();
    await dialog().getByLabel('Trả lại, yêu cầu hoàn thiện hồ sơ').check();
    await dialog().getByLabel('Ý kiến thẩm định, lý do').fill('Bổ sung mô tả các phân hệ kết nối');
    await record();
    await state(dtd, 'Trả lại');

    // 3. The unit reads the reasons, revises the dossier and sends it again.
    await unit.getByRole('button', { name: 'Tải lại' }).first().click();
    await unit.getByRole('alert').getByText('Bổ sung mô tả các phân hệ kết nối').waitFor();
    await accessible(unit);
    await unit.getByRole('button', { name: 'Hoàn thiện hồ sơ, gửi lại' }).click();
    await expect(unit.getByLabel('Mục đích sử dụng').inputValue()).resolves.toBe('Báo cáo kết quả thực hiện nhiệm vụ');
    await unit.getByLabel('Mô tả hệ thống thông tin').fill('Theo dõi nhiệm vụ được giao; phân hệ giao việc và phân hệ báo cáo');
    await unit.getByLabel('Nội dung đã bổ sung, hoàn thiện').fill('Bổ sung mô tả hai phân hệ');
    await accessible(unit);
    await screenshot(unit, 'lifecycle-1-unit-resubmits');
    await unit.getByRole('button', { name: 'Gửi lại hồ sơ' }).click();
    await unit.getByText('Đã gửi lại hồ sơ đã hoàn thiện.').waitFor();
    await state(unit, 'Đã gửi hồ sơ đăng ký');

    // 4. DTD records the security check and approves.
    await dtdOpensFromQueue('Thẩm định hồ sơ');
    await expect(dtd.getByTestId('dossier').innerText()).resolves.toContain('phân hệ giao việc và phân hệ báo cáo');
    await dtd.getByRole('button', { name: 'Ghi kết quả kiểm tra an ninh' }).click();
    await dialog().getByLabel('Cơ quan kiểm tra').fill('Cục An ninh mạng (A05)');
    await dialog().getByLabel('Đạt yêu cầu bảo đảm an ninh', { exact: true }).check();
    await dtdUpload('Văn bản (tệp PDF, ảnh quét)');
    await record();
    await dtd.getByRole('button', { name: 'Thẩm định hồ sơ' }).click();
    await dialog().getByLabel('Chấp thuận', { exact: true }).check();
    await dialog().getByLabel('Ý kiến thẩm định, lý do').fill('Hồ sơ đã hoàn thiện');
    await dialog().getByLabel('Lãnh đạo quyết định (họ tên, chức vụ)').fill('Phó Chánh Văn phòng Trần Văn F');
    await dtdUpload('Văn bản (tệp PDF, ảnh quét)');
    await record();
    await state(dtd, 'Đã thẩm định, chấp thuận');

    // 5. DTD records the signed agreement.
    await dtd.getByRole('button', { name: 'Biên bản thỏa thuận kết nối' }).click();
    for (const [field, value] of [
      ['Họ tên 1', 'Lê Văn C'], ['Chức vụ 1', 'Cục trưởng'], ['Họ tên 2', 'Phạm Văn D'], ['Chức vụ 2', 'Chánh Văn phòng Bộ'],
      ['Biện pháp bảo mật', 'mTLS, chứng thư số do Cục cấp'], ['Trách nhiệm các bên', 'Đơn vị chịu trách nhiệm về dữ liệu'], ['Phương thức xử lý sự cố', 'Báo cáo trong 2 giờ'],
    ]) await dialog().getByLabel(field).fill(value);
    await dtdUpload('Bản quét biên bản đã ký');
    await dialog().getByRole('button', { name: 'Ghi nhận biên bản' }).click();
    await state(dtd, 'Đã ký biên bản thỏa thuận kết nối');

    // 6. The unit sends its test CSR; 7. DTD configures and issues the test certificate.
    const testKey = makeCsr('nnmt-test');
    await unitOpens('Chứng thư số');
    await unit.getByLabel('Yêu cầu cấp chứng thư số (CSR, định dạng PEM)').fill(testKey.csrPem);
    await unit.getByRole('button', { name: 'Gửi CSR' }).click();
    await unit.getByText('Đã gửi CSR; Cục Chuyển đổi số - Cơ yếu sẽ cấp chứng thư số.').waitFor();
    await dtdOpensFromQueue('Cấu hình kỹ thuật, cấp chứng thư thử nghiệm');
    await dtd.getByRole('button', { name: 'Cấu hình kỹ thuật, cấp chứng thư thử nghiệm' }).click();
    await dialog().getByLabel('Mã định danh đơn vị').fill('G10.BNNMT');
    await record();
    await state(dtd, 'Đang thử nghiệm');

    // 8. The unit downloads the certificate; its system exchanges test data over mTLS with it.
    await unit.getByRole('button', { name: 'Tải lại' }).first().click();
    const certRow = unit.getByTestId('certificates').getByRole('row', { name: /Còn hiệu lực/ });
    const [pem] = await Promise.all([unit.waitForEvent('download'), certRow.getByRole('button', { name: 'Tải chứng thư (PEM)' }).click()]);
    downloads.push(await pem.path());
    const [testCert] = (await h.as(people.unit).get(`/control/v1/connections/${id}/certificates`).expect(200)).body.items;
    const testClient: TestClient = { connectionId: id, certificateId: testCert.id, thumbprint: testCert.thumbprintSha256, certPem: fs.readFileSync(await pem.path(), 'utf8'), keyPem: testKey.keyPem };
    await (await h.gateway.as(testClient)).put('/api/v1/task-results/NNMT-01').send(taskResult('NNMT-01', UNIT)).expect(201);

    // 9. DTD files the test report; 10. the unit confirms the reconciliation; 11. DTD confirms.
    await dtd.reload();
    await expect(dtd.getByTestId('reconciliation').innerText()).resolves.toContain('1 kết quả nhiệm vụ');
    await dtd.getByRole('button', { name: 'Biên bản kết quả thử nghiệm' }).click();
    await dtdUpload('Văn bản (tệp PDF, ảnh quét)');
    for (const area of ['Thử nghiệm chức năng', 'Thử nghiệm hiệu năng', 'Thử nghiệm an toàn, bảo mật']) {
      await dialog().locator('.ant-form-item').filter({ hasText: area }).getByLabel('Đạt', { exact: true }).check();
    }
    for (const notes of await dialog().getByLabel('Ghi chú').all()) await notes.fill('Đạt yêu cầu');
    await record();
    await unit.getByRole('tab', { name: 'Đối soát thử nghiệm' }).click();
    await unit.getByRole('button', { name: 'Tải lại' }).first().click();
    await unit.getByTestId('reconciliation').getByText('NNMT-01').waitFor();
    await unit.getByLabel('Ý kiến của đơn vị').fill('Số liệu khớp');
    await unit.getByRole('button', { name: 'Xác nhận kết quả đối soát' }).click();
    await unit.getByText('Đã xác nhận kết quả thử nghiệm.').waitFor();
    await dtdOpensFromQueue('Xác nhận kết quả thử nghiệm');
    await dtd.getByRole('button', { name: 'Cục xác nhận kết quả thử nghiệm' }).click();
    await record();
    await state(dtd, 'Thử nghiệm đạt yêu cầu');

    // 12. The unit asks for its production certificate; 13. DTD takes the connection live.
    const productionKey = makeCsr('nnmt-prod');
    await unit.getByRole('tab', { name: 'Chứng thư số' }).click();
    await unit.getByLabel('Chính thức').check();
    await unit.getByLabel('Yêu cầu cấp chứng thư số (CSR, định dạng PEM)').fill(productionKey.csrPem);
    await unit.getByRole('button', { name: 'Gửi CSR' }).click();
    await unit.getByText('Đã gửi CSR; Cục Chuyển đổi số - Cơ yếu sẽ cấp chứng thư số.').waitFor();
    await dtdOpensFromQueue('Đưa vào vận hành chính thức');
    await dtd.getByRole('button', { name: 'Đưa vào vận hành chính thức' }).click();
    await dialog().getByLabel('Đầu mối ứng cứu sự cố 24/7 — họ tên').fill('Trực ban an ninh mạng Bộ');
    await dialog().getByLabel('Điện thoại').fill('+84 24 3733 0003');
    await dialog().getByLabel('Thư điện tử').fill('truc-ban@mae.gov.vn');
    await record();
    await state(dtd, 'Đang vận hành chính thức');
    const certificates = (await h.as(people.unit).get(`/control/v1/connections/${id}/certificates`).expect(200)).body.items;
    const productionCert = certificates.find((c: { environment: string }) => c.environment === 'production');
    const production: TestClient = { connectionId: id, certificateId: productionCert.id, thumbprint: productionCert.thumbprintSha256, certPem: productionCert.certificatePem, keyPem: productionKey.keyPem };
    await (await h.gateway.as(production)).put('/api/v1/task-results/NNMT-02').send(taskResult('NNMT-02', UNIT)).expect(201);
    const token = () => h.gateway.call(production, 'post', '/api/v1/oauth/token').type('form').send({ grant_type: 'client_credentials' });

    // 14. The security officer suspends it behind a confirmation; the data plane refuses it.
    await officer.getByRole('menuitem', { name: 'Giám sát an ninh' }).click();
    const boardRow = officer.getByTestId('connections').getByRole('row', { name: new RegExp(SYSTEM) });
    await boardRow.getByRole('button', { name: 'Tạm dừng kết nối' }).click();
    await officer.getByRole('dialog').getByLabel('Lý do tạm dừng').fill('Truy vấn bất thường ngoài giờ làm việc');
    await officer.getByRole('dialog').getByRole('button', { name: 'Tạm dừng kết nối' }).click();
    await officer.getByRole('dialog').filter({ hasText: `Tạm dừng kết nối "${SYSTEM}"?` }).getByRole('button', { name: 'Xác nhận' }).click();
    const refused = await waitFor(async () => {
      const answer = await token();
      return answer.status === 403 ? answer : null;
    }, 3000, 100);
    expect(refused.body).toMatchObject({ code: 'CONNECTION_SUSPENDED' });

    // 15. The unit files its remediation report with the competent body's confirmation.
    await unitOpens('Sự cố và khắc phục');
    await unit.getByText(/Kết nối đang tạm dừng, lý do/).waitFor();
    await unit.getByLabel('Nguyên nhân').fill('Tác vụ đồng bộ chạy lặp do lỗi cấu hình');
    await unit.getByLabel('Biện pháp khắc phục đã thực hiện').fill('Sửa cấu hình, giới hạn tần suất phía đơn vị');
    await unit.getByLabel('Cam kết bảo đảm an toàn thông tin').fill('Giám sát tần suất truy vấn hằng ngày');
    await unitUpload(unit, 'Văn bản xác nhận của cơ quan có thẩm quyền', 'Xác nhận khắc phục.pdf');
    await unit.getByRole('button', { name: 'Gửi báo cáo khắc phục' }).click();
    await unit.getByText('Đã gửi báo cáo khắc phục; chờ Cục xem xét.').waitFor();

    // 16. DTD finds it in the work queue, reads the confirmation, and accepts the report.
    await dtdOpensFromQueue('Xem xét báo cáo khắc phục');
    const report = dtd.getByTestId('remediation-report');
    await expect(report.innerText()).resolves.toContain('Tác vụ đồng bộ chạy lặp do lỗi cấu hình');
    const [confirmation] = await Promise.all([dtd.waitForEvent('download'), report.getByTestId('document-link').click()]);
    downloads.push(await confirmation.path());
    expect(confirmation.suggestedFilename()).toBe('Xác nhận khắc phục.pdf');
    await accessible(dtd);
    await screenshot(dtd, 'lifecycle-2-dtd-remediation-report');
    await report.getByRole('button', { name: 'Xem xét báo cáo khắc phục' }).click();
    await dialog().getByLabel('Chấp nhận, khôi phục kết nối').check();
    await dialog().getByLabel('Nhận xét, hoặc kiến nghị bằng văn bản').fill('Biện pháp khắc phục đạt yêu cầu');
    await record();
    await state(dtd, 'Đang thử nghiệm lại');
    await expect(report.getByTestId('remediation-status').innerText()).resolves.toBe('Đã chấp nhận, chờ thử nghiệm lại');

    // 17. The re-test on test data; production stays refused until the restoration.
    await waitFor(async () => (await (await h.gateway.as(testClient)).put('/api/v1/task-results/NNMT-03').send(taskResult('NNMT-03', UNIT))).status === 201, 3000, 100);
    expect((await token()).status).toBe(403);

    // 18. DTD restores it from the queue's "within 24 hours" item; the data plane serves it again.
    await dtdOpensFromQueue('Khôi phục kết nối trong 24 giờ');
    await dtd.getByRole('button', { name: 'Khôi phục kết nối sau thử nghiệm lại' }).click();
    await dialog().getByLabel('Kết quả thử nghiệm lại với dữ liệu thử nghiệm').fill('Kết nối và dữ liệu thử nghiệm đạt');
    await accessible(dtd);
    await record();
    await state(dtd, 'Đang vận hành chính thức');
    await expect(dtd.getByTestId('remediation-status').first().innerText()).resolves.toBe('Đã khôi phục kết nối');
    await waitFor(async () => (await token()).status === 200, 3000, 100);
    await (await h.gateway.as(production)).get('/api/v1/task-results/NNMT-02').expect(200);

    // The unit sees its connection live again, and the history holds every step in order.
    await unitOpens();
    await state(unit, 'Đang vận hành chính thức');
    const history = (await h.as(people.dtd).get(`/control/v1/connections/${id}/history`).query({ limit: 100 }).expect(200)).body.items;
    expect(history.map((e: { toState: string }) => e.toState).filter((s: string, i: number, all: string[]) => s !== all[i - 1])).toEqual([
      'SUBMITTED', 'RETURNED', 'SUBMITTED', 'APPROVED', 'AGREEMENT_SIGNED', 'TESTING', 'TEST_PASSED', 'LIVE', 'SUSPENDED', 'RETESTING', 'LIVE',
    ]);
  });
});
