import { jest } from '@jest/globals';
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { Role } from '../src/accounts/roles.js';
import { WebhookDispatcher } from '../src/notifications/webhook-dispatcher.service.js';
import { ControlPlaneHarness, makeCsr, Person, webhookReceiver } from './support/control-plane-harness.js';
import { launchChromium, openConsole, screenshot, seriousViolations, signInAs } from './support/console-browser.js';
import { ensureConsoleBuilt } from './support/builds.js';
import { taskResult, type TestClient } from './support/gateway-harness.js';
import { agreementFor, approveWithPaperwork, PDF, testReport } from './support/lifecycle-fixtures.js';
import { resetDatabase, sql } from './support/test-database.js';

const UNIT = 'Bộ Khoa học và Công nghệ';
const SYSTEM = 'Hệ thống quản lý đề tài KH&CN';
// A browser, Argon2 sign-ins and axe on a shared 2-core machine: minutes, not the default 30 s.
jest.setTimeout(180_000);

/**
 * The unit administrator's part of issue 13, in a real browser (Debian's Chromium) against both
 * planes of a real gateway and the test PostgreSQL, one page signed in once, step by step as the
 * person would: register with the dossier and its documents, send a CSR and download the issued
 * certificate, meet the 409 of confirming a test that exchanged nothing (read in Vietnamese), see
 * the reconciliation after a real mTLS client exchanged data and confirm it, report an incident
 * and file the remediation report, set the webhook (an http:// URL refused with the field named)
 * and read its delivery log with a failure. The DTD reviewer's steps in between go through the API
 * (their screens are tested with them). axe-core on each screen; screenshots for the README.
 */
describe("console in the browser: the unit administrator's journey", () => {
  let h: ControlPlaneHarness;
  let browser: Browser;
  let admin: Person;
  let unitAdmin: Person;
  let reviewer: Person;
  let p: Page;
  let connectionId: string;
  let testKeyPem: string;
  let downloadedPem: string;
  /** The unit's system, with the certificate the browser downloaded and the key the unit kept. */
  let testClient: TestClient;
  /** The document DTD filed with its appraisal; its test report quotes it too. */
  let dtdDocument: string;
  const downloads: string[] = [];

  beforeAll(async () => {
    await ensureConsoleBuilt();
    await resetDatabase();
    [h, browser] = await Promise.all([ControlPlaneHarness.start(), launchChromium()]);
    admin = await h.bootstrapAdmin();
    unitAdmin = await h.person(admin, 'khcn.admin', Role.UNIT_ADMIN, UNIT);
    reviewer = await h.person(admin, 'dtd.reviewer', Role.DTD_REVIEWER);
    p = await openConsole(browser, h.controlUrl);
    await signInAs(p, h, unitAdmin);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
    for (const file of downloads) fs.rmSync(file, { force: true });
  });

  async function expectAccessible(): Promise<void> {
    expect(await seriousViolations(p)).toEqual([]);
  }

  /** The visible refusal, as text: the gateway's Vietnamese words, never its JSON body. */
  async function failureText(): Promise<string> {
    const alert = p.getByTestId('failure').last();
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).not.toMatch(/[{}]|"statusCode"|"messageVi"/);
    return text;
  }

  const api = () => h.as(reviewer);
  const tab = (name: string) => p.getByRole('tab', { name }).click();
  const state = () => p.getByTestId('connection-state').innerText();

  it('registers a connection with its technical dossier, uploading the security assessment and the request letter', async () => {
    await p.getByRole('menuitem', { name: 'Kết nối của đơn vị' }).click();
    await p.getByText('Đơn vị chưa có kết nối nào').waitFor();
    await expectAccessible();
    await p.getByRole('button', { name: 'Đăng ký kết nối mới' }).click();
    await p.getByRole('heading', { name: 'Đăng ký kết nối (Bước 1: hồ sơ kỹ thuật)' }).waitFor();

    // Sent without its documents, the form names what is missing and nothing is registered.
    await p.getByRole('button', { name: 'Gửi hồ sơ đăng ký' }).click();
    await p.getByText('Bắt buộc nhập').first().waitFor();

    await p.getByLabel('Tên hệ thống thông tin kết nối').fill(SYSTEM);
    await p.getByLabel('Mô tả hệ thống thông tin').fill('Hệ thống quản lý đề tài, nhiệm vụ khoa học và công nghệ cấp bộ');
    await p.getByLabel('Phạm vi dữ liệu đề nghị kết nối').fill('Kết quả thực hiện nhiệm vụ và bộ chỉ số');
    await p.getByLabel('Mục đích sử dụng').fill('Báo cáo định kỳ lên Hệ thống theo dõi, đánh giá');
    await p.getByLabel('Hồ sơ đề xuất cấp độ an toàn đã được phê duyệt').setInputFiles({ name: 'Hồ sơ cấp độ 3.pdf', mimeType: 'application/pdf', buffer: PDF });
    await p.getByTestId('document-uploaded').first().waitFor();
    for (const [who, name, email, phone] of [
      ['technicalContact', 'Nguyễn Văn A', 'a@most.gov.vn', '+84 24 1234 5678'],
      ['businessContact', 'Trần Thị B', 'b@most.gov.vn', '024 8765 4321'],
    ]) {
      await p.locator(`#dossier_${who}_name`).fill(name);
      await p.locator(`#dossier_${who}_email`).fill(email);
      await p.locator(`#dossier_${who}_phone`).fill(phone);
    }
    await p.getByLabel('Số văn bản').fill('123/BKHCN-CNTT');
    await p.getByLabel('Người ký (họ tên, chức vụ)').fill('Thứ trưởng Nguyễn Văn E');
    await p.getByLabel('Bản quét công văn có chữ ký').setInputFiles({ name: 'Công văn đề nghị.pdf', mimeType: 'application/pdf', buffer: PDF });
    await p.getByTestId('document-uploaded').nth(1).waitFor();
    await expect(p.getByTestId('document-uploaded').last().innerText()).resolves.toContain('Đã tải lên: Công văn đề nghị.pdf');
    await expectAccessible();
    await screenshot(p, '09-unit-register-connection');

    await p.getByRole('button', { name: 'Gửi hồ sơ đăng ký' }).click();
    await p.getByText('Đã gửi hồ sơ đăng ký kết nối.').waitFor();
    await expect(state()).resolves.toBe('Đã gửi hồ sơ đăng ký');

    // What the gateway recorded is what the form said, with the two uploaded documents.
    const listed = (await h.as(unitAdmin).get('/control/v1/connections').expect(200)).body.items;
    expect(listed).toHaveLength(1);
    connectionId = listed[0].id;
    const connection = (await h.as(unitAdmin).get(`/control/v1/connections/${connectionId}`).expect(200)).body;
    expect(connection).toMatchObject({ ownerUnit: UNIT, state: 'SUBMITTED' });
    expect(connection.dossier).toMatchObject({
      securityLevel: 3,
      businessContact: { name: 'Trần Thị B', email: 'b@most.gov.vn', phone: '024 8765 4321' },
      requestLetter: { number: '123/BKHCN-CNTT', signedBy: 'Thứ trưởng Nguyễn Văn E' },
    });
    const documents = await sql<{ file_name: string; unit: string }>(
      `SELECT file_name, unit FROM documents WHERE id = ANY($1::uuid[]) ORDER BY file_name`,
      [[connection.dossier.securityAssessmentDocumentId, connection.dossier.requestLetter.documentId]],
    );
    expect(documents).toEqual([{ file_name: 'Công văn đề nghị.pdf', unit: UNIT }, { file_name: 'Hồ sơ cấp độ 3.pdf', unit: UNIT }]);
    await p.getByTestId('connection-history').getByText('Đã gửi hồ sơ đăng ký').waitFor();
    await expectAccessible();
    await screenshot(p, '10-unit-connection-dossier');
  });

  it('sends a CSR (a malformed one refused with the field named), and downloads the issued certificate as PEM', async () => {
    // DTD's steps 2 and 3: appraisal with its paperwork, the signed agreement.
    dtdDocument = await approveWithPaperwork(h, reviewer, connectionId);
    await api().post(`/control/v1/connections/${connectionId}/agreements`).send(agreementFor(UNIT, { documentId: dtdDocument })).expect(200);

    await p.getByRole('button', { name: 'Tải lại' }).first().click();
    await p.getByTestId('connection-state').filter({ hasText: 'Đã ký biên bản thỏa thuận kết nối' }).waitFor();
    await tab('Chứng thư số');
    await p.getByText('Chưa có chứng thư số nào được cấp').waitFor();

    await p.getByLabel('Yêu cầu cấp chứng thư số (CSR, định dạng PEM)').fill(`-----BEGIN CERTIFICATE REQUEST-----\n${'A'.repeat(120)}\n-----END CERTIFICATE REQUEST-----`);
    await p.getByRole('button', { name: 'Gửi CSR' }).click();
    const refused = await failureText();
    expect(refused).toContain('Không thực hiện được');
    expect(refused).toContain('Không dùng được yêu cầu cấp chứng thư số (CSR)');
    expect(refused).toContain('Yêu cầu cấp chứng thư số (CSR, định dạng PEM):');

    // The real CSR from a file, as the unit's administrator has it.
    const csr = makeCsr('he-thong-de-tai.bkhcn');
    testKeyPem = csr.keyPem;
    await p.getByRole('button', { name: 'Chọn tệp CSR' }).locator('xpath=ancestor::span[contains(@class,"ant-upload")]//input[@type="file"]').setInputFiles({ name: 'he-thong.csr', mimeType: 'application/pkcs10', buffer: Buffer.from(csr.csrPem) });
    await expect(p.getByLabel('Yêu cầu cấp chứng thư số (CSR, định dạng PEM)').inputValue()).resolves.toContain('BEGIN CERTIFICATE REQUEST');
    await p.getByRole('button', { name: 'Gửi CSR' }).click();
    await p.getByText('Đã gửi CSR; Cục Chuyển đổi số - Cơ yếu sẽ cấp chứng thư số.').waitFor();
    await p.getByTestId('pending-csr').getByText(/Thử nghiệm/).waitFor();

    // DTD's step 4: the unit identifier, and the test certificate from that CSR.
    await api().post(`/control/v1/connections/${connectionId}/configure`).send({ unitCode: 'BKHCN-DT' }).expect(200);
    await p.getByRole('button', { name: 'Tải lại' }).first().click();
    const row = p.getByTestId('certificates').getByRole('row', { name: /Còn hiệu lực/ });
    await row.waitFor();
    await expectAccessible();
    await screenshot(p, '11-unit-certificates');
    const [download] = await Promise.all([p.waitForEvent('download'), row.getByRole('button', { name: 'Tải chứng thư (PEM)' }).click()]);
    const saved = await download.path();
    downloads.push(saved);
    const [issued] = (await h.as(unitAdmin).get(`/control/v1/connections/${connectionId}/certificates`).expect(200)).body.items;
    expect(download.suggestedFilename()).toBe(`BKHCN-DT-test-${issued.serialNumber}.pem`);
    downloadedPem = fs.readFileSync(saved, 'utf8');
    expect(downloadedPem).toBe(issued.certificatePem);
    expect(issued.certificatePem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    // Its thumbprint is shown (the token is bound to it), and once past notAfter it no longer looks
    // valid: the browser's clock a day after expiry, then back to now.
    await row.getByText(issued.thumbprintSha256.slice(0, 16)).waitFor();
    await p.clock.install();
    await p.clock.setSystemTime(new Date(Date.parse(issued.notAfter) + 86_400_000));
    await p.getByRole('button', { name: 'Tải lại' }).first().click();
    await p.getByTestId('certificates').locator('[data-color="RED"]', { hasText: 'Đã hết hạn' }).waitFor();
    await p.clock.setSystemTime(new Date());
    await p.getByRole('button', { name: 'Tải lại' }).first().click();
    await p.getByTestId('certificates').locator('[data-color="GREEN"]', { hasText: 'Còn hiệu lực' }).waitFor();
  });

  it('shows the 409 of confirming a test that exchanged nothing in words, then confirms the reconciliation once data was exchanged', async () => {
    await tab('Đối soát thử nghiệm');
    await expect(p.getByTestId('reconciliation').innerText()).resolves.toContain('Bản ghi kết quả nhiệm vụ\n0');
    await p.getByRole('button', { name: 'Xác nhận kết quả đối soát' }).click();
    const conflict = await failureText();
    expect(conflict).toContain('Không thực hiện được ở thời điểm này');
    expect(conflict).toContain('Chưa có dữ liệu nào được trao đổi trong môi trường thử nghiệm; chưa thể xác nhận kết quả thử nghiệm. Đề nghị gửi, nhận dữ liệu thử');
    expect(conflict).toContain('Mã lỗi: NOTHING_EXCHANGED_IN_TEST');
    await expectAccessible();
    await screenshot(p, '12-unit-readable-409');

    // The unit's system exchanges test data over mTLS with the certificate downloaded in the browser.
    const [issued] = (await h.as(unitAdmin).get(`/control/v1/connections/${connectionId}/certificates`).expect(200)).body.items;
    testClient = { connectionId, certificateId: issued.id, thumbprint: issued.thumbprintSha256, certPem: downloadedPem, keyPem: testKeyPem };
    await (await h.gateway.as(testClient)).put('/api/v1/task-results/KHCN-01').send(taskResult('KHCN-01', UNIT)).expect(201);
    await api().post(`/control/v1/connections/${connectionId}/test-report`).send(testReport(dtdDocument)).expect(200);

    await p.getByRole('button', { name: 'Tải lại' }).first().click();
    await p.getByTestId('reconciliation').getByText('KHCN-01').waitFor();
    await expect(p.getByTestId('reconciliation').innerText()).resolves.toContain('Bản ghi kết quả nhiệm vụ\n1');
    await p.getByText('Gửi, nhận đủ hai bộ dữ liệu').waitFor();
    await p.getByLabel('Ý kiến của đơn vị').fill('Số liệu đối soát khớp với hệ thống của Bộ');
    await p.getByRole('button', { name: 'Xác nhận kết quả đối soát' }).click();
    await p.getByText('Đã xác nhận kết quả thử nghiệm.').waitFor();
    await expect(p.getByTestId('unit-confirmed').innerText()).resolves.toContain('Đơn vị đã xác nhận lúc');
    await expectAccessible();
    await screenshot(p, '13-unit-test-reconciliation');
    const confirmed = (await api().get(`/control/v1/connections/${connectionId}`).expect(200)).body;
    expect(confirmed.testConfirmation).toMatchObject({ unitConfirmedBy: expect.any(String) });
    await api().post(`/control/v1/connections/${connectionId}/test-confirmations/dtd`).send({ notes: 'Đạt' }).expect(200);
  });

  it("shows the agreement in force (the scope and quotas the gateway applies) and the last hour's calls, a refusal in words", async () => {
    // The unit's system pushes a record of another unit's task: outside its agreed scope.
    await (await h.gateway.as(testClient)).put('/api/v1/task-results/XD-01').send(taskResult('XD-01', 'Bộ Xây dựng')).expect(403);
    await tab('Thỏa thuận và lưu lượng');
    const agreement = p.getByTestId('agreement-in-force');
    await agreement.waitFor();
    const text = await agreement.innerText();
    expect(text).toContain('Phiên bản 1, ký ngày');
    expect(text).toContain('Lượt ghi mỗi phút: 120;');
    // A limit the agreement left out is the gateway's default, applied and said so (never "no limit").
    const [recorded] = (await h.as(unitAdmin).get(`/control/v1/connections/${connectionId}/agreements`).expect(200)).body.items;
    expect(recorded.quotas.readsPerDay).toBeUndefined();
    expect(text).toContain(`Lượt đọc mỗi ngày: ${recorded.appliedQuotas.readsPerDay.toLocaleString('vi-VN')} (mức mặc định của Cổng)`);
    expect(text).toContain('Báo cáo trong 2 giờ qua đầu mối 24/7');
    // The signed minutes DTD filed: the unit downloads them; another agency cannot.
    await agreement.getByTestId('document-link').waitFor();
    await h.as(unitAdmin).get(`/control/v1/documents/${recorded.documentId}`).expect(200);
    const stranger = await h.person(admin, 'xd.admin', Role.UNIT_ADMIN, 'Bộ Xây dựng');
    await h.as(stranger).get(`/control/v1/documents/${recorded.documentId}`).expect(404);
    const traffic = p.getByTestId('connection-traffic');
    await traffic.getByRole('row').filter({ hasText: 'Đơn vị này không thuộc phạm vi được phép gửi dữ liệu của kết nối' }).filter({ hasText: 'OUTSIDE_WRITE_SCOPE' }).waitFor();
    await expectAccessible();
    await screenshot(p, '21-unit-agreement-and-traffic');
    await tab('Đối soát thử nghiệm');
  });

  it('reports an incident behind a confirmation (the connection is suspended), then files the remediation report with its confirmation document', async () => {
    await p.getByRole('button', { name: 'Tải lại' }).first().click();
    await p.getByTestId('connection-state').filter({ hasText: 'Thử nghiệm đạt yêu cầu' }).waitFor();
    await tab('Sự cố và khắc phục');
    await p.getByLabel('Mô tả sự cố').fill('Máy chủ tích hợp bị lộ khóa bí mật của chứng thư số');
    await expectAccessible();
    await p.getByRole('button', { name: 'Gửi báo cáo sự cố' }).click();
    const confirm = p.getByRole('dialog').filter({ hasText: `Kết nối "${SYSTEM}" sẽ bị tạm dừng ngay.` });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Xác nhận' }).click();
    await p.getByText('Đã gửi báo cáo sự cố; kết nối đã tạm dừng.').waitFor();
    await p.getByTestId('connection-state').filter({ hasText: 'Tạm dừng kết nối' }).waitFor();
    await p.getByText('Kết nối đang tạm dừng, lý do: Mất kiểm soát thông tin xác thực').waitFor();
    const incident = p.getByTestId('unit-incidents').getByRole('row').filter({ hasText: 'Máy chủ tích hợp bị lộ khóa bí mật của chứng thư số' });
    await incident.waitFor();
    // IV.5.d as the unit is held to it: its notice within 2 hours of detection (detected just now),
    // and the official report due 24 hours on, from the incident's own deadline.
    await expect(incident.getByTestId('notice-timing').innerText()).resolves.toMatch(/^Sau \d+ phút\s+Đúng hạn \(trong 2 giờ\)$/);
    const [opened] = (await h.as(unitAdmin).get(`/control/v1/connections/${connectionId}/incidents`).expect(200)).body.items;
    const due = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .format(new Date(opened.deadlines.officialReport)).replace(',', '');
    await expect(incident.getByTestId('official-report-due').innerText()).resolves.toContain(`Hạn ${due}`);
    // Its own official report (IV.5.d, 24 hours from detection), filed once from the incident's row.
    const unitReport = incident.getByTestId('unit-report');
    await expect(unitReport.innerText()).resolves.toContain('Hạn ');
    await unitReport.getByRole('button', { name: 'Gửi báo cáo chính thức' }).click();
    const filing = p.getByRole('dialog').filter({ hasText: 'Báo cáo chính thức về sự cố (IV.5.d)' });
    await filing.getByRole('button', { name: 'Gửi báo cáo chính thức' }).click();
    await filing.getByText('Bắt buộc nhập').first().waitFor();
    await filing.getByLabel('Số văn bản').fill('15/BC-BTC');
    await filing.getByLabel('Văn bản đã ký (PDF, Word hoặc ảnh quét)').setInputFiles({ name: 'Báo cáo sự cố.pdf', mimeType: 'application/pdf', buffer: PDF });
    await filing.getByTestId('document-uploaded').waitFor();
    await expectAccessible();
    await filing.getByRole('button', { name: 'Gửi báo cáo chính thức' }).click();
    await p.getByText('Đã gửi báo cáo chính thức.').waitFor();
    await filing.waitFor({ state: 'hidden' });
    await unitReport.filter({ hasText: 'Đã gửi lúc' }).waitFor();
    await expect(unitReport.innerText()).resolves.toMatch(/^Đã gửi lúc .+ — văn bản số 15\/BC-BTC ngày \d{2}\/\d{2}\/\d{4}[\s\S]*Đúng hạn \(trong 24 giờ\)$/);
    await expect(unitReport.getByRole('button', { name: 'Gửi báo cáo chính thức' }).count()).resolves.toBe(0);
    const [filed] = (await h.as(unitAdmin).get(`/control/v1/connections/${connectionId}/incidents`).expect(200)).body.items;
    expect(filed.unitReport).toMatchObject({ document: { number: '15/BC-BTC', recipient: 'Cục Chuyển đổi số' }, onTime: true });
    // Suspended for real: the data plane refuses the unit's system.
    const token = await h.gateway.call(testClient, 'post', '/api/v1/oauth/token').type('form').send({ grant_type: 'client_credentials' });
    expect(token.status).toBe(403);
    expect(token.body).toMatchObject({ code: 'CONNECTION_SUSPENDED' });

    await p.getByLabel('Nguyên nhân').fill('Khóa bí mật lưu trên máy chủ dùng chung');
    await p.getByLabel('Biện pháp khắc phục đã thực hiện').fill('Thu hồi chứng thư, tạo cặp khóa mới trong HSM');
    await p.getByLabel('Cam kết bảo đảm an toàn thông tin').fill('Không lưu khóa ngoài HSM');
    await p.getByLabel('Văn bản xác nhận của cơ quan có thẩm quyền').setInputFiles({ name: 'Xác nhận A05.pdf', mimeType: 'application/pdf', buffer: PDF });
    await p.getByTestId('document-uploaded').waitFor();
    await expectAccessible();
    await p.getByRole('button', { name: 'Gửi báo cáo khắc phục' }).click();
    await p.getByText('Đã gửi báo cáo khắc phục; chờ Cục xem xét.').waitFor();
    await p.getByTestId('remediation-reports').getByText('Đã nộp, chờ Cục xem xét').waitFor();
    // One report at a time awaits DTD's decision: the form is gone until DTD answers.
    await expect(p.getByRole('button', { name: 'Gửi báo cáo khắc phục' }).count()).resolves.toBe(0);
    await expectAccessible();
    await screenshot(p, '14-unit-incident-remediation');

    const [report] = (await h.as(unitAdmin).get(`/control/v1/connections/${connectionId}/remediation-reports`).expect(200)).body.items;
    expect(report).toMatchObject({ status: 'SUBMITTED', cause: 'Khóa bí mật lưu trên máy chủ dùng chung', confirmationDocumentId: expect.any(String) });
  });

  it("sends the annual security assessment dossier DTD asked for (IV.5.e), seeing the request and its due date, from the same tab", async () => {
    const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await api().post(`/control/v1/connections/${connectionId}/maintenance-minutes`).send({ kind: 'ASSESSMENT_REQUESTED', summary: 'Gửi hồ sơ đánh giá an toàn thông tin năm 2026', dueDate: due }).expect(200);
    await p.getByRole('button', { name: 'Tải lại' }).first().click();
    await tab('Sự cố và khắc phục');
    const card = p.getByTestId('assessment-dossier');
    await card.getByText(`trước ngày ${due.slice(8, 10)}/${due.slice(5, 7)}/${due.slice(0, 4)}`, { exact: false }).waitFor();
    await card.getByRole('button', { name: 'Gửi hồ sơ' }).click();
    await card.getByText('Chọn tệp hồ sơ đã ký').waitFor();
    await card.getByLabel('Nội dung hồ sơ').fill('Hồ sơ đánh giá cấp độ 3 do Cục An toàn thông tin thực hiện tháng 11/2026: đạt');
    await card.getByLabel('Tệp hồ sơ').setInputFiles({ name: 'Hồ sơ đánh giá ATTT 2026.pdf', mimeType: 'application/pdf', buffer: PDF });
    await card.getByTestId('document-uploaded').waitFor();
    await expectAccessible();
    await card.getByRole('button', { name: 'Gửi hồ sơ' }).click();
    await p.getByText('Đã gửi hồ sơ đánh giá an toàn thông tin đến Cục Chuyển đổi số').waitFor();
    await card.getByTestId('assessment-dossiers').getByText('Hồ sơ đánh giá cấp độ 3 do Cục An toàn thông tin thực hiện tháng 11/2026: đạt').waitFor();
    // Answered: the request is no longer shown as owed.
    await card.getByText('trước ngày', { exact: false }).waitFor({ state: 'detached' });
    // The history names the step by what it was, not as maintenance minutes.
    await tab('Hồ sơ và lịch sử');
    await p.getByTestId('connection-history').getByText('Hồ sơ đánh giá an toàn thông tin hằng năm đã nhận (IV.5.e)').first().waitFor();
    const notice = (await api().get('/control/v1/notifications?order=newest').expect(200)).body.items.find((n: { kind: string }) => n.kind === 'SECURITY_ASSESSMENT_DOSSIER_RECEIVED');
    expect(notice).toMatchObject({ connectionId });
  });

  it('sets the webhook (an http:// URL refused, the field named) and shows its delivery log with a failed attempt, then the delivery', async () => {
    const receiver = await webhookReceiver(1);
    try {
      await p.getByRole('menuitem', { name: 'Webhook thông báo' }).click();
      await p.getByText('Đơn vị chưa đăng ký webhook').waitFor();
      await p.getByLabel('Địa chỉ URL nhận thông báo').fill('http://127.0.0.1:9/hook');
      await p.getByRole('button', { name: 'Lưu webhook' }).click();
      const refused = await failureText();
      expect(refused).toContain('Địa chỉ webhook không được chấp nhận (chỉ https, không trỏ vào mạng nội bộ)');
      expect(refused).toContain('Địa chỉ URL nhận thông báo: phải là địa chỉ https://');
      await expectAccessible();

      await p.getByLabel('Địa chỉ URL nhận thông báo').fill(receiver.url);
      await p.getByRole('button', { name: 'Lưu webhook' }).click();
      await expect(p.getByTestId('webhook-secret').innerText()).resolves.toMatch(/\S{16,}/);
      await expect(p.getByTestId('webhook-status').innerText()).resolves.toContain(receiver.url);

      // DTD answers the remediation report: the unit is told, through its webhook too.
      const [report] = (await h.as(unitAdmin).get(`/control/v1/connections/${connectionId}/remediation-reports`).expect(200)).body.items;
      await api().post(`/control/v1/remediation-reports/${report.id}/decision`).send({ decision: 'RECOMMEND', text: 'Bổ sung quy trình quản lý khóa' }).expect(200);
      await h.control.get(WebhookDispatcher).dispatchDue();
      await p.getByRole('button', { name: 'Tải lại' }).click();
      const log = p.getByTestId('webhook-deliveries');
      await log.getByText('HTTP 503').waitFor();
      await expect(log.innerText()).resolves.toContain('Đang gửi lại');
      await expect(log.innerText()).resolves.toContain('Báo cáo khắc phục chưa đạt; đề nghị thực hiện các kiến nghị và báo cáo lại');
      await expect(p.getByTestId('webhook-status').innerText()).resolves.toContain('Lần gửi gần nhất không thành công');
      await expectAccessible();
      await screenshot(p, '15-unit-webhook-failing');

      // The retry falls due (the gateway's Clock moved past its back-off) and is delivered.
      h.gateway.clock.advance(60_000);
      await h.control.get(WebhookDispatcher).dispatchDue();
      expect(receiver.received).toHaveLength(1);
      await p.getByRole('button', { name: 'Tải lại' }).click();
      await log.getByText('Đã gửi', { exact: true }).waitFor();
      await expect(p.getByTestId('webhook-status').innerText()).resolves.toContain('Đang gửi bình thường');

      // Saving again makes a new signing secret and voids the one in use at once: asked first.
      const inUse = await p.getByTestId('webhook-secret').innerText();
      await p.getByRole('button', { name: 'Lưu webhook' }).click();
      const dialog = p.getByRole('dialog');
      await dialog.getByText('khóa đang dùng hết hiệu lực ngay', { exact: false }).waitFor();
      await dialog.getByRole('button', { name: 'Hủy' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await expect(p.getByTestId('webhook-secret').innerText()).resolves.toBe(inUse);
      await p.getByRole('button', { name: 'Lưu webhook' }).click();
      await dialog.getByRole('button', { name: 'Lưu và tạo khóa mới' }).click();
      await p.getByTestId('webhook-secret').filter({ hasNotText: inUse }).waitFor();
      await expect(p.getByTestId('webhook-secret').innerText()).resolves.toMatch(/\S{16,}/);
    } finally {
      await receiver.close();
    }
  });

  it('reads in English under the language switch, with the same refusal in English', async () => {
    await p.getByText('English', { exact: true }).click();
    await p.getByRole('menuitem', { name: "Unit's connections" }).click();
    await p.getByRole('button', { name: 'Register a new connection' }).waitFor();
    await p.getByRole('button', { name: `Open: ${SYSTEM}` }).click();
    await p.getByRole('tab', { name: 'Test reconciliation' }).click();
    await p.getByText('The unit confirmed at', { exact: false }).waitFor();
    await expectAccessible();
    await p.getByText('Tiếng Việt', { exact: true }).click();
    await p.getByRole('tab', { name: 'Đối soát thử nghiệm' }).waitFor();
  });
});
