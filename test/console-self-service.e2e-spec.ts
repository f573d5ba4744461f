import { jest } from '@jest/globals';
import { generateSync } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { Role } from '../src/accounts/roles.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { launchChromium, openConsole, screenshot, seriousViolations, signInAs, submitSignIn } from './support/console-browser.js';
import { ensureConsoleBuilt } from './support/builds.js';
import { resetDatabase } from './support/test-database.js';

jest.setTimeout(240_000);

const USERNAME = 'nguyen.van.moi';
const FIRST_PASSWORD = 'Sông Hồng chảy qua chín cầu 2026';
const SECOND_PASSWORD = 'Hoa phượng đỏ rực sân trường 1975';
const THIRD_PASSWORD = 'Núi Ngự sông Hương trăng soi 1802';

/**
 * What every new person does without a terminal: the holder activates their account in the
 * browser with the two halves of the code (the officer reads theirs on the alerts screen), enrols
 * the authenticator app at the first sign-in, sets a new password once the old one has expired,
 * and changes it again from the header.
 */
describe('console: a holder activates, enrols, keeps their password and delegates, in the browser', () => {
  let h: ControlPlaneHarness;
  let browser: Browser;
  let officer: Person;
  let sysadmin: Person;
  let administratorPart: string;
  let secret: string;
  const lastStep = new Map<string, number>();

  beforeAll(async () => {
    await ensureConsoleBuilt();
    await resetDatabase();
    [h, browser] = await Promise.all([ControlPlaneHarness.start(), launchChromium()]);
    sysadmin = await h.bootstrapAdmin();
    officer = await h.person(sysadmin, 'self.officer', Role.SECURITY_OFFICER);
    const created = await h.as(sysadmin).post('/control/v1/accounts').send({ username: USERNAME, role: Role.AUDITOR, holderName: 'Nguyễn Văn Mới' }).expect(201);
    administratorPart = created.body.activation.administratorPart;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  const page = () => openConsole(browser, h.controlUrl);
  const accessible = async (p: Page) => expect(await seriousViolations(p)).toEqual([]);
  /**
   * A fresh code of the holder's app: each 30-second step once (the gateway refuses a replay), so
   * the gateway's Clock is moved on to the next step instead of waiting for it.
   */
  function code(): string {
    const clock = h.gateway.clock;
    const used = lastStep.get(secret) ?? 0;
    if (Math.floor(clock.nowMs() / 30_000) <= used) clock.advance((used + 1) * 30_000 - clock.nowMs());
    const step = Math.floor(clock.nowMs() / 30_000);
    lastStep.set(secret, step);
    return generateSync({ secret, epoch: step * 30 });
  }
  const signIn = (p: Page, password: string, totp?: string) => submitSignIn(p, USERNAME, password, totp);

  it('activates with both halves (the officer reads theirs on the alerts screen), then enrols the app at the first sign-in', async () => {
    // The officer on duty finds the half meant for them.
    const desk = await page();
    await signInAs(desk, h, officer);
    await desk.getByRole('menuitem', { name: 'Cảnh báo an ninh' }).click();
    const row = desk.getByTestId('security-alerts').getByRole('row', { name: new RegExp(`Tài khoản ${USERNAME.replace(/\./g, '\\.')} `) });
    const officerPart = /cán bộ an ninh mạng ([0-9A-Z-]{19})/.exec(await row.innerText())![1];

    const p = await page();
    await p.getByRole('button', { name: 'Kích hoạt tài khoản mới' }).click();
    await p.getByLabel('Tên đăng nhập').fill(USERNAME);
    await p.getByLabel('Phần mã của quản trị hệ thống').fill(administratorPart);
    await p.getByLabel('Phần mã của cán bộ an ninh mạng').fill(officerPart);
    // A password from the breach lists is refused, the field named.
    await p.getByLabel('Mật khẩu mới', { exact: true }).fill('password1234');
    await p.getByLabel('Nhập lại mật khẩu mới').fill('password1234');
    await p.getByRole('button', { name: 'Kích hoạt', exact: true }).click();
    await p.getByTestId('failure-fields').filter({ hasText: 'Mật khẩu mới' }).waitFor();
    await accessible(p);
    await screenshot(p, '19-account-activation');
    await p.getByLabel('Mật khẩu mới', { exact: true }).fill(FIRST_PASSWORD);
    await p.getByLabel('Nhập lại mật khẩu mới').fill(FIRST_PASSWORD);
    await p.getByRole('button', { name: 'Kích hoạt', exact: true }).click();
    await p.getByText('Đã kích hoạt tài khoản.', { exact: false }).waitFor();
    await expect(p.getByLabel('Tên đăng nhập').inputValue()).resolves.toBe(USERNAME);

    await signIn(p, FIRST_PASSWORD);
    secret = await p.getByTestId('totp-secret').innerText();
    await p.getByLabel(/^Mã xác thực/).fill(code());
    await p.getByRole('button', { name: 'Xác nhận và đăng nhập' }).click();
    await expect(p.getByTestId('whoami').innerText()).resolves.toContain('Nguyễn Văn Mới');
  });

  it('asks for a new password once the old one has expired, refusing the same one again', async () => {
    // Ninety-one days on, on the gateway's Clock.
    h.gateway.clock.advance(91 * 86_400_000);
    const p = await page();
    await signIn(p, FIRST_PASSWORD, code());
    await p.getByText('Mật khẩu của bạn đã hết hạn.', { exact: false }).waitFor();
    await p.getByLabel('Mật khẩu mới', { exact: true }).fill(FIRST_PASSWORD);
    await p.getByLabel('Nhập lại mật khẩu mới').fill(FIRST_PASSWORD);
    await p.getByRole('button', { name: 'Đặt mật khẩu mới' }).click();
    await p.getByTestId('failure-fields').filter({ hasText: 'Mật khẩu mới' }).waitFor();
    await accessible(p);
    await p.getByLabel('Mật khẩu mới', { exact: true }).fill(SECOND_PASSWORD);
    await p.getByLabel('Nhập lại mật khẩu mới').fill(SECOND_PASSWORD);
    await p.getByRole('button', { name: 'Đặt mật khẩu mới' }).click();
    // The new session is the browser's cookie: the console opens on it.
    await expect(p.getByTestId('whoami').innerText()).resolves.toContain('Nguyễn Văn Mới');
    await p.getByRole('menuitem', { name: 'Nhật ký hệ thống' }).click();
    await p.getByRole('button', { name: 'Tra cứu' }).waitFor();

    // And from the header, whenever the holder wants: the current one is asked for.
    await p.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByLabel('Mật khẩu hiện tại').fill(SECOND_PASSWORD);
    await dialog.getByLabel('Mật khẩu mới', { exact: true }).fill(THIRD_PASSWORD);
    await dialog.getByLabel('Nhập lại mật khẩu mới').fill(THIRD_PASSWORD);
    await accessible(p);
    await dialog.getByRole('button', { name: 'Đặt mật khẩu mới' }).click();
    await p.getByText('Đã đổi mật khẩu', { exact: false }).waitFor();
    await p.getByRole('button', { name: 'Tra cứu' }).click();
    await p.getByTestId('audit-entries').waitFor();

    // Signed out, only the newest password opens the console.
    await p.getByRole('button', { name: 'Đăng xuất' }).click();
    await signIn(p, THIRD_PASSWORD, code());
    await expect(p.getByTestId('whoami').innerText()).resolves.toContain('Nguyễn Văn Mới');
  });

  it('lets a head delegate to a colleague by username; the colleague works for the head until the head ends it', async () => {
    const [head, assistant] = [await h.person(sysadmin, 'dtd.truong.phong', Role.DTD_REVIEWER), await h.person(sysadmin, 'dtd.chuyen.vien', Role.DTD_REVIEWER)];
    const open = async (person: Person) => {
      const p = await page();
      await signInAs(p, h, person);
      await p.getByRole('menuitem', { name: 'Ủy quyền' }).click();
      return p;
    };
    const desk = await open(head);
    await desk.getByLabel('Tên đăng nhập của người được ủy quyền').fill('dtd.chuyen.vien');
    const until = new Date(h.gateway.clock.nowMs() + 7 * 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 10);
    // Day first, as the picker writes it.
    await desk.getByLabel('Hết hạn').fill(`${until.split('-').reverse().join('/')} 17:00`);
    // The picker's own OK confirms the typed time. Enter did too, but when the picker had not yet
    // taken the key (a loaded machine) it submitted the form, and the click below a second time.
    await desk.locator('.ant-picker-dropdown').getByRole('button', { name: 'OK' }).click();
    // A double click sends one grant: the second click comes while the first is on its way (the
    // gateway would refuse a second, 409 DELEGATION_ACTIVE, and the head would read a refusal).
    const grants: string[] = [];
    desk.on('request', (r) => void (r.method() === 'POST' && new URL(r.url()).pathname === '/control/v1/delegations' && grants.push(r.url())));
    await desk.getByRole('button', { name: 'Ủy quyền cho đồng nghiệp' }).dblclick();
    const row = desk.getByTestId('my-delegations').getByRole('row', { name: /Holder of dtd\.chuyen\.vien/ });
    await row.filter({ hasText: 'Đang hiệu lực' }).waitFor();
    expect(grants).toHaveLength(1);
    await expect(row.count()).resolves.toBe(1);
    await accessible(desk);

    const helper = await open(assistant);
    await helper.getByRole('button', { name: 'Làm việc thay mặt Holder of dtd.truong.phong' }).click();
    await helper.getByText('Bạn đang làm việc thay mặt Holder of dtd.truong.phong.', { exact: false }).waitFor();
    await expect(helper.getByTestId('whoami').innerText()).resolves.toBe('Holder of dtd.chuyen.vien đang thay mặt Holder of dtd.truong.phong — Cán bộ thẩm định (Cục Chuyển đổi số - Cơ yếu)');
    await expect(helper.getByRole('button', { name: 'Đổi mật khẩu' }).count()).resolves.toBe(0);
    await accessible(helper);
    await screenshot(helper, '20-acting-for-head');

    // The head ends it: the assistant's next step finds the session over.
    await row.getByRole('button', { name: 'Thu hồi' }).click();
    await desk.getByRole('dialog').getByRole('button', { name: 'Xác nhận' }).click();
    await row.filter({ hasText: 'Đã thu hồi' }).waitFor();
    await helper.getByRole('menuitem', { name: 'Thẩm định kết nối' }).click();
    await helper.getByText('Phiên làm việc đã kết thúc; đề nghị đăng nhập lại.').waitFor();
  });

  it('lists where the holder is signed in and ends a session left open elsewhere: that browser is signed out at its next step', async () => {
    const [there, here] = [await page(), await page()];
    await signIn(there, THIRD_PASSWORD, code());
    await there.getByTestId('whoami').waitFor();
    await signIn(here, THIRD_PASSWORD, code());
    await here.getByTestId('whoami').waitFor();
    await here.getByRole('button', { name: 'Phiên đăng nhập' }).click();
    const sessions = here.getByTestId('own-sessions');
    // Newest first: this browser's session, marked, then the other browser's.
    const rows = sessions.locator('tbody tr');
    await rows.nth(1).waitFor();
    await expect(rows.nth(0).innerText()).resolves.toContain('Phiên này');
    await expect(rows.nth(1).innerText()).resolves.toMatch(/Bảng điều khiển \(trình duyệt\)[\s\S]*127\.0\.0\.1/);
    await expect(rows.nth(1).innerText()).resolves.not.toContain('Phiên này');
    await accessible(here);
    await screenshot(here, 'self-service-sessions');
    const others = await rows.count();
    await rows.nth(1).getByRole('button', { name: 'Kết thúc phiên' }).click();
    await here.getByRole('dialog').filter({ hasText: 'Nơi đang dùng phiên này phải đăng nhập lại' }).getByRole('button', { name: 'Xác nhận' }).click();
    await here.getByText('Đã kết thúc phiên.').waitFor();
    await rows.nth(others - 1).waitFor({ state: 'detached' });
    // The other browser is refused at its next request: back to signing in, said in words.
    await there.getByRole('menuitem', { name: 'Nhật ký hệ thống' }).click();
    await there.getByRole('button', { name: 'Tra cứu' }).click();
    await there.getByText('Phiên làm việc đã kết thúc; đề nghị đăng nhập lại.').waitFor();

    // Ending this very session signs out, after saying so.
    await rows.nth(0).getByRole('button', { name: 'Kết thúc phiên' }).click();
    await here.getByRole('dialog').filter({ hasText: 'kết thúc nó là đăng xuất' }).getByRole('button', { name: 'Xác nhận' }).click();
    await here.getByRole('form', { name: 'Đăng nhập', exact: true }).waitFor();
  });
});
