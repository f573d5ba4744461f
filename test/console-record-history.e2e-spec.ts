import { jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { Role } from '../src/accounts/roles.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { launchChromium, openConsole, screenshot, seriousViolations, signInAs } from './support/console-browser.js';
import { ensureConsoleBuilt } from './support/builds.js';
import { kpiResult, taskResult } from './support/gateway-harness.js';
import { resetDatabase } from './support/test-database.js';

const UNIT = 'Bộ Tài chính';
const SYSTEM = 'Hệ thống quản lý nhiệm vụ Bộ Tài chính';
// A browser, Argon2 sign-ins and axe on a shared 2-core machine.
jest.setTimeout(180_000);

/**
 * IV.6 in the browser: a DTD reviewer settling a dispute looks a task result up and reads what
 * each version said, who sent it, when and what changed, in words; an auditor goes from a write's
 * audit entry to the versions it wrote.
 */
describe('console: the history of a record (IV.6)', () => {
  let h: ControlPlaneHarness;
  let browser: Browser;
  let reviewer: Person;
  let auditor: Person;
  let writeRequestId: string;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    await resetDatabase();
    [h, browser] = await Promise.all([ControlPlaneHarness.start(), launchChromium()]);
    const admin = await h.bootstrapAdmin();
    reviewer = await h.person(admin, 'history.dtd', Role.DTD_REVIEWER);
    auditor = await h.person(admin, 'history.inspector', Role.AUDITOR);
    const caller = await h.gateway.as(await h.gateway.connection({ unit: UNIT, name: SYSTEM, env: 'production' }));
    await caller.put('/api/v1/task-results/TRANH_CHAP_01').send(taskResult('TRANH_CHAP_01', UNIT)).expect(201);
    const done = await caller.put('/api/v1/task-results/TRANH_CHAP_01').send(taskResult('TRANH_CHAP_01', UNIT, { result: 'COMPLETED', completedAt: '2026-06-30' })).expect(200);
    writeRequestId = done.headers['x-request-id'] as string;
    await caller.put('/api/v1/kpi-results/KPI.01/2026-Q2').send(kpiResult('KPI.01', '2026-Q2', UNIT)).expect(201);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it("shows a reviewer a task result's versions in words, newest first: who sent each, when, the fields it changed", async () => {
    const p = await openConsole(browser, h.controlUrl);
    await signInAs(p, h, reviewer);
    await p.getByRole('menuitem', { name: 'Lịch sử bản ghi' }).click();
    const form = p.getByRole('form', { name: 'Tra cứu' });
    // Searching with no code names what is missing.
    await form.getByRole('button', { name: 'Tra cứu' }).click();
    await p.getByText('Nhập mã cần tra cứu').waitFor();
    await form.getByLabel('Mã nhiệm vụ').fill('TRANH_CHAP_01');
    await form.getByRole('button', { name: 'Tra cứu' }).click();

    const table = p.getByTestId('record-versions');
    const rows = table.locator('tbody tr.ant-table-row');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    const newest = rows.nth(0);
    await expect(newest.textContent()).resolves.toContain('Ghi dữ liệu');
    expect(await newest.textContent()).toContain(SYSTEM);
    expect(await newest.textContent()).toContain(UNIT);
    // The fields it changed, by the guidance's names.
    expect(await newest.getByText('Kết quả', { exact: true }).count()).toBe(1);
    expect(await newest.getByText('Ngày hoàn thành thực tế').count()).toBe(1);
    expect(await rows.nth(1).textContent()).toContain('Phiên bản đầu tiên');
    // The address holds the search: a reload shows the same record.
    expect(new URL(p.url()).searchParams.get('code')).toBe('TRANH_CHAP_01');

    await newest.locator('.ant-table-row-expand-icon').click();
    const body = p.getByTestId('version-body');
    await body.waitFor();
    expect(await body.textContent()).toContain('Đã hoàn thành');
    expect(await body.textContent()).toContain('Tên nhiệm vụ');
    expect(await body.textContent()).toContain(writeRequestId);
    expect(await body.locator('.ant-tag', { hasText: 'đã thay đổi' }).count()).toBeGreaterThanOrEqual(2);
    expect(await seriousViolations(p)).toEqual([]);
    await screenshot(p, 'record-history-1-task-result');

    // A KPI result reported by one agency: found without naming it.
    await form.getByLabel('Bộ dữ liệu').click();
    await p.locator('.ant-select-item-option', { hasText: 'Kết quả thực hiện bộ chỉ số' }).click();
    await form.getByLabel('Mã chỉ số').fill('KPI.01');
    await form.getByLabel('Kỳ dữ liệu').fill('2026-Q2');
    await form.getByRole('button', { name: 'Tra cứu' }).click();
    await p.waitForURL(/dataSet=kpi-results/);
    await rows.nth(1).waitFor({ state: 'detached' });
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Phiên bản đầu tiên');

    // A record that never was: the gateway's Vietnamese answer, not an empty table.
    await form.getByLabel('Mã chỉ số').fill('KHONG_CO');
    await form.getByRole('button', { name: 'Tra cứu' }).click();
    await p.getByTestId('failure').waitFor();
    await p.close();
  });

  it("takes an auditor from a write's audit entry to the versions that call wrote", async () => {
    const p = await openConsole(browser, h.controlUrl);
    await signInAs(p, h, auditor);
    await p.getByRole('menuitem', { name: 'Nhật ký hệ thống' }).click();
    await p.getByLabel('Mã yêu cầu (X-Request-Id)').fill(writeRequestId);
    await p.getByRole('button', { name: 'Tra cứu' }).click();
    const entries = p.getByTestId('audit-entries').locator('tbody tr.ant-table-row');
    await entries.first().waitFor();
    expect(await entries.count()).toBe(1);
    await entries.first().locator('.ant-table-row-expand-icon').click();
    await p.getByRole('link', { name: 'Xem các phiên bản do lời gọi này ghi' }).click();

    await p.waitForURL(/\/record-history\?requestId=/);
    await p.getByText(`Các phiên bản do lời gọi ${writeRequestId} ghi`).waitFor();
    const rows = p.getByTestId('record-versions').locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('TRANH_CHAP_01');
    expect(await rows.first().textContent()).toContain('Kết quả thực hiện nhiệm vụ');
    expect(await seriousViolations(p)).toEqual([]);
    await screenshot(p, 'record-history-2-from-audit-entry');
    await p.close();
  });
});
