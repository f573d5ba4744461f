import { jest } from '@jest/globals';
import { ControllerSpecApp, controllerApp } from '../../test/support/controller-spec.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { PeriodicReportService } from './periodic-report.service.js';
import { ReportsController } from './reports.controller.js';
import { ScheduledReportsService } from './scheduled-reports.service.js';

/**
 * The periodic report's routes: DTD reviewers and auditors only, and a period given one way
 * (a named quarter, half-year or year, or from and to), each mistake named. Checked at the
 * controller with the report builder replaced; the figures against real data are in
 * test/periodic-reports.e2e-spec.ts.
 */
describe('ReportsController: permissions and validation', () => {
  const report = { title: 'Báo cáo', period: { label: '2026-Q3', from: '2026-07-01', to: '2026-09-30' }, environment: 'production' };
  const reports = { build: jest.fn(async (..._args: unknown[]) => report) };
  const scheduled = { list: jest.fn(async () => []), get: jest.fn(async () => report) };
  let spec: ControllerSpecApp;

  beforeAll(async () => {
    spec = await controllerApp(ReportsController, [
      { provide: PeriodicReportService, useValue: reports },
      { provide: ScheduledReportsService, useValue: scheduled },
      { provide: GatewayConfig, useValue: {} },
    ]);
  });
  afterAll(() => spec.close());
  afterEach(() => jest.clearAllMocks());

  it.each(['UNIT_ADMIN:Bộ Tài chính', 'SECURITY_OFFICER', 'SYSTEM_ADMIN'])('refuses %s (reports are for the DTD and the auditors)', async (role) => {
    expect(await spec.call(role, 'GET', '/control/v1/reports/periodic?period=2026-Q3')).toMatchObject({ status: 403, body: { code: 'ROLE_NOT_ALLOWED' } });
    expect((await spec.call(role, 'GET', '/control/v1/reports/periodic/scheduled')).status).toBe(403);
    expect(reports.build).not.toHaveBeenCalled();
    expect(scheduled.list).not.toHaveBeenCalled();
  });

  it.each(['DTD_REVIEWER', 'AUDITOR'])('builds the named period for %s, production data unless asked otherwise', async (role) => {
    const res = await spec.call(role, 'GET', '/control/v1/reports/periodic?period=2026-H1&unit=B%E1%BB%99%20Y%20t%E1%BA%BF');
    expect(res).toMatchObject({ status: 200, body: { title: 'Báo cáo' } });
    expect(reports.build).toHaveBeenCalledWith({ period: expect.objectContaining({ label: '2026-H1', from: '2026-01-01', to: '2026-06-30' }), environment: 'production', unit: 'Bộ Y tế', dataSet: undefined });
  });

  it.each([
    ['period=2026-Q5', 'period', 'must be a quarter (2026-Q3), a half-year (2026-H1) or a year (2026)'],
    ['period=2026-Q3&from=2026-07-01&to=2026-07-31', 'period', 'give either period or from and to, not both'],
    ['from=2026-07-01', 'to', 'is required unless period is given'],
    ['from=2026-07-31&to=2026-07-01', 'to', 'must not be before from'],
    ['from=2026-02-30&to=2026-03-01', 'from', 'must be a calendar date YYYY-MM-DD'],
    ['period=2026-Q3&format=csv', 'section', 'is required with format=csv'],
    ['period=2026-Q3&section=incidents', 'section', 'is only allowed with format=csv'],
  ])('names the mistake in %s', async (query, field, problem) => {
    const refused = await spec.call('DTD_REVIEWER', 'GET', `/control/v1/reports/periodic?${query}`);
    expect(refused).toMatchObject({ status: 400, body: { details: [{ field, problem }] } });
  });

  it('takes only the listed formats, sections, data sets and environments', async () => {
    const refused = await spec.call('AUDITOR', 'GET', '/control/v1/reports/periodic?period=2026&format=pdf&section=all&dataSet=tasks&environment=staging');
    expect(refused.status).toBe(400);
    expect(refused.body!.details.map((d: { field: string }) => d.field).sort()).toEqual(['dataSet', 'environment', 'format', 'section']);
    expect(reports.build).not.toHaveBeenCalled();
  });

  it('asks for a scheduled report by its id', async () => {
    expect((await spec.call('AUDITOR', 'GET', '/control/v1/reports/periodic/scheduled/not-an-id')).status).toBe(400);
    expect(scheduled.get).not.toHaveBeenCalled();
  });
});
