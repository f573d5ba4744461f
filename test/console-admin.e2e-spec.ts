import { jest } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { Role } from '../src/accounts/roles.js';
import { ControlPlaneHarness, makeCsr, Person } from './support/control-plane-harness.js';
import { launchChromium, openConsole, screenshot, seriousViolations, signInAs, submitSignIn } from './support/console-browser.js';
import { ensureConsoleBuilt } from './support/builds.js';
import { taskResult, type TestClient } from './support/gateway-harness.js';
import { waitFor } from './support/security-helpers.js';
import { PDF } from './support/lifecycle-papers.js';
import { resetDatabase } from './support/test-database.js';

const UNIT = 'Bộ Khoa học và Công nghệ';
const DAY = 86_400_000;
jest.setTimeout(180_000);

/**
 * The console's administration, overview and incident screens in a real browser (Debian's
 * Chromium) against a real gateway and PostgreSQL: the system administrator's accounts (create
 * with the half activation code, a 409 in words, lock, reset, history), delegations and roles;
 * the overview with the units' deadline colours; the security officer's incident detail (a
 * refused step in words, classification) and a connection's last hour; the lock-out notice after
 * repeated wrong sign-ins. axe-core on each screen.
 */
describe('console: administration, overview, incident detail, traffic, lock-out', () => {
  let h: ControlPlaneHarness;
  let browser: Browser;
  let admin: Person;
  let officer: Person;
  let forgetful: Person;
  let live: TestClient;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    await resetDatabase();
    // Three failures from one address start the back-off in this suite.
    [h, browser] = await Promise.all([ControlPlaneHarness.start({ SIGN_IN_MAX_FAILURES: '3', SIGN_IN_LOCKOUT_SECONDS: '120' }), launchChromium()]);
    admin = await h.bootstrapAdmin();
    officer = await h.person(admin, 'console.officer', Role.SECURITY_OFFICER);
    forgetful = await h.person(admin, 'console.forgetful', Role.AUDITOR);
    const unitAdmin = await h.person(admin, 'console.unit', Role.UNIT_ADMIN, UNIT);
    live = await h.gateway.connection({ unit: UNIT, env: 'production', name: 'Hệ thống quản lý nhiệm vụ KH&CN' });
    const reported = await h.gateway.connection({ unit: UNIT, env: 'production', name: 'Hệ thống báo cáo' });
    // Traffic: three calls answered, one refused (a unit outside the scope), and an overdue task.
    const caller = await h.gateway.as(live);
    const due = new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10);
    await caller.put('/api/v1/task-results/OVERDUE_1').send(taskResult('OVERDUE_1', UNIT, { assignedAt: '2026-01-05', dueDate: due })).expect((r) => expect(r.status).toBeLessThan(300));
    await caller.put('/api/v1/task-results/OUT_1').send(taskResult('OUT_1', 'Bộ Tài chính')).expect(403);
    await h.gateway.token(live);
    // An incident with evidence: the unit's own report (IV.5.d).
    await h.as(unitAdmin).post(`/control/v1/connections/${reported.connectionId}/incident-reports`)
      .send({ reasonCode: 'CREDENTIALS_COMPROMISED', summary: 'Lộ khóa bí mật của hệ thống báo cáo', detectedAt: new Date(Date.now() - 60_000).toISOString() }).expect(201);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  const page = () => openConsole(browser, h.controlUrl, 1440);
  const signIn = (p: Page, person: Person) => signInAs(p, h, person);

  async function expectAccessible(p: Page): Promise<void> {
    expect(await seriousViolations(p)).toEqual([]);
  }

  describe('the system administrator', () => {
    let p: Page;
    beforeAll(async () => {
      p = await page();
      await signIn(p, admin);
      await p.getByRole('menuitem', { name: 'Quản trị tài khoản' }).click();
      await p.getByTestId('accounts').getByRole('row', { name: /console\.officer/ }).waitFor();
    });

    it('creates an account and gets only the administrator\'s half of its activation code, which the holder completes', async () => {
      await expectAccessible(p);
      await screenshot(p, '10-admin-accounts');
      await p.getByRole('tabpanel').getByRole('button', { name: 'Tạo tài khoản' }).click();
      const dialog = p.getByRole('dialog');
      await dialog.getByLabel('Tên đăng nhập').fill('console.newcomer');
      await dialog.getByLabel('Vai trò').click();
      // Ant Design's options are drawn as items of a virtual list (its role="option" nodes are off screen).
      await p.locator('.ant-select-item-option', { hasText: 'Cán bộ kiểm tra, thanh tra' }).click();
      await dialog.getByLabel('Người giữ tài khoản').fill('Lê Thị Mới');
      await dialog.getByLabel('Chức vụ').fill('Chuyên viên');
      await expectAccessible(p);
      await dialog.getByRole('button', { name: 'Tạo tài khoản' }).click();
      const part = (await dialog.getByTestId('administrator-part').innerText()).trim();
      expect(part).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
      await expectAccessible(p);
      await screenshot(p, '11-admin-activation-code');
      // The holder activates with both parts (the other from the security officers' channel).
      await h.activate('console.newcomer', part);
      await dialog.locator('.ant-modal-footer').getByRole('button', { name: 'Đóng' }).click();
      await p.getByTestId('accounts').getByRole('row', { name: /console\.newcomer/ }).waitFor();
    });

    it('says a taken username (409) in words, in the dialog', async () => {
      await p.getByRole('tabpanel').getByRole('button', { name: 'Tạo tài khoản' }).click();
      const dialog = p.getByRole('dialog');
      await dialog.getByLabel('Tên đăng nhập').fill('console.officer');
      await dialog.getByLabel('Đơn vị').fill(UNIT);
      await dialog.getByLabel('Người giữ tài khoản').fill('Người khác');
      await dialog.getByRole('button', { name: 'Tạo tài khoản' }).click();
      await expect(dialog.getByTestId('action-error').innerText()).resolves.toContain('Tên đăng nhập đã được sử dụng; đề nghị chọn tên khác');
      await expectAccessible(p);
      await screenshot(p, '12-admin-409');
      await dialog.getByRole('button', { name: 'Hủy' }).click();
    });

    it('locks and unlocks an account, resets its credentials, and shows its history', async () => {
      const row = () => p.getByTestId('accounts').getByRole('row', { name: /console\.newcomer/ });
      await row().getByRole('button', { name: 'Khóa' }).click();
      await p.getByRole('dialog').getByLabel('Lý do').fill('Nghi lộ mật khẩu');
      await p.getByRole('dialog').getByRole('button', { name: 'Khóa' }).click();
      // The table reloads after the answer: wait for the tag rather than read the row at once.
      await row().getByText('Đang khóa', { exact: true }).waitFor();
      await row().getByRole('button', { name: 'Mở khóa' }).click();
      await p.getByRole('dialog').getByLabel('Lý do').fill('Đã xác minh');
      await p.getByRole('dialog').getByRole('button', { name: 'Mở khóa' }).click();
      await row().getByRole('button', { name: 'Khóa' }).waitFor();

      await row().getByRole('button', { name: 'Đặt lại thông tin đăng nhập' }).click();
      await p.getByRole('dialog').getByLabel('Lý do').fill('Mất điện thoại');
      await p.getByRole('dialog').getByRole('button', { name: 'Đặt lại thông tin đăng nhập' }).click();
      await p.getByRole('dialog').getByTestId('administrator-part').waitFor();
      await p.getByRole('dialog').locator('.ant-modal-footer').getByRole('button', { name: 'Đóng' }).click();

      await row().getByRole('button', { name: 'Lịch sử' }).click();
      const history = p.getByTestId('account-history');
      for (const kind of ['Tạo tài khoản', 'Người giữ đã kích hoạt', 'Khóa', 'Mở khóa', 'Đặt lại thông tin đăng nhập']) await history.getByRole('cell', { name: kind, exact: true }).first().waitFor();
      // The details in words, not the stored keys and codes.
      await history.getByRole('cell', { name: /Lý do: Nghi lộ mật khẩu/ }).filter({ hasText: 'Người thực hiện: admin' }).waitFor();
      await expect(history.getByRole('row', { name: /Tạo tài khoản/ }).first().innerText()).resolves.toMatch(/Vai trò: [^;]*[a-zà-ỹ]/);
      await expect(history.innerText()).resolves.not.toMatch(/\b(role|by|reason|source): /);
      await expectAccessible(p);
      await screenshot(p, '13-admin-account-history');
      await p.locator('.ant-drawer').getByRole('button', { name: 'Đóng' }).click();
    });

    it("issues a sign-in certificate from the holder's request and makes it the account's second factor", async () => {
      const row = () => p.getByTestId('accounts').getByRole('row', { name: /console\.newcomer/ });
      const dialog = p.getByRole('dialog');
      const accountOf = async () => (await h.as(admin).get('/control/v1/accounts').query({ limit: 100 }).expect(200)).body.items.find((a: { username: string }) => a.username === 'console.newcomer');
      // No certificate yet: the certificate factor is refused, in words.
      await row().getByRole('button', { name: 'Xác thực lớp thứ hai' }).click();
      await dialog.getByLabel('Chứng thư số cá nhân').check();
      await dialog.getByRole('button', { name: 'Xác thực lớp thứ hai' }).click();
      await expect(dialog.getByTestId('action-error').innerText()).resolves.toContain('Tài khoản chưa được cấp chứng thư số đăng nhập; đề nghị cấp trước');
      await dialog.getByRole('button', { name: 'Hủy' }).click();

      await row().getByRole('button', { name: 'Chứng thư đăng nhập' }).click();
      await dialog.getByLabel('Yêu cầu cấp chứng thư (CSR, định dạng PEM)').fill('không phải yêu cầu');
      await dialog.getByRole('button', { name: 'Chứng thư đăng nhập' }).click();
      await dialog.getByText('Phải là yêu cầu PEM, bắt đầu bằng -----BEGIN CERTIFICATE REQUEST-----').waitFor();
      await dialog.getByLabel('Yêu cầu cấp chứng thư (CSR, định dạng PEM)').fill(makeCsr('console.newcomer').csrPem);
      await dialog.getByRole('button', { name: 'Chứng thư đăng nhập' }).click();
      const issued = dialog.getByTestId('sign-in-certificate');
      await issued.waitFor();
      const registered = (await accountOf()).signInCertificate;
      await expect(issued.innerText()).resolves.toContain(registered.thumbprint);
      await expectAccessible(p);
      const [file] = await Promise.all([p.waitForEvent('download'), issued.getByRole('button', { name: 'Tải chứng thư (PEM)' }).click()]);
      expect(file.suggestedFilename()).toBe('console.newcomer-dang-nhap.pem');
      // The file is the certificate registered to the account (its thumbprint), and the CA's is another.
      const certificatePem = fs.readFileSync((await file.path())!, 'utf8');
      expect(new X509Certificate(certificatePem).fingerprint256.replace(/:/g, '').toLowerCase()).toBe(registered.thumbprint.toLowerCase());
      const [caFile] = await Promise.all([p.waitForEvent('download'), issued.getByRole('button', { name: 'Tải chứng thư của CA Cổng (PEM)' }).click()]);
      const caPem = fs.readFileSync((await caFile.path())!, 'utf8');
      expect(new X509Certificate(certificatePem).checkIssued(new X509Certificate(caPem))).toBe(true);
      await dialog.locator('.ant-modal-footer').getByRole('button', { name: 'Đóng' }).click();

      await row().getByRole('button', { name: 'Xác thực lớp thứ hai' }).click();
      await dialog.getByLabel('Chứng thư số cá nhân').check();
      await dialog.getByRole('button', { name: 'Xác thực lớp thứ hai' }).click();
      await row().getByText('Chứng thư số cá nhân').waitFor();
      expect((await accountOf()).secondFactor).toBe('CLIENT_CERTIFICATE');
      // Back to the role's policy, as it was.
      await row().getByRole('button', { name: 'Xác thực lớp thứ hai' }).click();
      await dialog.getByLabel('Theo chính sách của vai trò').check();
      await dialog.getByRole('button', { name: 'Xác thực lớp thứ hai' }).click();
      await row().getByText('Chứng thư số cá nhân').waitFor({ state: 'detached' });
      expect((await accountOf()).secondFactor).toBeNull();
    });

    it("edits the holder's details: a field emptied is cleared, a citizen ID is taken only as 12 digits and shown masked", async () => {
      const row = () => p.getByTestId('accounts').getByRole('row', { name: /console\.newcomer/ });
      const dialog = p.getByRole('dialog');
      await row().getByRole('button', { name: 'Thông tin người giữ' }).click();
      await expect(dialog.getByLabel('Chức vụ').inputValue()).resolves.toBe('Chuyên viên');
      await dialog.getByLabel('Chức vụ').fill('Chuyên viên chính');
      await dialog.getByLabel('Điện thoại').fill('+84 24 3823 1234');
      await dialog.getByLabel('Thư điện tử').fill('');
      await dialog.getByLabel('Số căn cước công dân mới').fill('12345');
      await dialog.getByRole('button', { name: 'Thông tin người giữ' }).click();
      await dialog.getByText('Gồm đúng 12 chữ số').waitFor();
      await dialog.getByLabel('Số căn cước công dân mới').fill('001099001289');
      await expectAccessible(p);
      await dialog.getByRole('button', { name: 'Thông tin người giữ' }).click();
      await dialog.waitFor({ state: 'detached' });
      const account = (await h.as(admin).get('/control/v1/accounts').query({ limit: 100 }).expect(200)).body.items.find((a: { username: string }) => a.username === 'console.newcomer');
      // Masked as the gateway keeps showing it: the middle six digits hidden.
      expect(account).toMatchObject({ position: 'Chuyên viên chính', phone: '+84 24 3823 1234', email: null, citizenIdMasked: '0010******89' });
      const lastChange = async () => (await h.as(admin).get(`/control/v1/accounts/${account.id}/history`).query({ limit: 100 }).expect(200)).body.items.at(-1);
      // (The e-mail was empty already: emptied again, it is not a change.)
      expect(await lastChange()).toMatchObject({ kind: 'IDENTITY_UPDATED', details: { fields: ['position', 'phone', 'citizenId'] } });
      // Only what is changed is sent, and the history names only that: here the position, emptied (cleared).
      await p.reload();
      await row().getByRole('button', { name: 'Thông tin người giữ' }).click();
      await dialog.getByLabel('Chức vụ').fill('');
      await dialog.getByRole('button', { name: 'Thông tin người giữ' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(await lastChange()).toMatchObject({ kind: 'IDENTITY_UPDATED', details: { fields: ['position'] } });
      const after = (await h.as(admin).get('/control/v1/accounts').query({ limit: 100 }).expect(200)).body.items.find((a: { username: string }) => a.username === 'console.newcomer');
      expect(after).toMatchObject({ position: null, phone: '+84 24 3823 1234' });
    });

    it('shows the delegations and the roles\' second factor', async () => {
      await p.getByRole('tab', { name: 'Ủy quyền' }).click();
      await p.getByTestId('delegations').waitFor();
      await expectAccessible(p);
      await p.getByRole('tab', { name: 'Vai trò và xác thực' }).click();
      await p.getByTestId('role-policies').waitFor();
      await expectAccessible(p);
    });

    it('shows the overview: connections by state, traffic, and the unit\'s deadline in red with its working days late', async () => {
      await p.getByRole('menuitem', { name: 'Tổng quan' }).click();
      const row = p.getByTestId('unit-deadlines').getByRole('row', { name: new RegExp(UNIT) });
      await expect(row.locator('[data-colour]').getAttribute('data-colour')).resolves.toBe('RED');
      await expect(row.innerText()).resolves.toMatch(/quá \d+ ngày làm việc/);
      await expect(p.getByTestId('count-LIVE').innerText()).resolves.toBe('1');
      // Volumes by unit and data set: one push answered, none pulled, one refused (outside the scope).
      const volume = p.getByTestId('unit-volumes').getByRole('row', { name: new RegExp(UNIT) });
      await expect(volume.innerText()).resolves.toMatch(/Kết quả thực hiện nhiệm vụ\s+1\s+0\s+1\s*$/);
      await expect(p.getByTestId('count-SUSPENDED').innerText()).resolves.toBe('1');
      await expectAccessible(p);
      await screenshot(p, '14-overview');
    });
  });

  describe('the security officer', () => {
    let p: Page;
    beforeAll(async () => {
      p = await page();
      await signIn(p, officer);
      await p.getByRole('menuitem', { name: 'Giám sát an ninh' }).click();
    });

    it("opens an incident from the board: its steps with their clocks, its evidence; a step out of turn (409) said in words; classification", async () => {
      await p.getByRole('button', { name: 'Lộ khóa bí mật của hệ thống báo cáo' }).click();
      const detail = p.getByTestId('incident-detail');
      await detail.waitFor();
      expect(new URL(p.url()).searchParams.get('incident')).toMatch(/^[0-9a-f-]{36}$/);
      await expect(detail.locator('[data-clock="classification"]').getAttribute('data-status')).resolves.toBe('pending');
      await expect(p.getByTestId('incident-evidence').innerText()).resolves.toContain('Nguyên vẹn');
      // The connection by its name and unit, not only its id.
      await detail.getByText('Hệ thống báo cáo (Bộ Khoa học và Công nghệ)', { exact: false }).waitFor();
      await expectAccessible(p);
      await screenshot(p, '15-incident-detail');

      await detail.getByRole('combobox', { name: /Bước/ }).click();
      await p.locator('.ant-select-item-option', { hasText: 'Đóng sự cố' }).click();
      await detail.getByRole('button', { name: 'Ghi nhận bước' }).click();
      await expect(p.getByTestId('incident-error').innerText()).resolves.toContain('Cần phân loại mức độ sự cố trước');

      await detail.getByRole('button', { name: 'Cảnh báo', exact: true }).click();
      await detail.locator('[data-step="CLASSIFIED"]').getByText(/^Xong lúc/).waitFor();
      await expect(p.getByTestId('incident-error').count()).resolves.toBe(0);
      // The 2-hour report is recorded with its document filed from here, and opens from its step.
      await detail.getByRole('combobox', { name: /Bước/ }).click();
      await p.locator('.ant-select-item-option', { hasText: 'Báo cáo cơ quan có thẩm quyền' }).click();
      await detail.getByLabel('Số văn bản').fill('12/BC-ANM');
      await detail.getByLabel('Ngày văn bản').fill(new Date().toISOString().slice(0, 10).split('-').reverse().join('/'));
      await detail.getByLabel('Ngày văn bản').press('Enter');
      await detail.getByLabel('Nơi nhận').fill('Cục An ninh mạng');
      await detail.getByLabel('Văn bản (tệp PDF, Word hoặc ảnh quét)').setInputFiles({ name: 'Báo cáo 2 giờ.pdf', mimeType: 'application/pdf', buffer: PDF });
      await detail.getByTestId('document-uploaded').waitFor(); // filed and scanned: the field says so
      await detail.getByRole('button', { name: 'Ghi nhận bước' }).click();
      const reported = detail.locator('[data-step="REPORTED_TO_AUTHORITY"]');
      await reported.getByText(/^Xong lúc/).waitFor();
      // The document's day as Vietnamese documents write it (DD/MM/YYYY).
      await expect(reported.innerText()).resolves.toMatch(/Văn bản số 12\/BC-ANM ngày \d{2}\/\d{2}\/\d{4} gửi Cục An ninh mạng/);
      const [filed] = await Promise.all([p.waitForEvent('download'), reported.getByTestId('document-link').click()]);
      expect(filed.suggestedFilename()).toBe('Báo cáo 2 giờ.pdf');
      // The form moves on to the next step, empty: nothing of the last step's paper is carried over.
      await detail.locator('.ant-select-content', { hasText: 'Gửi báo cáo chính thức' }).waitFor();
      await expect(detail.getByLabel('Số văn bản').inputValue()).resolves.toBe('');
      await expect(detail.getByLabel('Nơi nhận').inputValue()).resolves.toBe('');
      // The confirmation must not cover the drawer's close button (antd holds a toast while the
      // pointer rests on it, so a click there could never land).
      const close = p.locator('.ant-drawer').getByRole('button', { name: 'Đóng' });
      const notice = p.locator('.ant-message-notice').first();
      await notice.waitFor(); // shown for 3 s from the step's success, which the line above waited for
      // Measured where it comes to rest: mid-slide it passes over the header (CI caught it there).
      // (The spec build has no DOM library, so the page-side types are spelled out here.)
      await notice.evaluate((el) => {
        type Animated = { getAnimations(o: { subtree: boolean }): { finished: Promise<unknown> }[] };
        const layer = el.closest('.ant-message') as unknown as Animated;
        return Promise.all(layer.getAnimations({ subtree: true }).map((a) => a.finished));
      });
      const [toast, button] = await Promise.all([notice.boundingBox(), close.boundingBox()]);
      expect(toast!.y >= button!.y + button!.height || toast!.y + toast!.height <= button!.y).toBe(true);
      await close.click();
    });

    it('finds a connection on the board by words of its name or unit, and says when none matches', async () => {
      const search = p.getByRole('searchbox', { name: 'Tên hệ thống, tên đơn vị hoặc mã kết nối' });
      const rows = p.getByTestId('connections').locator('tbody tr.ant-table-row');
      await rows.nth(1).waitFor(); // both connections, before searching
      await search.fill('BÁO CÁO');
      await search.press('Enter');
      await rows.nth(1).waitFor({ state: 'detached' });
      await expect(rows.first().innerText()).resolves.toContain('Hệ thống báo cáo');
      await search.fill('không có hệ thống này');
      await search.press('Enter');
      await p.getByTestId('connections').getByText('Không có kết nối nào khớp với “không có hệ thống này”').waitFor();
      await search.fill('');
      await search.press('Enter');
      await rows.nth(1).waitFor();
    });

    it("opens an incident by hand from a connection's row (a report by telephone), and shows it with its clocks", async () => {
      const row = p.getByTestId('connections').getByRole('row', { name: /Hệ thống báo cáo/ });
      await row.getByRole('button', { name: 'Mở sự cố' }).click();
      const dialog = p.getByRole('dialog', { name: 'Mở sự cố: Hệ thống báo cáo' });
      await dialog.getByLabel(/^Mã lý do/).fill('nghi lộ');
      await p.locator('.ant-select-item-option', { hasText: 'Nghi lộ lọt dữ liệu (DATA_LEAK_SUSPECTED)' }).click();
      await dialog.getByLabel('Nội dung').fill('Đơn vị báo qua điện thoại: nghi lộ dữ liệu báo cáo');
      // Already suspended: no second cut-off is offered.
      await expect(dialog.getByText('Đồng thời tạm dừng kết nối ngay').count()).resolves.toBe(0);
      const [opened] = await Promise.all([p.waitForResponse((r) => r.url().endsWith('/control/v1/incidents') && r.request().method() === 'POST'), dialog.getByRole('button', { name: 'Mở sự cố' }).click()]);
      expect(opened.status()).toBe(201);
      const detail = p.getByTestId('incident-detail');
      await detail.getByText('Đơn vị báo qua điện thoại: nghi lộ dữ liệu báo cáo').waitFor();
      await detail.getByText('Hệ thống báo cáo (Bộ Khoa học và Công nghệ)', { exact: false }).waitFor();
      expect(new URL(p.url()).searchParams.get('incident')).toBe((await opened.json()).id);
      await expect(detail.locator('[data-clock="classification"]').getAttribute('data-status')).resolves.toBe('pending');
      await p.locator('.ant-drawer').getByRole('button', { name: 'Đóng' }).click();
    });

    it('lists closed incidents apart from those being handled, each with when it closed', async () => {
      // The first incident taken to its end through the API: official report, review, closure.
      const officerApi = h.as(officer);
      const all = (await officerApi.get('/control/v1/incidents').expect(200)).body.items;
      const done = all.find((i: { summary: string }) => i.summary === 'Lộ khóa bí mật của hệ thống báo cáo');
      const documentId = (await officerApi.post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201)).body.documentId;
      const day = new Date().toISOString().slice(0, 10);
      await officerApi.post(`/control/v1/incidents/${done.id}/steps`).send({ step: 'OFFICIAL_REPORT_SENT', document: { number: '13/BC-ANM', date: day, recipient: 'Cục An ninh mạng', documentId } }).expect(200);
      await officerApi.post(`/control/v1/incidents/${done.id}/steps`).send({ step: 'REVIEW_WRITTEN', document: { number: '14/BC-ANM', date: day, recipient: 'Lãnh đạo Cục', documentId } }).expect(200);
      await officerApi.post(`/control/v1/incidents/${done.id}/steps`).send({ step: 'CLOSED' }).expect(200);

      await p.goto(`${h.controlUrl}/board`);
      const incidents = p.getByTestId('board-incidents');
      await incidents.getByText('Đơn vị báo qua điện thoại: nghi lộ dữ liệu báo cáo').waitFor();
      await expect(incidents.getByText('Lộ khóa bí mật của hệ thống báo cáo').count()).resolves.toBe(0);
      const filter = p.getByRole('radiogroup', { name: 'Lọc sự cố' });
      await filter.getByText('Đã đóng', { exact: true }).click();
      const closed = incidents.getByRole('row').filter({ hasText: 'Lộ khóa bí mật của hệ thống báo cáo' });
      await expect(closed.getByTestId('incident-closed').innerText()).resolves.toMatch(/^Đã đóng sự cố lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
      await expect(incidents.getByText('Đơn vị báo qua điện thoại: nghi lộ dữ liệu báo cáo').count()).resolves.toBe(0);
      await filter.getByText('Tất cả', { exact: true }).click();
      await incidents.getByText('Đơn vị báo qua điện thoại: nghi lộ dữ liệu báo cáo').waitFor();
      await incidents.getByText('Lộ khóa bí mật của hệ thống báo cáo').waitFor();
      await expectAccessible(p);
      await filter.getByText('Đang xử lý', { exact: true }).click();
    });

    it("shows a connection's last hour, minute by minute, with its refusal codes", async () => {
      await p.goto(`${h.controlUrl}/board`);
      const row = p.getByTestId('connections').getByRole('row', { name: /Hệ thống quản lý nhiệm vụ KH&CN/ });
      await row.getByRole('button', { name: 'Lưu lượng 1 giờ' }).click();
      const traffic = p.getByTestId('connection-traffic');
      await traffic.waitFor();
      // The push, the refusal and the two tokens: 4 calls, 1 refused.
      await expect(traffic.getByRole('img').getAttribute('aria-label')).resolves.toBe('Biểu đồ lượt gọi theo phút: 4 lượt gọi, 1 bị từ chối, 0 lỗi');
      // The refusal in the words its caller was given, its code beside them.
      await expect(traffic.innerText()).resolves.toMatch(/[a-zà-ỹ][^\n]*\([A-Z_]{4,}\)\s+1/);
      // Beside the hour, the agreement the calls are judged against: here none was recorded (the
      // connection was made ready by the operator's command), and the dialog says so.
      const dialog = p.getByRole('dialog');
      await dialog.getByRole('heading', { name: 'Biên bản thỏa thuận đang có hiệu lực (Cổng áp dụng cho mọi lượt gọi)' }).waitFor();
      await dialog.getByText('Chưa có biên bản thỏa thuận kết nối', { exact: false }).waitFor();
      await expectAccessible(p);
      await screenshot(p, '16-connection-traffic');
    });
  });

  it('tells a person whose wrong sign-ins made the gateway hold their username back, even with the right password; the administrator sees it in the history', async () => {
    const p = await page();
    const attempt = async (password: string, code?: string) => {
      const answered = p.waitForResponse((r) => r.url().endsWith('/control/v1/auth/sign-in'));
      await submitSignIn(p, forgetful.username, password, code);
      expect((await answered).status()).toBe(401);
      await p.getByTestId('sign-in-error').waitFor();
    };
    for (let i = 1; i <= 3; i++) {
      await attempt(`wrong-password-${i}`);
      // Said from the third refusal in a row, not before.
      if (i < 3) await expect(p.getByTestId('lockout-notice').count()).resolves.toBe(0);
    }
    await p.getByTestId('lockout-notice').waitFor();
    await attempt(forgetful.password, h.totp(forgetful.totpSecret));
    const notice = p.getByTestId('lockout-notice');
    await notice.getByText('Đã nhập sai 4 lần liên tiếp', { exact: false }).waitFor();
    await expect(notice.innerText()).resolves.toContain('Tạm thời không đăng nhập được bằng tên này từ máy này');
    await expect(p.getByTestId('sign-in-error').innerText()).resolves.toContain('Tên đăng nhập, mật khẩu hoặc mã xác thực không đúng');
    await expectAccessible(p);
    await screenshot(p, '17-sign-in-lock-out');
    const history = await h.as(admin).get(`/control/v1/accounts/${forgetful.id}/history`).expect(200);
    expect(history.body.items.filter((e: { kind: string }) => e.kind === 'SIGN_IN_BLOCKED').length).toBeGreaterThanOrEqual(1);
  });
});
