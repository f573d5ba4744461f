import { Role } from '../src/accounts/roles.js';
import { webhookTargetProblem } from '../src/notifications/webhook-target.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { dossier } from './support/lifecycle-papers.js';
import { resetDatabase, sql } from './support/test-database.js';

describe('people on the control plane: second factor, back-off, delegation, handover', () => {
  let h: ControlPlaneHarness;
  let admin: Person;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start({ SIGN_IN_MAX_FAILURES: '3' });
    admin = await h.bootstrapAdmin();
  });
  afterAll(() => h.stop());

  it('requires the TOTP code once enrolled, refuses a wrong or replayed one, and says nothing about which factor failed', async () => {
    const person = await h.person(admin, 'reviewer.totp', Role.DTD_REVIEWER);
    const noCode = await h.raw('post', '/control/v1/auth/sign-in').send({ username: person.username, password: person.password }).expect(401);
    const badCode = await h.raw('post', '/control/v1/auth/sign-in').send({ username: person.username, password: person.password, totpCode: '000000' }).expect(401);
    const badPassword = await h.raw('post', '/control/v1/auth/sign-in').send({ username: person.username, password: 'wrong', totpCode: '123456' }).expect(401);
    expect(new Set([noCode.body.message, badCode.body.message, badPassword.body.message]).size).toBe(1);
    // Three failures from one address make it back off in this suite (SIGN_IN_MAX_FAILURES=3) for
    // SIGN_IN_LOCKOUT_SECONDS (60): the Clock moves past it.
    h.gateway.clock.advance(61_000);

    const code = h.totp(person.totpSecret);
    await h.raw('post', '/control/v1/auth/sign-in').send({ username: person.username, password: person.password, totpCode: code }).expect(200);
    const replayed = await h.raw('post', '/control/v1/auth/sign-in').send({ username: person.username, password: person.password, totpCode: code }).expect(401);
    expect(replayed.body.code).toBe('TOTP_CODE_REUSED');
  });

  it('backs off an address after repeated failures from it, and records it for the officers and in the history', async () => {
    const person = await h.person(admin, 'officer.lock', Role.SECURITY_OFFICER);
    for (let i = 0; i < 3; i++) await h.raw('post', '/control/v1/auth/sign-in').send({ username: person.username, password: `wrong-${i}` }).expect(401);
    const refused = await h.raw('post', '/control/v1/auth/sign-in').send({ username: person.username, password: person.password, totpCode: h.totp(person.totpSecret) }).expect(401);
    expect(refused.body.code).toBe('INVALID_CREDENTIALS');
    const history = await h.as(admin).get(`/control/v1/accounts/${person.id}/history`).expect(200);
    expect(history.body.items.map((e: { kind: string }) => e.kind)).toEqual(['CREATED', 'ACTIVATED', 'MFA_ENROLLED', 'SIGN_IN_BLOCKED', 'SIGN_IN_BLOCKED']);
    const alerts = await sql<{ payload: string }>(`SELECT payload FROM security_alerts WHERE kind = 'SIGN_IN_BLOCKED'`);
    expect(alerts.map((a) => JSON.parse(a.payload))).toContainEqual(expect.objectContaining({ username: 'officer.lock', failures: 3, source: '127.0.0.1', accountExists: true }));
    // The back-off doubled with the fourth failure (120 s from then); it ends on the Clock, and the holder signs in.
    h.gateway.clock.advance(121_000);
    await h.raw('post', '/control/v1/auth/sign-in').send({ username: person.username, password: person.password, totpCode: h.totp(person.totpSecret) }).expect(200);
  });

  it("records an assistant's acts as the head's, naming the assistant (II.2.c)", async () => {
    const head = await h.person(admin, 'head.unit', Role.UNIT_ADMIN, 'Bộ Nội vụ');
    const assistant = await h.person(admin, 'assistant.unit', Role.UNIT_ADMIN, 'Bộ Nội vụ');
    await h.as(assistant).post('/control/v1/auth/act-for').send({ delegatorId: head.id }).expect(403);
    // Separation of duties: no delegation across roles or units, nor beyond 90 days.
    const reviewer = await h.person(admin, 'reviewer.delegate', Role.DTD_REVIEWER);
    const across = await h.as(reviewer).post('/control/v1/delegations').send({ assistantId: assistant.id, expiresAt: new Date(Date.now() + 86_400_000).toISOString() }).expect(400);
    expect(across.body.details[0].field).toBe('assistantId');
    await h.as(head).post('/control/v1/delegations').send({ assistantId: assistant.id, expiresAt: new Date(Date.now() + 200 * 86_400_000).toISOString() }).expect(400);
    const granted = await h.as(head).post('/control/v1/delegations').send({ assistantId: assistant.id, expiresAt: new Date(Date.now() + 86_400_000).toISOString() }).expect(201);
    const session = await h.as(assistant).post('/control/v1/auth/act-for').send({ delegatorId: head.id }).expect(200);
    const delegated = { session: session.body.accessToken };
    const me = await h.as(delegated).get('/control/v1/auth/me').expect(200);
    expect(me.body).toMatchObject({ username: 'head.unit', assistant: { username: 'assistant.unit' } });
    const doc = await h.as(delegated).post('/control/v1/documents').set('Content-Type', 'application/pdf').send(Buffer.from('%PDF-1.4\nx\n%%EOF\n')).expect(201);
    const registered = await h.as(delegated).post('/control/v1/connections').send({ name: 'Hệ thống Bộ Nội vụ', dossier: dossier(doc.body.documentId) }).expect(201);
    const history = await h.as(head).get(`/control/v1/connections/${registered.body.id}/history`).expect(200);
    expect(history.body.items[0]).toMatchObject({ action: 'register', actorId: head.id, actorName: expect.stringContaining('head.unit'), assistantName: expect.stringContaining('assistant.unit') });

    // Ending the delegation ends the sessions opened under it.
    await h.as(head).post(`/control/v1/delegations/${granted.body.id}/revoke`).expect(200);
    expect((await h.as(delegated).get('/control/v1/auth/me').expect(401)).body.code).toBe('SESSION_REVOKED');
  });

  it('keeps one unexpired delegation per head and assistant, also when two grants arrive at once', async () => {
    const head = await h.person(admin, 'head.twice', Role.UNIT_ADMIN, 'Bộ Tư pháp');
    const assistant = await h.person(admin, 'assistant.twice', Role.UNIT_ADMIN, 'Bộ Tư pháp');
    const grant = (days: number) => h.as(head).post('/control/v1/delegations').send({ assistantId: assistant.id, expiresAt: new Date(Date.now() + days * 86_400_000).toISOString() });
    // A double submit: both requests in flight together.
    const [first, second] = await Promise.all([grant(1), grant(2)]);
    expect([first.status, second.status].sort()).toEqual([201, 409]);
    const refused = first.status === 409 ? first : second;
    expect(refused.body).toMatchObject({ code: 'DELEGATION_ACTIVE', message: expect.stringContaining('assistant.twice') });
    const granted = first.status === 201 ? first : second;
    const rows = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM delegations WHERE assistant_id = $1`, [assistant.id]);
    expect(rows[0].n).toBe(1);
    // Revoked, or expired on the gateway's clock: the head may grant again.
    await h.as(head).post(`/control/v1/delegations/${granted.body.id}/revoke`).expect(200);
    await grant(1).expect(201);
    await grant(2).expect(409);
    h.gateway.clock.advance(86_400_000 + 1000);
    await grant(2).expect(201);
    const kept = await sql<{ revoked: boolean }>(`SELECT revoked_at IS NOT NULL AS revoked FROM delegations WHERE assistant_id = $1 ORDER BY created_at`, [assistant.id]);
    expect(kept.map((d) => d.revoked)).toEqual([true, false, false]);
  });

  it('hands an account to another person: old sessions revoked, second factor to enrol again, recorded (II.2.đ)', async () => {
    const outgoing = await h.person(admin, 'auditor.handover', Role.AUDITOR);
    await h.as(outgoing).get('/control/v1/auth/me').expect(200);
    const handed = await h.as(admin).post(`/control/v1/accounts/${outgoing.id}/handover`).send({ newHolderName: 'Người kế nhiệm', reason: 'Điều chuyển công tác' }).expect(200);
    const revoked = await h.as(outgoing).get('/control/v1/auth/me').expect(401);
    expect(revoked.body.code).toBe('SESSION_REVOKED');
    await h.raw('post', '/control/v1/auth/sign-in').send({ username: outgoing.username, password: outgoing.password, totpCode: h.totp(outgoing.totpSecret) }).expect(401);
    const successor = await h.enrol(outgoing.id, outgoing.username, await h.activate(outgoing.username, handed.body.activation.administratorPart));
    expect((await h.as(successor).get('/control/v1/auth/me').expect(200)).body.holderName).toBe('Người kế nhiệm');
    const history = await h.as(admin).get(`/control/v1/accounts/${outgoing.id}/history`).expect(200);
    expect(history.body.items.find((e: { kind: string }) => e.kind === 'HANDED_OVER').details).toMatchObject({ previousHolder: 'Holder of auditor.handover', newHolder: 'Người kế nhiệm' });
  });

  it('refuses webhook targets inside the gateway network', async () => {
    expect(await webhookTargetProblem('http://example.org/hook', false)).toBe('must be an https:// URL');
    expect(await webhookTargetProblem('https://127.0.0.1/hook', false)).toContain("gateway's own network");
    expect(await webhookTargetProblem('https://10.1.2.3/hook', false)).toContain("gateway's own network");
    expect(await webhookTargetProblem('https://[::1]/hook', false)).toContain("gateway's own network");
    expect(await webhookTargetProblem('https://169.254.169.254/latest', false)).toContain("gateway's own network");
    expect(await webhookTargetProblem('https://localhost/hook', false)).toContain("gateway's own network");
    expect(await webhookTargetProblem('https://[::127.0.0.1]/hook', false)).toContain("gateway's own network");
    expect(await webhookTargetProblem('https://[64:ff9b::a00:1]/hook', false)).toContain("gateway's own network");
    expect(await webhookTargetProblem('https://203.0.113.10/hook', false)).toBeNull();
  });
});
