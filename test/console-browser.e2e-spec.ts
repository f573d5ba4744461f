import { jest } from '@jest/globals';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { generateSync } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { Role } from '../src/accounts/roles.js';
import { AuditCheckpointService } from '../src/audit/checkpoints/audit-checkpoint.service.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { initialScripts, launchChromium, openConsole, screenshot, seriousViolations, signInAs, submitSignIn } from './support/console-browser.js';
import { ensureConsoleBuilt } from './support/builds.js';
import type { TestClient } from './support/gateway-harness.js';
import { PDF, todayInVietnam } from './support/lifecycle-fixtures.js';
import { waitFor } from './support/security-helpers.js';
import { resetDatabase, sql } from './support/test-database.js';

const UNIT = 'Bộ Khoa học và Công nghệ';
// A browser, Argon2 sign-ins and axe on a shared 2-core machine: minutes, not the default 30 s.
jest.setTimeout(120_000);

/**
 * The console in a real browser (Debian's Chromium through playwright-core) against both planes
 * of a real gateway and the test PostgreSQL: sign-in with TOTP enrolment from the QR code's
 * secret, a wrong code's Vietnamese message, the security officer's cut-off taking effect on the
 * data plane (a real mTLS client), the auditor's verification with the first mismatch, the inbox,
 * the language switch; axe-core on each screen; screenshots for the README.
 */
describe('console in the browser', () => {
  let h: ControlPlaneHarness;
  let browser: Browser;
  let admin: Person;
  let auditor: Person;
  /** A second auditor for the language test: one account may use at most two TOTP codes in 30 s. */
  let reader: Person;
  /** And a third for the wrong-code test, for the same reason. */
  let mistyper: Person;
  let unitAdmin: Person;
  let duty: Person;
  let officer: { username: string; password: string; totpSecret?: string };
  let live: TestClient;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    await resetDatabase();
    [h, browser] = await Promise.all([ControlPlaneHarness.start(), launchChromium()]);
    // The auditor's test seals by hand, so that it sees the log both before and after a checkpoint.
    for (const app of [h.gateway.app, h.control]) app.get(AuditCheckpointService).stopPeriodicSealing();
    admin = await h.bootstrapAdmin();
    auditor = await h.person(admin, 'console.auditor', Role.AUDITOR);
    reader = await h.person(admin, 'console.reader', Role.AUDITOR);
    mistyper = await h.person(admin, 'console.mistyper', Role.AUDITOR);
    unitAdmin = await h.person(admin, 'console.unit', Role.UNIT_ADMIN, UNIT);
    // Another officer opens an incident through the API (one account may not use three codes in 30 s).
    duty = await h.person(admin, 'console.duty', Role.SECURITY_OFFICER);
    // The officer's account is activated but has never signed in: the browser enrols the second factor.
    const created = await h.as(admin).post('/control/v1/accounts').send({ username: 'console.officer', role: Role.SECURITY_OFFICER, holderName: 'Trần Văn An' }).expect(201);
    officer = { username: 'console.officer', password: await h.activate('console.officer', created.body.activation.administratorPart) };
    live = await h.gateway.connection({ unit: UNIT, env: 'production', name: 'Hệ thống quản lý nhiệm vụ KH&CN' });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  const page = () => openConsole(browser, h.controlUrl);
  const signIn = (p: Page, person: Person) => signInAs(p, h, person);

  async function expectAccessible(p: Page): Promise<void> {
    expect(await seriousViolations(p)).toEqual([]);
  }

  it('keeps the initial JavaScript under 500 KB gzipped', () => {
    const bytes = initialScripts().reduce((sum, file) => sum + zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length, 0);
    console.log(`console initial JS: ${(bytes / 1024).toFixed(1)} KB gzipped (${initialScripts().length} file(s))`);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(500 * 1024);
  });

  it("turns Ant Design's motion off for a person whose system asks for less (prefers-reduced-motion), and on again when they change it", async () => {
    const p = await page(); // openConsole asks for reduced motion, as a browser test wants no animation to wait for
    const duration = () => p.evaluate<string>(`getComputedStyle(document.querySelector('[class*="css-var-"]')).getPropertyValue('--ant-motion-duration-mid').trim()`);
    await p.getByLabel('Tên đăng nhập').waitFor();
    expect(await duration()).toBe('0s');
    await p.emulateMedia({ reducedMotion: 'no-preference' });
    await waitFor(async () => (await duration()) !== '0s', 10_000, 50);
    expect(await duration()).toBe('0.2s');
    await p.context().close();
  });

  it('enrols the second factor at the first sign-in from the QR code, then opens the session in an HttpOnly cookie', async () => {
    const p = await page();
    await expectAccessible(p);
    await screenshot(p, '01-sign-in');
    await submitSignIn(p, officer.username, officer.password);
    await p.getByRole('img', { name: 'Mã QR đăng ký ứng dụng xác thực' }).waitFor();
    const secret = (await p.getByTestId('totp-secret').innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    officer.totpSecret = secret;
    await expectAccessible(p);
    await screenshot(p, '02-totp-enrolment');
    await p.getByLabel(/^Mã xác thực/).fill(h.totp(secret));
    await p.getByRole('button', { name: 'Xác nhận và đăng nhập' }).click();
    await expect(p.getByTestId('whoami').innerText()).resolves.toContain('Trần Văn An');
    const cookies = await p.context().cookies();
    expect(cookies).toEqual([expect.objectContaining({ name: '__Host-gateway-session', httpOnly: true, secure: true, sameSite: 'Strict' })]);
    // The page's script cannot read the session.
    expect(await p.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe('');
  });

  it('shows a readable Vietnamese message for a wrong code, then signs in with the right one', async () => {
    const p = await page();
    const wrong = generateSync({ secret: mistyper.totpSecret, epoch: Math.floor(h.gateway.clock.nowMs() / 1000) - 3600 });
    await submitSignIn(p, mistyper.username, mistyper.password, wrong);
    const alert = p.getByTestId('sign-in-error');
    await expect(alert.innerText()).resolves.toContain('Tên đăng nhập, mật khẩu hoặc mã xác thực không đúng');
    await expectAccessible(p);
    await screenshot(p, '03-sign-in-refused');
    await p.getByLabel(/^Mã xác thực/).fill(h.totp(mistyper.totpSecret));
    await p.getByRole('button', { name: 'Đăng nhập' }).click();
    await p.getByTestId('whoami').waitFor();
  });

  it('lets the security officer suspend a live connection behind a confirmation; the data plane refuses it at once; restore by override', async () => {
    const dataPlane = () => h.gateway.call(live, 'post', '/api/v1/oauth/token').type('form').send({ grant_type: 'client_credentials' });
    expect((await dataPlane()).status).toBe(200);
    // An open incident, so the board shows the guidance's clocks.
    await h.as(duty).post('/control/v1/incidents').send({ reasonCode: 'PROBE_SUSPECTED', summary: 'Dò quét bất thường từ một địa chỉ lạ' }).expect(201);

    const p = await page();
    await submitSignIn(p, officer.username, officer.password, h.totp(officer.totpSecret!));
    await p.getByRole('menuitem', { name: 'Giám sát an ninh' }).click();
    const row = p.getByTestId('connections').getByRole('row', { name: /Hệ thống quản lý nhiệm vụ KH&CN/ });
    await expect(row.innerText()).resolves.toContain('Đang vận hành chính thức');
    // Its last hour beside it: the one token call above, none refused.
    await row.getByTestId('calls-last-hour').filter({ hasText: /^1$/ }).waitFor();
    await expect(row.getByTestId('rejected-last-hour').innerText()).resolves.toBe('0');
    await expect(p.locator('[data-clock="classification"]').first().getAttribute('data-status')).resolves.toBe('pending');
    await expectAccessible(p);
    await screenshot(p, '04-security-board');

    await row.getByRole('button', { name: 'Tạm dừng kết nối' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByLabel('Lý do tạm dừng').fill('Truy vấn bất thường ngoài giờ làm việc');
    await expectAccessible(p);
    await dialog.getByRole('button', { name: 'Tạm dừng kết nối' }).click();
    // The second step names the connection; nothing is cut off before it is confirmed.
    const confirm = p.getByRole('dialog').filter({ hasText: 'Tạm dừng kết nối "Hệ thống quản lý nhiệm vụ KH&CN"?' });
    await confirm.waitFor();
    expect((await dataPlane()).status).toBe(200);
    await confirm.getByRole('button', { name: 'Xác nhận' }).click();
    await p.getByText('Đã tạm dừng kết nối.').waitFor();

    const refused = await waitFor(async () => {
      const response = await dataPlane();
      return response.status === 403 ? response : null;
    }, 3000, 100);
    expect(refused.body).toMatchObject({ code: 'CONNECTION_SUSPENDED' });
    await expect(row.innerText()).resolves.toContain('Đang tạm dừng kết nối');
    // The suspended list is the server's (state=SUSPENDED), with the reason code given.
    await p.getByTestId('suspended').getByRole('row', { name: /Hệ thống quản lý nhiệm vụ KH&CN/ }).filter({ hasText: 'Ngắt kết nối thủ công (MANUAL_CUT_OFF)' }).waitFor();
    await screenshot(p, '05-connection-suspended');

    await row.getByRole('button', { name: 'Khôi phục (ngoại lệ)' }).click();
    await p.getByRole('dialog').getByLabel('Căn cứ khôi phục không qua quy trình khắc phục').fill('Đã xác minh là kiểm thử của đơn vị');
    await p.getByRole('dialog').getByRole('button', { name: 'Khôi phục (ngoại lệ)' }).click();
    await p.getByRole('dialog').filter({ hasText: 'không qua báo cáo khắc phục' }).getByRole('button', { name: 'Xác nhận' }).click();
    // The board shows the connection suspendable again (its "restored" toast lasts 3 s, which a
    // busy CI machine's browser can miss), and the data plane serves it.
    await row.getByRole('button', { name: 'Tạm dừng kết nối' }).waitFor();
    await waitFor(async () => (await dataPlane()).status === 200, 3000, 100);

    // Another unit's notice and its official report (IV.5.d), filed through the API, alert the officer too.
    const builder = h.as(await h.person(admin, 'console.builder', Role.UNIT_ADMIN, 'Bộ Xây dựng'));
    const { connectionId: planning } = await h.gateway.connection({ unit: 'Bộ Xây dựng', env: 'production', name: 'Cổng dữ liệu quy hoạch' });
    const notice = await builder.post(`/control/v1/connections/${planning}/incident-reports`).send({ reasonCode: 'DATA_LEAK', summary: 'Lộ dữ liệu quy hoạch qua máy trạm', detectedAt: new Date().toISOString() }).expect(201);
    const signed = await builder.post('/control/v1/documents').set('Content-Type', 'application/pdf').send(PDF).expect(201);
    await builder.post(`/control/v1/connections/${planning}/incidents/${notice.body.id}/unit-report`)
      .send({ number: '9/BC-BXD', date: todayInVietnam(), recipient: 'Cục Chuyển đổi số', documentId: signed.body.documentId }).expect(200);

    // The alerts the gateway raised: the incident, and the officer's half of each activation code
    // (none is delivered: no alert webhook is configured here).
    await p.getByRole('menuitem', { name: 'Cảnh báo an ninh' }).click();
    const alerts = p.getByTestId('security-alerts');
    await alerts.getByRole('row', { name: /Đơn vị gửi báo cáo chính thức về sự cố \(IV\.5\.d\)/ }).filter({ hasText: 'Văn bản số 9/BC-BXD, đúng hạn 24 giờ — Lộ lọt dữ liệu: Lộ dữ liệu quy hoạch qua máy trạm' }).getByRole('link').waitFor();
    await alerts.getByRole('row', { name: /Mở sự cố/ }).filter({ hasText: 'Dò quét bất thường từ một địa chỉ lạ' }).filter({ hasText: 'Chưa gửi' }).waitFor();
    const [activation] = await sql<{ part: string }>(`SELECT payload::jsonb->>'securityOfficerPart' AS part FROM security_alerts WHERE payload::jsonb->>'username' = 'console.unit'`);
    await alerts.getByRole('row', { name: /Cấp mã kích hoạt tài khoản/ }).filter({ hasText: `phần mã kích hoạt của cán bộ an ninh mạng ${activation.part}` }).waitFor();
    await expectAccessible(p);
    await screenshot(p, '18-security-alerts');
    // The incident's alert leads to the incident itself, open on the board, without loading the
    // console again (a mark left on the page survives), and Back returns to the alerts.
    await p.evaluate(() => Object.assign(globalThis, { stayedOnPage: true }));
    await alerts.getByRole('link', { name: /Dò quét bất thường từ một địa chỉ lạ/ }).click();
    await p.getByTestId('incident-detail').getByText('Dò quét bất thường từ một địa chỉ lạ').first().waitFor();
    expect(new URL(p.url()).pathname).toBe('/board');
    await expect(p.evaluate(() => (globalThis as { stayedOnPage?: boolean }).stayedOnPage)).resolves.toBe(true);
    await p.goBack();
    await p.getByTestId('security-alerts').waitFor();
  });

  it("shows the unit administrator's inbox with the suspension notice", async () => {
    const p = await page();
    await signIn(p, unitAdmin);
    await p.getByRole('menuitem', { name: /(^|\s)Thông báo$/ }).click(); // not "Webhook thông báo"
    // The notice in the words the server gives it (NOTIFICATION_MESSAGES_VI), beside the restore notice.
    await p.locator('.ant-list-item').filter({ hasText: 'Kết nối «Hệ thống quản lý nhiệm vụ KH&CN»: Kết nối bị tạm dừng, lý do: Ngắt kết nối thủ công' }).first().waitFor();
    await p.locator('.ant-list-item').filter({ hasText: 'Kết nối đã được khôi phục' }).first().waitFor();
    // Newest first: the restore came after the suspension.
    await expect(p.locator('.ant-list-item').first().innerText()).resolves.toContain('Kết nối đã được khôi phục');
    await expectAccessible(p);
    await screenshot(p, '06-notifications');
  });

  it('lets the auditor search the log page by page and verify it, showing the first mismatch of a tampered entry', async () => {
    const p = await page();
    await signIn(p, auditor);
    await p.getByRole('menuitem', { name: 'Nhật ký hệ thống' }).click();
    // Offered in words; the code typed in full still searches.
    await p.getByLabel('Thao tác').fill('tạm dừng');
    await p.locator('.ant-select-item-option', { hasText: 'Tạm dừng kết nối (connections.suspend)' }).waitFor();
    await p.getByLabel('Thao tác').fill('connections.suspend');
    await p.getByLabel('Thao tác').press('Escape');
    await p.getByRole('button', { name: 'Tra cứu' }).click();
    const rows = p.getByTestId('audit-entries').locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    await expect(rows.first().innerText()).resolves.toContain('Tạm dừng kết nối');
    // The id a caller quotes (X-Request-Id, spaces and case as pasted) finds that one action in the whole log.
    const [{ requestId }] = await sql<{ requestId: string }>(`SELECT request_id::text AS "requestId" FROM audit_entries WHERE action = 'connections.suspend' ORDER BY seq LIMIT 1`);
    // First the whole log (many rows), so that one row below can only be the new search's answer.
    await p.getByLabel('Thao tác').fill('');
    await p.getByRole('button', { name: 'Tra cứu' }).click();
    await rows.nth(1).waitFor();
    await p.getByLabel('Mã yêu cầu (X-Request-Id)').fill(` ${requestId.toUpperCase()} `);
    await p.getByRole('button', { name: 'Tra cứu' }).click();
    await rows.nth(1).waitFor({ state: 'detached', timeout: 10_000 });
    expect(await rows.count()).toBe(1);
    await expect(rows.first().innerText()).resolves.toContain('Tạm dừng kết nối');
    // Opened, the row shows the whole entry as stored: the id quoted, the actor, the chain's hashes.
    const [stored] = await sql<{ entryHash: string; username: string; request: string }>(`SELECT entry_hash AS "entryHash", actor_username AS username, method || ' ' || path AS request FROM audit_entries WHERE request_id = '${requestId}'`);
    await rows.first().locator('.ant-table-row-expand-icon').click();
    const details = p.getByTestId('audit-entry-details');
    await details.getByText(stored.entryHash).waitFor();
    const shown = await details.innerText();
    expect(shown).toContain('Mã băm bản ghi');
    expect(shown).toContain(requestId);
    expect(shown).toContain(stored.request);
    expect(shown).toContain(stored.username);
    expect(shown).toMatch(/Đối tượng\s+Kết nối \(connection\) [0-9a-f-]{36}/);
    // The range picked now, not the last search's, is what gets verified (day first, as the picker writes it).
    await p.getByPlaceholder('Ngày bắt đầu').fill('01/01/2026 00:00');
    await p.locator('.ant-picker-dropdown').getByRole('button', { name: 'OK' }).click();
    await p.getByPlaceholder('Ngày kết thúc').fill('31/12/2027 23:59');
    await p.locator('.ant-picker-dropdown').getByRole('button', { name: 'OK' }).click();
    // Nothing sealed yet: the chain matches, and the banner does not claim a signature it did not check.
    const [verified] = await Promise.all([p.waitForRequest((r) => r.url().includes('/control/v1/audit/verification')), p.getByRole('button', { name: 'Kiểm tra tính toàn vẹn' }).click()]);
    expect(new URL(verified.url()).searchParams.get('from')).toMatch(/^2026-01-01T/);
    await expect(p.getByTestId('checked-span').innerText()).resolves.toMatch(/^Từ số thứ tự 1 đến \d+ \(từ 01\/01\/2026 \d\d:00 đến /);
    // Passing, it still says what it could not vouch for: this gateway keeps no checkpoint journal yet.
    await expect(p.getByTestId('verification-limits').innerText()).resolves.toContain('Chưa có sổ điểm niêm phong lưu ngoài cơ sở dữ liệu để đối chiếu');
    const verification = p.getByTestId('verification');
    await verification.getByText(/^Chuỗi băm của \d+ bản ghi khớp; trong khoảng này chưa có điểm niêm phong nào/).waitFor();
    expect(await verification.getByText('chữ ký điểm niêm phong khớp').count()).toBe(0);
    await h.control.get(AuditCheckpointService).seal();
    await p.getByRole('button', { name: 'Kiểm tra tính toàn vẹn' }).click();
    await verification.getByText('Nhật ký toàn vẹn: chuỗi băm và chữ ký điểm niêm phong khớp.').waitFor();
    await expectAccessible(p);
    await screenshot(p, '07-audit-verified');
    // The extract downloads as the CLI's export file, with the entries found above in it.
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByTestId('audit-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^audit-export-seq-\d+-\d+\.json$/);
    const extract = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    expect(extract.format).toBe('gateway-audit-export/v2');
    expect(extract.entries.some((e: { action: string | null }) => e.action === 'connections.suspend')).toBe(true);

    // What an attacker with the database superuser does: triggers off, one entry rewritten.
    const [{ seq }] = await sql<{ seq: string }>(`SELECT seq::text FROM audit_entries ORDER BY seq LIMIT 1 OFFSET 3`);
    await sql(`DO $$ BEGIN SET LOCAL session_replication_role = replica; UPDATE audit_entries SET status_code = 299 WHERE seq = ${Number(seq)}; END $$`);
    await p.getByRole('button', { name: 'Kiểm tra tính toàn vẹn' }).click();
    await p.getByText('Nhật ký KHÔNG toàn vẹn').waitFor();
    await verification.getByText(/báo ngay cán bộ an ninh mạng/).waitFor();
    await expect(p.getByTestId('first-mismatch').innerText()).resolves.toMatch(new RegExp(`^Số thứ tự ${seq}: Bản ghi bị sửa đổi`));
    await screenshot(p, '08-audit-first-mismatch');
  });

  it('switches between Vietnamese (the default) and English, and remembers the choice', async () => {
    const p = await page();
    await expect(p.locator('html').getAttribute('lang')).resolves.toBe('vi');
    await p.getByText('English', { exact: true }).click();
    await p.getByRole('button', { name: 'Sign in' }).waitFor();
    await p.getByLabel('Username').waitFor();
    await p.reload();
    await p.getByRole('button', { name: 'Sign in' }).waitFor();
    await expect(p.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(p.title()).resolves.toBe('Task and KPI data-sharing gateway');
    await signInEnglish(p);
    await p.getByRole('menuitem', { name: 'Audit log' }).waitFor();
    await expectAccessible(p);
    await p.getByText('Tiếng Việt', { exact: true }).click();
    await p.getByRole('menuitem', { name: 'Nhật ký hệ thống' }).waitFor();
  });

  async function signInEnglish(p: Page): Promise<void> {
    await p.getByLabel('Username').fill(reader.username);
    await p.getByLabel('Password', { exact: true }).fill(reader.password);
    await p.getByLabel(/^Authentication code/).fill(h.totp(reader.totpSecret));
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByTestId('whoami').waitFor();
  }
});
