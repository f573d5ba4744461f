import { Role } from '../src/accounts/roles.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { resetDatabase } from './support/test-database.js';

const COOKIE = '__Host-gateway-session';
const DAY = 86_400_000;

/**
 * Where a person is signed in: their open sessions listed (the console's and scripts', from where,
 * by which client), one they do not recognise ended at once, and the list following sign-out,
 * password changes and delegation.
 */
describe('own sessions: listed and ended by their holder', () => {
  let h: ControlPlaneHarness;
  let admin: Person;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start();
    admin = await h.bootstrapAdmin();
  });
  afterAll(() => h.stop());

  const list = (session: string) => h.as({ session }).get('/control/v1/auth/sessions').expect(200).then((r) => r.body.items as Array<Record<string, unknown>>);

  it("lists a person's open sessions, the current one marked, and ends another: its token is refused at once", async () => {
    const holder = await h.person(admin, 'sessions.holder', Role.AUDITOR);
    // A second session, the console's: a cookie, from a browser.
    const browser = await h.raw('post', '/control/v1/auth/sign-in').set('X-Session-Delivery', 'cookie').set('User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) Chromium/156')
      .send({ username: holder.username, password: holder.password, totpCode: h.totp(holder.totpSecret) }).expect(200);
    const cookie = ([] as string[]).concat(browser.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${COOKIE}=`))!.slice(COOKIE.length + 1).split(';')[0];

    const sessions = await list(holder.session);
    expect(sessions).toHaveLength(2);
    // Newest first: the browser's, then the script's this request came with.
    expect(sessions[0]).toMatchObject({ via: 'cookie', current: false, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chromium/156', sourceAddress: '127.0.0.1', actingFor: null, actedBy: null });
    expect(sessions[1]).toMatchObject({ via: 'bearer', current: true });
    expect(Date.parse(sessions[0].expiresAt as string)).toBeGreaterThan(Date.now());

    // Ended from the script's session: the browser is refused at its next request.
    await h.as(holder).delete(`/control/v1/auth/sessions/${sessions[0].id}`).expect(204);
    const refused = await h.raw('get', '/control/v1/auth/me').set('Cookie', `${COOKIE}=${cookie}`).expect(401);
    expect(refused.body.code).toBe('SESSION_ENDED');
    expect((await list(holder.session)).map((s) => s.id)).toEqual([sessions[1].id]);
    // Once ended, it is no one's to end again; nor is another person's session, nor an id never given.
    await h.as(holder).delete(`/control/v1/auth/sessions/${sessions[0].id}`).expect(404);
    const [adminSession] = await list(admin.session);
    await h.as(holder).delete(`/control/v1/auth/sessions/${adminSession.id}`).expect(404);
    await h.as(admin).get('/control/v1/auth/me').expect(200);
    await h.as(holder).delete('/control/v1/auth/sessions/not-a-uuid').expect(400);

    // Signing out takes the session off the list too.
    h.gateway.clock.advance(31_000);
    const third = await h.signIn(holder);
    expect(await list(third)).toHaveLength(2);
    await h.as({ session: third }).post('/control/v1/auth/sign-out').expect(204);
    expect((await list(holder.session)).map((s) => s.id)).toEqual([sessions[1].id]);
  });

  it('drops the sessions a password change ends, and shows delegated sessions to both people', async () => {
    const head = await h.person(admin, 'sessions.head', Role.UNIT_ADMIN, 'Bộ Tài chính');
    const assistant = await h.person(admin, 'sessions.assistant', Role.UNIT_ADMIN, 'Bộ Tài chính');
    await h.as(head).post('/control/v1/delegations').send({ assistantId: assistant.id, expiresAt: new Date(Date.now() + DAY).toISOString() }).expect(201);
    const delegated = (await h.as(assistant).post('/control/v1/auth/act-for').send({ delegatorId: head.id }).expect(200)).body.accessToken as string;

    const headsView = await list(head.session);
    const acting = headsView.find((s) => s.actedBy !== null);
    expect(acting).toMatchObject({ actedBy: expect.any(String), actingFor: null, current: false });
    const assistantsView = await list(assistant.session);
    expect(assistantsView.find((s) => s.id === acting!.id)).toMatchObject({ actingFor: expect.any(String), actedBy: null });
    // The delegated session lists as the assistant's own (who is signed in), current from there.
    expect((await list(delegated)).find((s) => s.id === acting!.id)).toMatchObject({ current: true });

    // The head ends the session acting for them: the assistant's delegated token stops there.
    await h.as(head).delete(`/control/v1/auth/sessions/${acting!.id}`).expect(204);
    expect((await h.as({ session: delegated }).get('/control/v1/auth/me').expect(401)).body.code).toBe('SESSION_ENDED');

    // A new password ends every earlier session: the list keeps only the one the change opened,
    // and the head no longer sees the assistant's session acting for them (resolve() refuses it).
    const again = (await h.as(assistant).post('/control/v1/auth/act-for').send({ delegatorId: head.id }).expect(200)).body.accessToken as string;
    expect((await list(head.session)).filter((s) => s.actedBy !== null)).toHaveLength(1);
    const changed = await h.as(assistant).post('/control/v1/auth/password').send({ currentPassword: assistant.password, newPassword: 'Một mật khẩu mới đủ dài 2026!' }).expect(200);
    const after = await list(changed.body.accessToken);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ current: true, via: 'bearer' });
    await h.as({ session: again }).get('/control/v1/auth/me').expect(401);
    expect((await list(head.session)).filter((s) => s.actedBy !== null)).toEqual([]);

    // Nor once the delegation ends: revoked, the acting session opened under it leaves both lists.
    const third = (await h.as({ session: changed.body.accessToken }).post('/control/v1/auth/act-for').send({ delegatorId: head.id }).expect(200)).body.accessToken as string;
    expect((await list(head.session)).filter((s) => s.actedBy !== null)).toHaveLength(1);
    const [delegation] = (await h.as(head).get('/control/v1/delegations').expect(200)).body.items;
    await h.as(head).post(`/control/v1/delegations/${delegation.id}/revoke`).expect(200);
    await h.as({ session: third }).get('/control/v1/auth/me').expect(401);
    expect((await list(head.session)).filter((s) => s.actedBy !== null)).toEqual([]);
  });
});
