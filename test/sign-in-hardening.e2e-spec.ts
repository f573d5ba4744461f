import { generateSync } from 'otplib';
import { Role } from '../src/accounts/roles.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { resetDatabase, sql } from './support/test-database.js';

const SIGN_IN = '/control/v1/auth/sign-in';
const LIMIT_PER_ADDRESS = 40;

/** What a caller can compare between two answers: all but the request id. */
function visible(response: { status: number; body: Record<string, unknown>; headers: Record<string, string> }) {
  const { requestId, ...body } = response.body;
  expect(requestId).toBe(response.headers['x-request-id']);
  return { status: response.status, body, retryAfter: response.headers['retry-after'] };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Issue 12, point 10 and the sign-in items of point 13 and the new users' list. */
describe('sign-in: no enumeration, no targeted lock-out, a throttle per address, sign-out', () => {
  let h: ControlPlaneHarness;
  let admin: Person;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start({
      SIGN_IN_MAX_FAILURES: '3',
      SIGN_IN_LOCKOUT_SECONDS: '2',
      SIGN_IN_PER_SOURCE_PER_MINUTE: String(LIMIT_PER_ADDRESS),
      CONTROL_PLANE_TRUSTED_PROXIES: '127.0.7.1',
    });
    admin = await h.bootstrapAdmin();
  });
  afterAll(() => h.stop());

  it('answers an unknown username exactly as a real one refused for any reason, backing off included', async () => {
    const person = await h.person(admin, 'reviewer.enum', Role.DTD_REVIEWER);
    const from = (address: string, body: object) => h.rawFrom(address, 'post', SIGN_IN).send(body);
    const unknown = visible(await from('127.0.1.1', { username: 'no.such.person', password: 'guess-123' }));
    expect(unknown).toEqual({ status: 401, body: { statusCode: 401, error: 'Unauthorized', code: 'INVALID_CREDENTIALS', message: expect.any(String), messageVi: 'Tên đăng nhập, mật khẩu hoặc mã xác thực không đúng' }, retryAfter: undefined });
    expect(visible(await from('127.0.1.1', { username: person.username, password: 'guess-123' }))).toEqual(unknown);
    expect(visible(await from('127.0.1.1', { username: person.username, password: person.password }))).toEqual(unknown);
    expect(visible(await from('127.0.1.1', { username: person.username, password: person.password, totpCode: '000000' }))).toEqual(unknown);
    // The pair (reviewer.enum, 127.0.1.1) has failed three times: it backs off, and says nothing of it,
    // even to the right password and code; so does an unknown username backing off.
    const code = h.totp(person.totpSecret);
    expect(visible(await from('127.0.1.1', { username: person.username, password: person.password, totpCode: code }))).toEqual(unknown);
    for (let i = 0; i < 3; i++) await from('127.0.1.1', { username: 'no.such.person', password: `guess-${i}` }).expect(401);
    expect(visible(await from('127.0.1.1', { username: 'no.such.person', password: 'guess-9' }))).toEqual(unknown);
    // The refused attempt did not use the code up: the holder, elsewhere, signs in with it.
    await from('127.0.1.3', { username: person.username, password: person.password, totpCode: code }).expect(200);
  });

  it("backs off the address that guesses, not the holder signing in from elsewhere (admin included); the back-off doubles and is reported", async () => {
    const person = await h.person(admin, 'officer.target', Role.SECURITY_OFFICER);
    for (const target of [person, admin]) {
      for (let i = 0; i < 3; i++) await h.rawFrom('127.0.3.1', 'post', SIGN_IN).send({ username: target.username, password: `guess-${i}` }).expect(401);
      const code = h.totp(target.totpSecret);
      await h.rawFrom('127.0.3.1', 'post', SIGN_IN).send({ username: target.username, password: target.password, totpCode: code }).expect(401);
      const elsewhere = await h.rawFrom('127.0.3.2', 'post', SIGN_IN).send({ username: target.username, password: target.password, totpCode: code }).expect(200);
      // The holder learns of the attempts at their next sign-in.
      expect(elsewhere.body.failedSignInsSinceLastSignIn).toBe(4);
      await h.as({ session: elsewhere.body.accessToken }).get('/control/v1/auth/me').expect(200);
    }
    // Their sessions opened before go on: the guesses end nothing.
    await h.as(person).get('/control/v1/auth/me').expect(200);
    await h.as(admin).get('/control/v1/auth/me').expect(200);

    const alerts = await sql<{ payload: string }>(`SELECT payload FROM security_alerts WHERE kind = 'SIGN_IN_BLOCKED' ORDER BY created_at`);
    const forPerson = alerts.map((a) => JSON.parse(a.payload)).filter((a) => a.username === 'officer.target');
    // Three failures: 2 s (SIGN_IN_LOCKOUT_SECONDS); the fourth, while backing off: 4 s.
    expect(forPerson.map((a) => [a.source, a.failures, a.backOffSeconds])).toEqual([['127.0.3.1', 3, 2], ['127.0.3.1', 4, 4]]);
    const history = await h.as(admin).get(`/control/v1/accounts/${person.id}/history`).expect(200);
    expect(history.body.items.filter((e: { kind: string }) => e.kind === 'SIGN_IN_BLOCKED')).toHaveLength(2);
  });

  it('throttles each source address on the sign-in routes: 429 with Retry-After in the one error shape', async () => {
    for (let i = 0; i < LIMIT_PER_ADDRESS; i++) {
      await h.rawFrom('127.0.4.1', 'post', SIGN_IN).send({ username: `spray.${i}`, password: 'guess-123' }).expect(401);
    }
    const refused = await h.rawFrom('127.0.4.1', 'post', SIGN_IN).send({ username: 'spray.last', password: 'guess-123' }).expect(429);
    expect(visible(refused)).toEqual({
      status: 429,
      body: { statusCode: 429, error: 'Too Many Requests', code: 'SIGN_IN_THROTTLED', message: expect.stringContaining('from this address'), messageVi: expect.stringContaining('Quá nhiều lần đăng nhập') },
      retryAfter: expect.stringMatching(/^\d+$/),
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    // The other public routes count in the same allowance.
    await h.rawFrom('127.0.4.1', 'post', '/control/v1/auth/mfa-enrolment').send({ enrolmentToken: 'x', totpCode: '123456' }).expect(429);
    // Another address is not affected.
    await h.rawFrom('127.0.4.2', 'post', SIGN_IN).send({ username: 'spray.last', password: 'guess-123' }).expect(401);
  });

  it('tells the holder that a code was already used, and does not count it towards a back-off', async () => {
    const created = await h.as(admin).post('/control/v1/accounts').send({ username: 'unit.reuse', role: Role.UNIT_ADMIN, unit: 'Bộ Nội vụ', holderName: 'Người dùng' }).expect(201);
    const password = await h.activate('unit.reuse', created.body.activation.administratorPart);
    const challenge = await h.rawFrom('127.0.5.1', 'post', SIGN_IN).send({ username: 'unit.reuse', password }).expect(200);
    const secret = new URL(challenge.body.otpauthUri).searchParams.get('secret')!;
    const step = Math.floor(h.gateway.clock.nowMs() / 30_000);
    const used = generateSync({ secret, epoch: step * 30 });
    await h.rawFrom('127.0.5.1', 'post', '/control/v1/auth/mfa-enrolment').send({ enrolmentToken: challenge.body.enrolmentToken, totpCode: used }).expect(200);
    // More times than SIGN_IN_MAX_FAILURES (3), from one address.
    for (let i = 0; i < 5; i++) {
      const again = await h.rawFrom('127.0.5.1', 'post', SIGN_IN).send({ username: 'unit.reuse', password, totpCode: used }).expect(401);
      expect(again.body).toMatchObject({ code: 'TOTP_CODE_REUSED', message: expect.stringContaining('already used') });
    }
    // Not counted: the next code, from the same address, signs in.
    const next = await h.rawFrom('127.0.5.1', 'post', SIGN_IN).send({ username: 'unit.reuse', password, totpCode: generateSync({ secret, epoch: (step + 1) * 30 }) }).expect(200);
    expect(next.body.failedSignInsSinceLastSignIn).toBe(0);
  });

  it('ends every open session of an account when it is locked, and refuses its sign-ins until unlocked', async () => {
    const person = await h.person(admin, 'reviewer.locked', Role.DTD_REVIEWER);
    const officer = await h.person(admin, 'officer.locks', Role.SECURITY_OFFICER);
    await h.as(person).post(`/control/v1/accounts/${person.id}/lock`).send({ reason: 'x' }).expect(403);
    const locked = await h.as(officer).post(`/control/v1/accounts/${person.id}/lock`).send({ reason: 'Nghi lộ mật khẩu' }).expect(200);
    expect(locked.body.lockedUntil).not.toBeNull();
    expect((await h.as(person).get('/control/v1/auth/me').expect(401)).body.code).toBe('SESSION_REVOKED');
    await h.as(officer).get('/control/v1/auth/me').expect(200);
    const code = h.totp(person.totpSecret);
    const refused = await h.rawFrom('127.0.6.1', 'post', SIGN_IN).send({ username: person.username, password: person.password, totpCode: code }).expect(401);
    expect(refused.body.code).toBe('INVALID_CREDENTIALS');
    const alerts = await sql<{ payload: string }>(`SELECT payload FROM security_alerts WHERE kind = 'ACCOUNT_LOCKED'`);
    expect(alerts.map((a) => JSON.parse(a.payload))).toContainEqual(expect.objectContaining({ username: 'reviewer.locked', by: 'officer.locks', reason: 'Nghi lộ mật khẩu' }));
    const bad = await h.as(officer).post(`/control/v1/accounts/${person.id}/lock`).send({ reason: 'x', until: '2020-01-01T00:00:00Z' }).expect(400);
    expect(bad.body.details).toEqual([{ field: 'until', problem: 'must be in the future' }]);

    await h.as(admin).post(`/control/v1/accounts/${person.id}/unlock`).send({ reason: 'Đã đổi mật khẩu' }).expect(200);
    // (The refused attempt was stopped before the code was checked, so it is still unused.)
    await h.rawFrom('127.0.6.2', 'post', SIGN_IN).send({ username: person.username, password: person.password, totpCode: code }).expect(200);
    const history = await h.as(admin).get(`/control/v1/accounts/${person.id}/history`).expect(200);
    expect(history.body.items.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['LOCKED', 'UNLOCKED']));
  });

  it('counts the caller behind a listed reverse proxy, and believes no one else about it', async () => {
    const forwarded = (proxy: string, caller: string, i: number) =>
      h.rawFrom(proxy, 'post', SIGN_IN).set('X-Forwarded-For', caller).send({ username: 'proxied.person', password: `guess-${i}` }).expect(401);
    for (let i = 0; i < 3; i++) await forwarded('127.0.7.1', '198.51.100.7', i);
    for (let i = 0; i < 3; i++) await forwarded('127.0.7.2', '198.51.100.8', i);
    const alerts = await sql<{ payload: string }>(`SELECT payload FROM security_alerts WHERE kind = 'SIGN_IN_BLOCKED'`);
    const sources = alerts.map((a) => JSON.parse(a.payload)).filter((a) => a.username === 'proxied.person').map((a) => a.source);
    expect(sources.sort()).toEqual(['127.0.7.2', '198.51.100.7']);
  });

  it('signs out: that session ends at once on the server, the others go on', async () => {
    const person = await h.person(admin, 'auditor.signout', Role.AUDITOR);
    const other = { session: await h.signIn(person) };
    await h.as(person).post('/control/v1/auth/sign-out').expect(204);
    const ended = await h.as(person).get('/control/v1/auth/me').expect(401);
    expect(ended.body).toMatchObject({ code: 'SESSION_ENDED', requestId: ended.headers['x-request-id'] });
    await h.as(person).post('/control/v1/auth/sign-out').expect(401);
    await h.as(other).get('/control/v1/auth/me').expect(200);
    await h.raw('post', '/control/v1/auth/sign-out').expect(401);
  });
});

/** Timing apart, with a back-off out of reach: each attempt at the real username has its password checked. */
describe('sign-in timing', () => {
  let h: ControlPlaneHarness;
  let admin: Person;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start({ SIGN_IN_MAX_FAILURES: '1000' });
    admin = await h.bootstrapAdmin();
  });
  afterAll(() => h.stop());

  it('takes as long for an unknown username as for a real one', async () => {
    const person = await h.person(admin, 'auditor.timing', Role.AUDITOR);
    // (Failures never reach a back-off in this suite: every attempt of a real username is checked.)
    // One kept-alive connection per side, warmed up, so that TLS handshakes are not measured.
    const attempt = async (address: string, username: string) => {
      const started = performance.now();
      await h.rawFrom(address, 'post', SIGN_IN).send({ username, password: 'not-the-password' }).expect(401);
      return performance.now() - started;
    };
    await attempt('127.0.2.1', 'nobody.warm-up');
    await attempt('127.0.2.2', person.username);
    const unknown: number[] = [];
    const known: number[] = [];
    for (let i = 0; i < 10; i++) {
      unknown.push(await attempt('127.0.2.1', `nobody.${i}`));
      known.push(await attempt('127.0.2.2', person.username));
    }
    const ratio = median(known) / median(unknown);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

});
