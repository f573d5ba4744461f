import { Role } from '../src/accounts/roles.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { resetDatabase } from './support/test-database.js';

/**
 * POST /control/v1/accounts/{id}/credential-reset: a holder who lost the password or the
 * authenticator gets a fresh two-part activation code (the administrator learns only one part),
 * their sessions end, the TOTP is enrolled again, and who they are stays recorded.
 */
describe('resetting an account\'s credentials', () => {
  let h: ControlPlaneHarness;
  let admin: Person;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start();
    admin = await h.bootstrapAdmin();
  });
  afterAll(() => h.stop());

  it('ends the sessions, makes the old password useless, keeps the identity and has the holder activate and enrol again', async () => {
    const person = await h.person(admin, 'reset.reviewer', Role.DTD_REVIEWER);
    await h.as(admin).put(`/control/v1/accounts/${person.id}/identity`).send({ position: 'Chuyên viên chính' }).expect(200);
    const reset = await h.as(admin).post(`/control/v1/accounts/${person.id}/credential-reset`).send({ reason: 'Mất điện thoại có ứng dụng xác thực' }).expect(200);
    expect(reset.body).toMatchObject({ account: { id: person.id, holderName: 'Holder of reset.reviewer', position: 'Chuyên viên chính', totpEnrolled: false }, activation: { administratorPart: expect.any(String) } });
    // The administrator gets half a code, nothing that signs in.
    expect(Object.keys(reset.body).sort()).toEqual(['account', 'activation']);
    expect(Object.keys(reset.body.activation).sort()).toEqual(['administratorPart', 'expiresAt']);
    expect((await h.as(person).get('/control/v1/auth/me').expect(401)).body.code).toBe('SESSION_REVOKED');
    await h.raw('post', '/control/v1/auth/sign-in').send({ username: person.username, password: person.password, totpCode: h.totp(person.totpSecret) }).expect(401);

    const password = await h.activate(person.username, reset.body.activation.administratorPart);
    const challenge = await h.raw('post', '/control/v1/auth/sign-in').send({ username: person.username, password }).expect(200);
    expect(challenge.body).toMatchObject({ mfaEnrolmentRequired: true });

    const history = await h.as(admin).get(`/control/v1/accounts/${person.id}/history`).expect(200);
    expect(history.body.items).toContainEqual(expect.objectContaining({ kind: 'CREDENTIALS_RESET', details: expect.objectContaining({ reason: 'Mất điện thoại có ứng dụng xác thực', by: 'admin' }) }));
  });

  it('refuses a deactivated account (409), your own (400), and other roles (403)', async () => {
    const person = await h.person(admin, 'reset.leaver', Role.AUDITOR);
    await h.as(person).post(`/control/v1/accounts/${admin.id}/credential-reset`).send({ reason: 'x' }).expect(403);
    await h.as(admin).post(`/control/v1/accounts/${person.id}/deactivate`).send({ cause: 'LEFT', reason: 'Nghỉ hưu' }).expect(200);
    const refused = await h.as(admin).post(`/control/v1/accounts/${person.id}/credential-reset`).send({ reason: 'x' }).expect(409);
    expect(refused.body).toMatchObject({ code: 'ACCOUNT_DEACTIVATED', messageVi: expect.any(String) });
    await h.as(admin).post(`/control/v1/accounts/${admin.id}/credential-reset`).send({ reason: 'x' }).expect(400);
    await h.as(admin).post('/control/v1/accounts/7a1f0c52-0000-4000-8000-000000000000/credential-reset').send({ reason: 'x' }).expect(404);
  });
});
