import { GatewayConfig } from '../shared/config/gateway-config.js';
import { jest } from '@jest/globals';
import crypto from 'node:crypto';
import { ClientCertificatesService } from '../pki/client-certificates.service.js';
import { ControllerSpecApp, controllerApp } from '../../test/support/controller-spec.js';
import { agreementFor, dossier } from '../../test/support/lifecycle-papers.js';
import { ConnectionsController } from './connections.controller.js';
import { ConnectionLifecycleService } from './lifecycle/connection-lifecycle.service.js';
import { ConnectionOnboardingService } from './lifecycle/connection-onboarding.service.js';
import { ConnectionOperationsService } from './lifecycle/connection-operations.service.js';
import { ConnectionRequestsService } from './lifecycle/connection-requests.service.js';

/**
 * Who may call the lifecycle routes and what each request must hold, checked at the controller
 * (permission table, guard, validation pipe, error shape) with the services replaced: a refused
 * request never reaches them. The lifecycle journeys are end-to-end (test/connection-*.e2e-spec.ts).
 */
describe('ConnectionsController: permissions and validation', () => {
  const ID = crypto.randomUUID();
  const MOF = 'Bộ Tài chính';
  const reached = new Error('reached the service');
  const refusal = () => jest.fn(async () => {
    throw reached;
  });
  const services = {
    requests: { register: refusal(), resubmit: refusal(), recordSecurityCheck: refusal(), appraise: refusal() },
    lifecycle: { visible: refusal(), history: refusal() },
    onboarding: { goLive: refusal(), recordAgreement: refusal() },
    operations: { list: jest.fn(async (..._args: unknown[]) => []), reEvaluate: refusal(), recordMaintenance: refusal(), terminate: refusal() },
    certificates: {},
  };
  let spec: ControllerSpecApp;

  beforeAll(async () => {
    spec = await controllerApp(ConnectionsController, [
      { provide: ConnectionRequestsService, useValue: services.requests },
      { provide: ConnectionLifecycleService, useValue: services.lifecycle },
      { provide: ConnectionOnboardingService, useValue: services.onboarding },
      { provide: ConnectionOperationsService, useValue: services.operations },
      { provide: ClientCertificatesService, useValue: services.certificates },
      { provide: GatewayConfig, useValue: {} },
    ]);
  });
  afterAll(() => spec.close());
  afterEach(() => jest.clearAllMocks());

  const allServiceCalls = () => Object.values(services).flatMap((s) => Object.values(s as Record<string, jest.Mock>)).reduce((n, m) => n + m.mock.calls.length, 0);

  it('refuses a request without a session, or with an expired one, in the one error shape', async () => {
    const none = await spec.call(null, 'GET', '/control/v1/connections');
    expect(none).toMatchObject({ status: 401, body: { statusCode: 401, error: 'Unauthorized', code: 'SESSION_MISSING', requestId: expect.any(String) } });
    expect((await spec.call('expired', 'GET', '/control/v1/connections')).body).toMatchObject({ statusCode: 401, code: 'SESSION_EXPIRED' });
    expect(allServiceCalls()).toBe(0);
  });

  it.each([
    ['DTD_REVIEWER', 'POST', '/control/v1/connections', { name: 'x', dossier: dossier(ID) }],
    ['SECURITY_OFFICER', 'POST', '/control/v1/connections', { name: 'x', dossier: dossier(ID) }],
    [`UNIT_ADMIN:${MOF}`, 'POST', `/control/v1/connections/${ID}/appraisal`, { decision: 'APPROVE', reasons: 'x' }],
    ['AUDITOR', 'POST', `/control/v1/connections/${ID}/terminate`, { reason: 'x' }],
    ['SECURITY_OFFICER', 'POST', `/control/v1/connections/${ID}/agreements`, agreementFor(MOF, { documentId: ID })],
    [`UNIT_ADMIN:${MOF}`, 'POST', `/control/v1/connections/${ID}/re-evaluations`, { outcome: 'CONDITIONS_MET', findings: 'x' }],
    ['SYSTEM_ADMIN', 'GET', '/control/v1/connections', undefined],
  ] as const)('%s may not %s %s: 403 ROLE_NOT_ALLOWED, the service untouched', async (role, method, url, body) => {
    const refused = await spec.call(role, method, url, body);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'ROLE_NOT_ALLOWED', message: expect.stringContaining('allowed:') });
    expect(allServiceCalls()).toBe(0);
  });

  it('lets each role that may read list connections, with the page shape', async () => {
    for (const role of [`UNIT_ADMIN:${MOF}`, 'DTD_REVIEWER', 'SECURITY_OFFICER', 'AUDITOR']) {
      expect(await spec.call(role, 'GET', '/control/v1/connections?limit=5')).toEqual({ status: 200, body: { items: [], nextCursor: null } });
    }
    expect(services.operations.list).toHaveBeenCalledTimes(4);
    expect(services.operations.list.mock.calls[0][0]).toMatchObject({ role: 'UNIT_ADMIN', unit: MOF });
  });

  it('validates the list query: state, the overdue flag and the page size, each named', async () => {
    const bad = await spec.call('DTD_REVIEWER', 'GET', '/control/v1/connections?limit=101&state=SLEEPING&reEvaluationOverdue=yes');
    expect(bad.status).toBe(400);
    expect(bad.body!.details.map((d: { field: string }) => d.field).sort()).toEqual(['limit', 'reEvaluationOverdue', 'state']);
    expect((await spec.call('DTD_REVIEWER', 'GET', '/control/v1/connections?sort=name')).body!.details).toEqual([expect.objectContaining({ field: 'sort' })]);
    expect(services.operations.list).not.toHaveBeenCalled();
  });

  it('refuses an id that is not a UUID before any lookup', async () => {
    const bad = await spec.call('DTD_REVIEWER', 'GET', '/control/v1/connections/42');
    expect(bad).toMatchObject({ status: 400, body: { statusCode: 400 } });
    expect(services.lifecycle.visible).not.toHaveBeenCalled();
  });

  it('step 1: the dossier must be complete, with its request letter, and nothing else', async () => {
    const { requestLetter: _letter, ...withoutLetter } = dossier(ID);
    const noLetter = await spec.call(`UNIT_ADMIN:${MOF}`, 'POST', '/control/v1/connections', { name: 'Hệ thống A', dossier: withoutLetter });
    expect(noLetter.status).toBe(400);
    expect(noLetter.body!.details.map((d: { field: string }) => d.field)).toContain('dossier.requestLetter');
    const noSigner = await spec.call(`UNIT_ADMIN:${MOF}`, 'POST', '/control/v1/connections', { name: 'Hệ thống A', dossier: { ...dossier(ID), requestLetter: { ...dossier(ID).requestLetter, signedBy: '' } } });
    expect(noSigner.body!.details.map((d: { field: string }) => d.field)).toEqual(['dossier.requestLetter.signedBy']);
    const extra = await spec.call(`UNIT_ADMIN:${MOF}`, 'POST', '/control/v1/connections', { name: 'Hệ thống A', dossier: dossier(ID), state: 'LIVE' });
    expect(extra.body!.details).toEqual([expect.objectContaining({ field: 'state' })]);
    expect(services.requests.register).not.toHaveBeenCalled();

    // A complete one reaches the service, as the acting unit administrator.
    expect((await spec.call(`UNIT_ADMIN:${MOF}`, 'POST', '/control/v1/connections', { name: 'Hệ thống A', dossier: dossier(ID) })).status).toBe(500);
    expect(services.requests.register).toHaveBeenCalledWith(expect.objectContaining({ role: 'UNIT_ADMIN', unit: MOF }), expect.objectContaining({ name: 'Hệ thống A' }));
  });

  it('step 2: an appraisal is APPROVE or RETURN, with reasons', async () => {
    const bad = await spec.call('DTD_REVIEWER', 'POST', `/control/v1/connections/${ID}/appraisal`, { decision: 'MAYBE' });
    expect(bad.status).toBe(400);
    expect(bad.body!.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['decision', 'reasons']));
    expect(services.requests.appraise).not.toHaveBeenCalled();
  });

  it('step 7: a re-evaluation whose conditions are not met names its consequence, and a deadline its date', async () => {
    const reEvaluate = (body: Record<string, unknown>) =>
      spec.call('DTD_REVIEWER', 'POST', `/control/v1/connections/${ID}/re-evaluations`, { outcome: 'CONDITIONS_NOT_MET', findings: 'Chưa gia hạn đánh giá cấp độ', ...body });
    expect((await reEvaluate({})).body!.details.map((d: { field: string }) => d.field)).toEqual(['consequence']);
    expect((await reEvaluate({ consequence: 'DEADLINE' })).body!.details).toContainEqual({ field: 'remedyDeadline', problem: 'is required with the DEADLINE consequence' });
    expect((await reEvaluate({ consequence: 'DEADLINE', remedyDeadline: '2026-02-30' })).body!.details.map((d: { field: string }) => d.field)).toEqual(['remedyDeadline']);
    expect(services.operations.reEvaluate).not.toHaveBeenCalled();
  });
});
