import { jest } from '@jest/globals';
import crypto from 'node:crypto';
import { Clock } from '../../calendar/clock.js';
import { ConnectionLifecycleService } from '../../connections/lifecycle/connection-lifecycle.service.js';
import { ControllerSpecApp, controllerApp } from '../../../test/support/controller-spec.js';
import { IncidentsService } from '../incidents/incidents.service.js';
import { RemediationService } from '../remediation/remediation.service.js';
import { SecurityControlController } from './security-control.controller.js';

/**
 * Cut-off, incidents and remediation routes: who may call each and what each must hold, at the
 * controller with its services replaced. The journeys (cut-off → report → re-test → restore) are
 * end-to-end in test/security-remediation.e2e-spec.ts and test/connection-suspension.e2e-spec.ts.
 */
describe('SecurityControlController: permissions and validation', () => {
  const ID = crypto.randomUUID();
  const NOW = Date.parse('2026-12-04T10:00:00+07:00');
  const reached = () => jest.fn(async () => {
    throw new Error('reached the service');
  });
  const remediation = { suspend: reached(), override: reached(), submit: reached(), decide: reached(), restoreAfterRetest: reached(), awaitingRestoration: reached() };
  const incidents = { openFromUnitReport: reached(), list: reached(), get: reached(), open: reached(), classify: reached(), markStep: reached() };
  const lifecycle = { visible: jest.fn(async () => ({ id: ID })), run: reached() };
  const clock = { nowMs: () => NOW, now: () => new Date(NOW), today: () => '2026-12-04', timeZone: 'Asia/Ho_Chi_Minh' };
  let spec: ControllerSpecApp;

  beforeAll(async () => {
    spec = await controllerApp(SecurityControlController, [
      { provide: RemediationService, useValue: remediation },
      { provide: IncidentsService, useValue: incidents },
      { provide: ConnectionLifecycleService, useValue: lifecycle },
      { provide: Clock, useValue: clock },
    ]);
  });
  afterAll(() => spec.close());
  afterEach(() => jest.clearAllMocks());

  const untouched = () => [...Object.values(remediation), ...Object.values(incidents), lifecycle.run].every((m) => m.mock.calls.length === 0);

  it.each([
    ['UNIT_ADMIN:Bộ Tài chính', 'POST', `/control/v1/connections/${ID}/suspension`, { reasonCode: 'MANUAL_CUT_OFF', reason: 'x' }],
    ['DTD_REVIEWER', 'POST', `/control/v1/connections/${ID}/suspension`, { reasonCode: 'MANUAL_CUT_OFF', reason: 'x' }],
    ['DTD_REVIEWER', 'POST', `/control/v1/connections/${ID}/restore-override`, { justification: 'x' }],
    ['SECURITY_OFFICER', 'POST', `/control/v1/connections/${ID}/remediation-reports`, { cause: 'x', measuresTaken: 'x', securityCommitment: 'x', confirmationDocumentId: ID }],
    ['UNIT_ADMIN:Bộ Tài chính', 'POST', `/control/v1/remediation-reports/${ID}/decision`, { decision: 'ACCEPT', text: 'x' }],
    ['SECURITY_OFFICER', 'POST', `/control/v1/remediation-reports/${ID}/decision`, { decision: 'ACCEPT', text: 'x' }],
    ['UNIT_ADMIN:Bộ Tài chính', 'GET', '/control/v1/incidents', undefined],
    ['AUDITOR', 'POST', '/control/v1/incidents', { reasonCode: 'DATA_LEAK_SUSPECTED', summary: 'x' }],
    ['SECURITY_OFFICER', 'POST', `/control/v1/connections/${ID}/incident-reports`, { reasonCode: 'CREDENTIALS_COMPROMISED', summary: 'x', detectedAt: '2026-12-04T09:00:00+07:00' }],
  ] as const)('%s may not %s %s', async (role, method, url, body) => {
    const refused = await spec.call(role, method, url, body);
    expect(refused).toMatchObject({ status: 403, body: { code: 'ROLE_NOT_ALLOWED' } });
    expect(untouched()).toBe(true);
  });

  it('a cut-off names an upper-case reason code and a reason', async () => {
    const bad = await spec.call('SECURITY_OFFICER', 'POST', `/control/v1/connections/${ID}/suspension`, { reasonCode: 'manual cut', reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.body!.details).toEqual(
      expect.arrayContaining([{ field: 'reasonCode', problem: 'must be an upper-case code like MANUAL_CUT_OFF' }, expect.objectContaining({ field: 'reason' })]),
    );
    expect(remediation.suspend).not.toHaveBeenCalled();
  });

  it("a unit's incident report is refused when detected in the future by the gateway's clock (a minute's grace)", async () => {
    const report = (detectedAt: string) =>
      spec.call('UNIT_ADMIN:Bộ Tài chính', 'POST', `/control/v1/connections/${ID}/incident-reports`, { reasonCode: 'CREDENTIALS_COMPROMISED', summary: 'Lộ khóa', detectedAt });
    const future = await report(new Date(NOW + 2 * 60_000).toISOString());
    expect(future).toMatchObject({ status: 400, body: { details: [{ field: 'detectedAt', problem: 'must not be in the future' }] } });
    expect((await report('04/12/2026 09:00')).body!.details).toEqual([expect.objectContaining({ field: 'detectedAt' })]);
    expect(incidents.openFromUnitReport).not.toHaveBeenCalled();
    await report(new Date(NOW + 30_000).toISOString()); // within the grace: goes on to open the incident
    expect(incidents.openFromUnitReport).toHaveBeenCalledWith(expect.objectContaining({ connectionId: ID, detectedAt: new Date(NOW + 30_000) }));
  });

  it('decisions, classifications and incident filters take only their listed values', async () => {
    expect((await spec.call('DTD_REVIEWER', 'POST', `/control/v1/remediation-reports/${ID}/decision`, { decision: 'MAYBE', text: 'x' })).body!.details).toEqual([
      { field: 'decision', problem: 'must be ACCEPT or RECOMMEND' },
    ]);
    expect((await spec.call('SECURITY_OFFICER', 'POST', `/control/v1/incidents/${ID}/classification`, { severity: 'HUGE' })).body!.details).toEqual([expect.objectContaining({ field: 'severity' })]);
    expect((await spec.call('AUDITOR', 'GET', '/control/v1/incidents?overdue=maybe')).body!.details).toEqual([expect.objectContaining({ field: 'overdue' })]);
    expect((await spec.call('AUDITOR', 'GET', '/control/v1/incidents/not-a-uuid')).status).toBe(400);
    expect(untouched()).toBe(true);
  });
});
