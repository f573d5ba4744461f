import { jest } from '@jest/globals';
import { ControllerSpecApp, controllerApp } from '../../test/support/controller-spec.js';
import { AccountsController } from './accounts.controller.js';
import { AccountsService } from './accounts.service.js';

/**
 * Account administration and delegation: only the system administrator manages accounts, the
 * security officers may also lock them, everyone may delegate; each field of a request checked
 * and named. At the controller with AccountsService replaced; activation, sign-in and handover
 * journeys are end-to-end (test/account-*.e2e-spec.ts, test/accounts.e2e-spec.ts).
 */
describe('AccountsController: permissions and validation', () => {
  const ID = '5b0f6a2e-3c1d-4e8f-9a7b-1c2d3e4f5a6b';
  const reached = () => jest.fn(async () => {
    throw new Error('reached the service');
  });
  const accounts = { create: reached(), list: reached(), handOver: reached(), resetCredentials: reached(), lock: reached(), unlock: reached(), history: reached(), grantDelegation: reached(), delegationParties: reached() };
  let spec: ControllerSpecApp;

  beforeAll(async () => {
    spec = await controllerApp(AccountsController, [{ provide: AccountsService, useValue: accounts }]);
  });
  afterAll(() => spec.close());
  afterEach(() => jest.clearAllMocks());

  const untouched = () => Object.values(accounts).every((m) => m.mock.calls.length === 0);
  const newAccount = { username: 'nguyen.van.a', role: 'DTD_REVIEWER', holderName: 'Nguyễn Văn A' };

  it.each([
    ['DTD_REVIEWER', 'POST', '/control/v1/accounts', newAccount],
    ['SECURITY_OFFICER', 'GET', '/control/v1/accounts', undefined],
    ['AUDITOR', 'POST', `/control/v1/accounts/${ID}/handover`, { newHolderName: 'Trần Thị B', reason: 'x' }],
    ['UNIT_ADMIN:Bộ Tài chính', 'POST', `/control/v1/accounts/${ID}/credential-reset`, { reason: 'x' }],
    ['DTD_REVIEWER', 'POST', `/control/v1/accounts/${ID}/lock`, { reason: 'x' }],
    ['AUDITOR', 'POST', `/control/v1/accounts/${ID}/unlock`, { reason: 'x' }],
    ['SECURITY_OFFICER', 'GET', `/control/v1/accounts/${ID}/history`, undefined],
  ] as const)('refuses %s to %s %s', async (role, method, url, body) => {
    expect(await spec.call(role, method, url, body)).toMatchObject({ status: 403, body: { code: 'ROLE_NOT_ALLOWED' } });
    expect(untouched()).toBe(true);
  });

  it('lets a security officer lock an account (and the system administrator create one)', async () => {
    await spec.call('SECURITY_OFFICER', 'POST', `/control/v1/accounts/${ID}/lock`, { reason: 'Nghi lộ mật khẩu' });
    expect(accounts.lock).toHaveBeenCalledWith(ID, expect.objectContaining({ role: 'SECURITY_OFFICER' }), 'Nghi lộ mật khẩu', null);
    await spec.call('SYSTEM_ADMIN', 'POST', '/control/v1/accounts', newAccount);
    expect(accounts.create).toHaveBeenCalledWith(expect.objectContaining(newAccount), expect.objectContaining({ role: 'SYSTEM_ADMIN' }));
  });

  it("names each wrong field of a new account, the holder's identity included", async () => {
    const bad = await spec.call('SYSTEM_ADMIN', 'POST', '/control/v1/accounts', {
      username: 'Nguyễn Văn A', role: 'ADMIN', holderName: '', phone: 'gọi tôi', email: 'không phải thư', citizenId: '0010990012',
    });
    expect(bad.status).toBe(400);
    expect(bad.body!.details).toEqual(
      expect.arrayContaining([
        { field: 'username', problem: 'must be 3-100 of a-z, 0-9, ".", "_", "-"' },
        { field: 'role', problem: expect.stringMatching(/^must be one of /) },
        expect.objectContaining({ field: 'holderName' }),
        { field: 'phone', problem: 'must be a phone number (digits, spaces, . ( ) -, optional leading +)' },
        { field: 'email', problem: 'must be an e-mail address' },
        { field: 'citizenId', problem: 'must be the 12 digits of the citizen ID number' },
      ]),
    );
    expect(untouched()).toBe(true);
  });

  it('takes an account id only as a UUID', async () => {
    expect((await spec.call('SYSTEM_ADMIN', 'GET', '/control/v1/accounts/42/history')).status).toBe(400);
    expect(untouched()).toBe(true);
  });

  it('a delegation names its assistant once, by id or username, and ends on a date', async () => {
    const none = await spec.call('DTD_REVIEWER', 'POST', '/control/v1/delegations', { expiresAt: 'next week' });
    expect(none.body!.details).toEqual(
      expect.arrayContaining([
        { field: 'assistantId', problem: 'must be an account id (UUID), or give assistantUsername instead' },
        { field: 'assistantUsername', problem: 'must be a username, or give assistantId instead' },
        expect.objectContaining({ field: 'expiresAt' }),
      ]),
    );
    const both = await spec.call('DTD_REVIEWER', 'POST', '/control/v1/delegations', { assistantId: ID, assistantUsername: 'tran.thi.b', expiresAt: '2026-12-11T17:00:00+07:00' });
    expect(both.body!.details).toEqual([{ field: 'assistantUsername', problem: 'give either assistantId or assistantUsername, not both' }]);
    expect(untouched()).toBe(true);
  });
});
