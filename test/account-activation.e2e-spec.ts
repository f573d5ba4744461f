import { Role } from '../src/accounts/roles.js';
import { COMMANDS, UsageError } from '../src/cli/commands.js';
import { ControlPlaneHarness, Person } from './support/control-plane-harness.js';
import { resetDatabase, sql } from './support/test-database.js';

const SIGN_IN = '/control/v1/auth/sign-in';
const ACTIVATION = '/control/v1/auth/activation';

/** Every string anywhere in a JSON answer. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/** Issue 12, point 11: the credentials of an account reach only the person who holds it. */
describe('separation of duties: an administrator cannot act as the accounts they create or hand over', () => {
  let h: ControlPlaneHarness;
  let admin: Person;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start();
    admin = await h.bootstrapAdmin();
  });
  afterAll(() => h.stop());

  /** Everything the administrator could do with what the API gave them, from their own address. */
  async function adminTriesToTakeOver(username: string, answer: Record<string, unknown>) {
    const candidates = stringsIn(answer);
    expect(candidates.length).toBeGreaterThan(3);
    for (const password of candidates) {
      const attempt = await h.rawFrom('127.0.9.9', 'post', SIGN_IN).send({ username, password });
      expect(attempt.status).toBe(401);
    }
    // Nor can the administrator activate the account with their part alone, however combined.
    const parts = candidates.filter((c) => /^[0-9A-Z-]{16,32}$/.test(c));
    expect(parts).toContain((answer.activation as { administratorPart: string }).administratorPart);
    for (const part of parts) {
      for (const securityOfficerPart of [part, 'AAAA-AAAA-AAAA-AAAA']) {
        const attempt = await h.rawFrom('127.0.9.9', 'post', ACTIVATION).send({ username, administratorPart: part, securityOfficerPart, newPassword: 'chosen-by-the-admin' });
        expect(attempt.status).toBe(401);
        expect(attempt.body.code).toBe('ACTIVATION_INVALID');
      }
    }
  }

  it('creates an account whose credentials only its holder ends up with', async () => {
    const created = await h.as(admin).post('/control/v1/accounts').send({ username: 'reviewer.sod', role: Role.DTD_REVIEWER, holderName: 'Người thẩm định' }).expect(201);
    expect(created.body.initialPassword).toBeUndefined();
    await adminTriesToTakeOver('reviewer.sod', created.body);

    // The other part went to the security officers' channel, naming who issued it; the holder
    // needs both, chooses their own password and enrols their own second factor.
    const officers = await sql<{ payload: string }>(`SELECT payload FROM security_alerts WHERE kind = 'ACCOUNT_ACTIVATION_ISSUED'`);
    expect(officers.map((a) => JSON.parse(a.payload))).toContainEqual(expect.objectContaining({ username: 'reviewer.sod', occasion: 'CREATED', issuedBy: 'admin', holderName: 'Người thẩm định' }));
    const part = created.body.activation.administratorPart;
    const officerPart = await h.securityOfficerPart('reviewer.sod');
    await h.raw('post', ACTIVATION).send({ username: 'reviewer.sod', administratorPart: part, securityOfficerPart: officerPart, newPassword: 'too-short' }).expect(400)
      .expect((r) => expect(r.body.details).toEqual([{ field: 'newPassword', problem: 'must be 12 to 200 characters long' }]));
    await h.raw('post', ACTIVATION).send({ username: 'reviewer.sod', administratorPart: part.toLowerCase(), securityOfficerPart: officerPart, newPassword: 'the-holders-own-password' }).expect(200);
    // One use only.
    const again = await h.raw('post', ACTIVATION).send({ username: 'reviewer.sod', administratorPart: part, securityOfficerPart: officerPart, newPassword: 'someone-elses-password' }).expect(401);
    expect(again.body.code).toBe('ACTIVATION_INVALID');
    const holder = await h.enrol(created.body.account.id, 'reviewer.sod', 'the-holders-own-password');
    expect((await h.as(holder).get('/control/v1/auth/me').expect(200)).body).toMatchObject({ username: 'reviewer.sod', role: Role.DTD_REVIEWER });
    const history = await h.as(admin).get(`/control/v1/accounts/${holder.id}/history`).expect(200);
    // (The administrator's attempts from their address made it back off: SIGN_IN_BLOCKED.)
    expect(history.body.items.map((e: { kind: string }) => e.kind).filter((k: string) => k !== 'SIGN_IN_BLOCKED')).toEqual(['CREATED', 'ACTIVATED', 'MFA_ENROLLED']);
  });

  it('hands an account over without the administrator ever holding its new credentials', async () => {
    const outgoing = await h.person(admin, 'reviewer.handover', Role.DTD_REVIEWER);
    const handed = await h.as(admin).post(`/control/v1/accounts/${outgoing.id}/handover`).send({ newHolderName: 'Người kế nhiệm', reason: 'Điều chuyển công tác' }).expect(200);
    expect(handed.body.initialPassword).toBeUndefined();
    await adminTriesToTakeOver('reviewer.handover', handed.body);
    // The outgoing holder's password is void too.
    await h.rawFrom('127.0.9.8', 'post', SIGN_IN).send({ username: outgoing.username, password: outgoing.password }).expect(401);

    const password = await h.activate('reviewer.handover', handed.body.activation.administratorPart);
    const successor = await h.enrol(outgoing.id, outgoing.username, password);
    expect((await h.as(successor).get('/control/v1/auth/me').expect(200)).body.holderName).toBe('Người kế nhiệm');
  });

  it('refuses an unknown username and a wrong code alike', async () => {
    const body = { administratorPart: 'AAAA-BBBB-CCCC-DDDD', securityOfficerPart: 'EEEE-FFFF-GGGG-HHHH', newPassword: 'a-long-enough-password' };
    const unknown = await h.raw('post', ACTIVATION).send({ username: 'no.such.person', ...body }).expect(401);
    const known = await h.raw('post', ACTIVATION).send({ username: 'admin', ...body }).expect(401);
    expect({ ...known.body, requestId: null }).toEqual({ ...unknown.body, requestId: null });
    const malformed = await h.raw('post', ACTIVATION).send({ username: 'admin', ...body, administratorPart: 'x' }).expect(400);
    expect(malformed.body.details[0].field).toBe('administratorPart');
  });
});

/**
 * A fresh install has no security officer to read the officers' half of an activation code: the
 * first one is created on the server (accounts:bootstrap-officer), as the first administrator is,
 * and from then on every account is activated by the two of them on the control plane.
 */
describe('the first security officer of a fresh install', () => {
  let h: ControlPlaneHarness;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start();
  });
  afterAll(() => h.stop());

  it('is made on the server once, and then passes on the officers\' half of each code from the alerts screen', async () => {
    const admin = await h.bootstrapAdmin();
    const lines: string[] = [];
    await COMMANDS['accounts:bootstrap-officer'].run(h.gateway.operator, ['--username', 'officer.first', '--holder', 'Trần Văn An'], (line) => lines.push(line));
    const [, id] = /^security officer officer\.first \(([0-9a-f-]{36})\)$/.exec(lines[0])!;
    const [, password] = /^initial password: (\S+)/.exec(lines[1])!;
    const officer = await h.enrol(id, 'officer.first', password);

    // The administrator creates a reviewer; the officer reads the other half where officers read it.
    const created = await h.as(admin).post('/control/v1/accounts').send({ username: 'reviewer.first', role: Role.DTD_REVIEWER, holderName: 'Lê Thị Bình' }).expect(201);
    const alerts = (await h.as(officer).get('/control/v1/security-alerts').expect(200)).body.items as Array<{ kind: string; body: Record<string, string> }>;
    const issued = alerts.find((a) => a.kind === 'ACCOUNT_ACTIVATION_ISSUED' && a.body.username === 'reviewer.first')!;
    await h.raw('post', ACTIVATION)
      .send({ username: 'reviewer.first', administratorPart: created.body.activation.administratorPart, securityOfficerPart: issued.body.securityOfficerPart, newPassword: 'một mật khẩu đủ dài 2026' })
      .expect(200);

    // Once there is an active officer, the server makes no more of them.
    await expect(COMMANDS['accounts:bootstrap-officer'].run(h.gateway.operator, ['--username', 'officer.second', '--holder', 'Ai Đó'], () => undefined)).rejects.toThrow(UsageError);
    expect(await sql(`SELECT 1 FROM accounts WHERE username = 'officer.second'`)).toHaveLength(0);
  });
});
