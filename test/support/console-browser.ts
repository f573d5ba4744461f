import { AxeBuilder } from '@axe-core/playwright';
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = path.join(ROOT, 'docs/screenshots');

/**
 * Debian's Chromium (`apt-get install chromium`; .ci/run installs it), driven by playwright-core:
 * Playwright's own browser builds cannot be downloaded here. As root it needs --no-sandbox; the
 * other switches keep it off the network (no updates, no sync, no background fetches).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The JavaScript a first visit loads (the entry and what it imports statically), gzipped. */
export function initialScripts(): string[] {
  const html = fs.readFileSync(path.join(ROOT, 'console/dist/index.html'), 'utf8');
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => path.join(ROOT, 'console/dist', m[1]));
}

const MOTION_OVER = `!document.querySelector('[class*="-appear"], [class*="-enter"], [class*="-leave"]')
  && document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)`;

/** axe-core on the page as it is: no serious or critical violation (WCAG 2.1 A and AA rules). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // A toast or a field's help text fading in or out is half transparent: axe would judge its
  // contrast mid-animation (seen under CI load). Check the page once no element is in an Ant
  // Design motion (rc-motion's -appear/-enter/-leave classes, which are set a frame before the
  // animation starts) and its finite animations are over (spinners never end); twice, 150 ms
  // apart, so a motion starting just after the first look is waited for too.
  for (let settled = 0; settled < 2; settled++) {
    await page
      // A string: it runs in the page, and the test code is compiled without the DOM's types.
      .waitForFunction(MOTION_OVER, undefined, { timeout: 5000 })
      .catch(() => undefined);
    if (settled === 0) await page.waitForTimeout(150);
  }
  // Legacy mode runs axe in the page itself. The default runs it per frame, then opens a blank
  // page to merge the results (for cross-origin frames, which the console has none of): 1.3 s a
  // check against 0.6 s here, and a renderer process started and stopped each time.
  const result = await new AxeBuilder({ page }).setLegacyMode(true).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
}

/**
 * Submits a DTD dialog with `button` and waits until it closes, which it does only once the step
 * is recorded (its "Đã ghi nhận." toast lasts 3 s, which a loaded machine's browser can miss). A
 * refusal shown in the dialog fails at once, with its words.
 */
export async function recordInDialog(dialog: Locator, button = 'Ghi nhận'): Promise<void> {
  await dialog.getByRole('button', { name: button }).click();
  const problem = dialog.getByTestId('review-problem');
  const refused = problem.waitFor({ timeout: 60_000 }).then(async () => {
    throw new Error(`the dialog refused the step: ${await problem.innerText()}`);
  });
  await Promise.race([dialog.waitFor({ state: 'detached', timeout: 60_000 }), refused]);
  refused.catch(() => undefined);
}

/**
 * A browser context of its own on the console's sign-in screen, in Vietnamese. The dev CA is not
 * in Chromium's store: the test trusts the gateway it started.
 */
export async function openConsole(browser: Browser, controlUrl: string, width = 1360): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'vi-VN', viewport: { width, height: 900 }, acceptDownloads: true, reducedMotion: 'reduce' });
  const page = await context.newPage();
  await page.goto(`${controlUrl}/`);
  return page;
}

/**
 * Fills the sign-in form and sends it; without a code (a first sign-in) that field stays empty.
 * Within the form: right after "Đăng xuất" the previous screen may still be up, and a label
 * matches by substring, ignoring case (the audit search's "Người thực hiện (tên đăng nhập …)"
 * took the username once, under load, and the sign-in went out without one).
 */
export async function submitSignIn(page: Page, username: string, password: string, code?: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Đăng nhập', exact: true });
  await form.getByLabel('Tên đăng nhập', { exact: true }).fill(username);
  await form.getByLabel('Mật khẩu', { exact: true }).fill(password);
  if (code) await form.getByLabel(/^Mã xác thực/).fill(code);
  await form.getByRole('button', { name: 'Đăng nhập' }).click();
}

/** Signs an enrolled person in with their next TOTP code and waits for the console to open. */
export async function signInAs(page: Page, h: { totp(secret: string): string }, person: { username: string; password: string; totpSecret: string }): Promise<void> {
  await submitSignIn(page, person.username, person.password, h.totp(person.totpSecret));
  await page.getByTestId('whoami').waitFor();
}

/**
 * The README's pictures of a screen, taken only when asked (`npm run docs:screenshots`, which sets
 * CONSOLE_SCREENSHOTS=1). Why not on every run: a full-page PNG is ~0.75 s of a 2-core machine's
 * CPU (~25 s over the 34 of them), and a test run should leave the committed files as they were.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.CONSOLE_SCREENSHOTS !== '1') return;
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
