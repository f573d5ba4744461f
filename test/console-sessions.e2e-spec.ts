import jwt from 'jsonwebtoken';
import { Role } from '../src/accounts/roles.js';
import { CONSOLE_CSP } from '../src/console/serve-console.js';
import { signingKeyFor } from '../src/shared/config/signing-keys.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { resetDatabase } from './support/test-database.js';

const COOKIE = '__Host-gateway-session';
const cookieOf = (setCookie: string | string[] | undefined) => {
  const line = ([] as string[]).concat(setCookie ?? []).find((c) => c.startsWith(`${COOKIE}=`));
  return line ? { line, value: line.slice(COOKIE.length + 1).split(';')[0] } : null;
};

/**
 * The console's browser sessions (issue 13, part 2): the session in an HttpOnly, Secure,
 * SameSite=Strict cookie that the page never sees; cookie-authenticated writes need the CSRF
 * header; the cookie is renewed while in use (idle expiry) up to a maximum; sign-out ends it;
 * Bearer sessions for scripts unchanged. And the console itself: served at / with a strict CSP.
 */
describe('console: cookie sessions, CSRF defence, idle renewal, the served console', () => {
  let h: ControlPlaneHarness;
  let officer: Person;
  let script: Person;
  let renewing: Person;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start({ CONSOLE_SESSION_MAX_SECONDS: '3600' });
    const admin = await h.bootstrapAdmin();
    // One person per test: the gateway refuses a TOTP code twice, and a test may use two codes per 30 s.
    officer = await h.person(admin, 'console.officer', Role.SECURITY_OFFICER);
    script = await h.person(admin, 'console.script', Role.SECURITY_OFFICER);
    renewing = await h.person(admin, 'console.renewing', Role.AUDITOR);
  });
  afterAll(() => h.stop());

  /** The control plane's session key, to present the same session as it would look later. */
  const signingKey = () => signingKeyFor(h.gateway.config, 'control-plane session');

  async function browserSignIn(person: Person): Promise<string> {
    const response = await h.raw('post', '/control/v1/auth/sign-in').set('X-Session-Delivery', 'cookie')
      .send({ username: person.username, password: person.password, totpCode: h.totp(person.totpSecret) }).expect(200);
    // The token is in the cookie only: nothing the page's JavaScript can read.
    expect(response.body).toEqual({ tokenType: 'Cookie', expiresIn: 900, failedSignInsSinceLastSignIn: 0 });
    const cookie = cookieOf(response.headers['set-cookie']);
    expect(cookie?.line).toMatch(/; Path=\/; Max-Age=900; HttpOnly; Secure; SameSite=Strict$/);
    return cookie!.value;
  }

  it('signs a browser in with the cookie, refuses its writes without the CSRF header, and signs it out', async () => {
    const session = await browserSignIn(officer);
    const me = await h.raw('get', '/control/v1/auth/me').set('Cookie', `${COOKIE}=${session}`).expect(200);
    expect(me.body).toMatchObject({ username: officer.username, role: 'SECURITY_OFFICER' });

    // A write authenticated by the cookie alone (what a cross-site form could send) is refused.
    const forged = await h.raw('post', '/control/v1/auth/sign-out').set('Cookie', `${COOKIE}=${session}`).expect(403);
    expect(forged.body).toMatchObject({ code: 'CSRF_HEADER_MISSING', requestId: expect.any(String) });

    const out = await h.raw('post', '/control/v1/auth/sign-out').set('Cookie', `${COOKIE}=${session}`).set('X-CSRF-Protection', '1').expect(204);
    expect(cookieOf(out.headers['set-cookie'])?.line).toMatch(/^__Host-gateway-session=; Path=\/; Max-Age=0;/);
    const after = await h.raw('get', '/control/v1/auth/me').set('Cookie', `${COOKIE}=${session}`).expect(401);
    expect(after.body.code).toBe('SESSION_ENDED');
  });

  it('keeps Bearer sessions for scripts, with no cookie and no CSRF header needed', async () => {
    const response = await h.raw('post', '/control/v1/auth/sign-in').send({ username: script.username, password: script.password, totpCode: h.totp(script.totpSecret) }).expect(200);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.body).toMatchObject({ tokenType: 'Bearer', accessToken: expect.any(String) });
    await h.as({ session: response.body.accessToken }).post('/control/v1/auth/sign-out').expect(204);
  });

  it('renews the cookie of a session in use, with the same session id, never past the maximum after sign-in', async () => {
    const session = await browserSignIn(renewing);
    const claims = jwt.decode(session) as { jti: string; exp: number; iat: number; sub: string; ver: number };
    // The same session, as a request would present it 10 minutes after sign-in (5 minutes left).
    const now = Math.floor(Date.now() / 1000);
    const older = jwt.sign({ sub: claims.sub, ver: claims.ver, auth_time: now - 600 }, signingKey(), {
      algorithm: 'HS256', audience: 'control-plane', issuer: 'vn-data-sharing-gateway', jwtid: claims.jti, expiresIn: 300,
    });
    const renewed = await h.raw('get', '/control/v1/auth/me').set('Cookie', `${COOKIE}=${older}`).expect(200);
    const cookie = cookieOf(renewed.headers['set-cookie']);
    const next = jwt.decode(cookie!.value) as { jti: string; exp: number; auth_time: number };
    expect(next.jti).toBe(claims.jti);
    expect(next.auth_time).toBe(now - 600);
    expect(next.exp - Math.floor(Date.now() / 1000)).toBeGreaterThan(850);

    // Near the maximum (an hour here) the renewal stops at it: idle or not, the session ends then.
    const late = jwt.sign({ sub: claims.sub, ver: claims.ver, auth_time: now - 3400 }, signingKey(), {
      algorithm: 'HS256', audience: 'control-plane', issuer: 'vn-data-sharing-gateway', jwtid: claims.jti, expiresIn: 60,
    });
    const capped = cookieOf((await h.raw('get', '/control/v1/auth/me').set('Cookie', `${COOKIE}=${late}`).expect(200)).headers['set-cookie']);
    expect((jwt.decode(capped!.value) as { exp: number }).exp).toBe(now - 3400 + 3600);

    // A fresh token (nothing to gain) is not re-sent on every request.
    const quiet = await h.raw('get', '/control/v1/auth/me').set('Cookie', `${COOKIE}=${session}`).expect(200);
    expect(quiet.headers['set-cookie']).toBeUndefined();
  });

  it('serves the console at / and its client-side paths with a CSP that allows no inline script; API 404s stay JSON', async () => {
    for (const path of ['/', '/board', '/audit']) {
      const page = await h.raw('get', path).expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(page.text).toContain('<div id="root">');
      // No inline script: every <script> has a src.
      expect(page.text.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
    }
    expect(CONSOLE_CSP).toMatch(/script-src 'self'(;|$)/);
    const missing = await h.raw('get', '/control/v1/no-such-route').expect(404);
    expect(missing.body).toMatchObject({ statusCode: 404, requestId: expect.any(String) });
  });
});
