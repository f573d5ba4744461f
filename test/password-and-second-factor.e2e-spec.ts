import { Role } from '../src/accounts/roles.js';
import { ControlPlaneHarness, makeCsr, Person } from './support/control-plane-harness.js';
import { resetDatabase, sql } from './support/test-database.js';
import { testKeyPair } from './support/test-keys.js';
import forge from 'node-forge';

const SIGN_IN = '/control/v1/auth/sign-in';
const PASSWORD = '/control/v1/auth/password';

/** A certificate nobody registered: self-signed, same subject shape. */
function selfSigned(): { certPem: string; keyPem: string } {
  const keys = testKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ shortName: 'CN', value: 'head.cert' }]);
  cert.setIssuer([{ shortName: 'CN', value: 'head.cert' }]);
  cert.sign(forge.pki.privateKeyFromPem(keys.privateKeyPem) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

describe('password rotation and the certificate second factor (issue 16)', () => {
  let h: ControlPlaneHarness;
  let admin: Person;

  beforeAll(async () => {
    await resetDatabase();
    h = await ControlPlaneHarness.start({ PASSWORD_HISTORY: '3' });
    admin = await h.bootstrapAdmin();
  });
  afterAll(() => h.stop());

  it('refuses a password the holder chooses that is short, common or weak, naming newPassword and why', async () => {
    const created = await h.as(admin).post('/control/v1/accounts').send({ username: 'reviewer.weak', role: Role.DTD_REVIEWER, holderName: 'Trần Thị B' }).expect(201);
    const securityOfficerPart = await h.securityOfficerPart('reviewer.weak');
    const activation = { username: 'reviewer.weak', administratorPart: created.body.activation.administratorPart, securityOfficerPart };
    for (const [newPassword, why] of [['password1234', /breach lists/], ['qwertyuiop123', /breach lists/], ['reviewer.weak2026', /strength [0-2]\/4/]] as const) {
      const refused = await h.raw('post', '/control/v1/auth/activation').send({ ...activation, newPassword }).expect(400);
      expect(refused.body.details).toEqual([{ field: 'newPassword', problem: expect.stringMatching(why) }]);
    }
    // The code was not used up by the refusals.
    await h.raw('post', '/control/v1/auth/activation').send({ ...activation, newPassword: 'Mây trắng bay qua đỉnh núi 7' }).expect(200);
  });

  it('expires a password after PASSWORD_MAX_AGE_DAYS: the session can only change it; the new one meets the policy and repeats none of the last few', async () => {
    const person = await h.person(admin, 'officer.rotate', Role.SECURITY_OFFICER);
    // 91 days later on the gateway's Clock (the default maximum age is 90).
    h.gateway.clock.advance(91 * 86_400_000);
    const signedIn = await h.raw('post', SIGN_IN).send({ username: person.username, password: person.password, totpCode: h.totp(person.totpSecret) }).expect(200);
    expect(signedIn.body.passwordChangeRequired).toBe(true);
    const expired = { session: signedIn.body.accessToken };
    expect((await h.as(expired).get('/control/v1/auth/me').expect(403)).body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await h.as(expired).get('/control/v1/incidents').expect(403)).body.code).toBe('PASSWORD_CHANGE_REQUIRED');

    const wrong = await h.as(expired).post(PASSWORD).send({ currentPassword: 'not-the-password', newPassword: 'Sông Hồng chảy về biển Đông 42' }).expect(400);
    expect(wrong.body.details).toEqual([{ field: 'currentPassword', problem: 'is not your current password' }]);
    const weak = await h.as(expired).post(PASSWORD).send({ currentPassword: person.password, newPassword: 'iloveyou12345' }).expect(400);
    expect(weak.body.details).toEqual([{ field: 'newPassword', problem: expect.stringContaining('breach lists') }]);
    const same = await h.as(expired).post(PASSWORD).send({ currentPassword: person.password, newPassword: person.password }).expect(400);
    expect(same.body.details).toEqual([{ field: 'newPassword', problem: 'must differ from your last 3 passwords' }]);

    const passwords = ['Sông Hồng chảy về biển Đông 42', 'Hoa sen nở giữa đầm lầy 17', 'Trăng rằm soi bóng mặt hồ 85'];
    const changed = await h.as(expired).post(PASSWORD).send({ currentPassword: person.password, newPassword: passwords[0] }).expect(200);
    expect(changed.body.passwordChangeRequired).toBeUndefined();
    // The session opened with the expired password is over; the new one works everywhere.
    expect((await h.as(expired).post(PASSWORD).send({ currentPassword: passwords[0], newPassword: passwords[1] }).expect(401)).body.code).toBe('SESSION_REVOKED');
    let session = { session: changed.body.accessToken };
    await h.as(session).get('/control/v1/incidents').expect(200);

    session = { session: (await h.as(session).post(PASSWORD).send({ currentPassword: passwords[0], newPassword: passwords[1] }).expect(200)).body.accessToken };
    // PASSWORD_HISTORY=3: the original and the first change are still remembered.
    for (const old of [person.password, passwords[0]]) {
      const reused = await h.as(session).post(PASSWORD).send({ currentPassword: passwords[1], newPassword: old }).expect(400);
      expect(reused.body.details[0]).toEqual({ field: 'newPassword', problem: 'must differ from your last 3 passwords' });
    }
    session = { session: (await h.as(session).post(PASSWORD).send({ currentPassword: passwords[1], newPassword: passwords[2] }).expect(200)).body.accessToken };
    // Only hashes are kept, and only the last PASSWORD_HISTORY - 1 besides the current one.
    const [row] = await sql<{ history: string[] }>(`SELECT password_history AS history FROM accounts WHERE id = $1`, [person.id]);
    expect(row.history).toHaveLength(2);
    expect(row.history.every((hash) => hash.startsWith('$argon2id$'))).toBe(true);
    expect(JSON.stringify(row.history)).not.toContain(passwords[0]);
    // The original fell out of the last three: allowed again.
    await h.as(session).post(PASSWORD).send({ currentPassword: passwords[2], newPassword: person.password }).expect(200);
    const history = (await h.as(admin).get(`/control/v1/accounts/${person.id}/history`).expect(200)).body.items.filter((e: { kind: string }) => e.kind === 'PASSWORD_CHANGED');
    expect(history).toHaveLength(4);
    const [audit] = await sql<{ payload_sha256: string | null }>(`SELECT payload_sha256 FROM audit_entries WHERE action = 'password.changeOwn' AND status_code = 200 LIMIT 1`);
    expect(audit.payload_sha256).toBeNull();
  });

  it('signs a head in with a registered client certificate instead of TOTP alone, per account or per role (III.2.c)', async () => {
    const head = await h.person(admin, 'head.cert', Role.UNIT_ADMIN, 'Bộ Công an');
    const deputy = await h.person(admin, 'deputy.cert', Role.UNIT_ADMIN, 'Bộ Công an');
    expect((await h.as(admin).put(`/control/v1/accounts/${head.id}/second-factor`).send({ secondFactor: 'CLIENT_CERTIFICATE' }).expect(409)).body.code).toBe('NO_SIGN_IN_CERTIFICATE');
    await h.as(admin).post(`/control/v1/accounts/${head.id}/sign-in-certificate`).send({ csrPem: 'not a csr'.repeat(20) }).expect(400)
      .expect((r) => expect(r.body.details[0].field).toBe('csrPem'));

    // The holder makes the key pair and the CSR; the administrator gets a certificate issued.
    const first = makeCsr('head.cert');
    const firstIssued = await h.as(admin).post(`/control/v1/accounts/${head.id}/sign-in-certificate`).send({ csrPem: first.csrPem }).expect(201);
    const second = makeCsr('head.cert');
    const issued = await h.as(admin).post(`/control/v1/accounts/${head.id}/sign-in-certificate`).send({ csrPem: second.csrPem }).expect(201);
    expect(issued.body).toMatchObject({ certificatePem: expect.stringContaining('BEGIN CERTIFICATE'), thumbprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await h.as(admin).put(`/control/v1/accounts/${head.id}/second-factor`).send({ secondFactor: 'CLIENT_CERTIFICATE' }).expect(200);

    const credentials = { username: head.username, password: head.password };
    const refused = await h.raw('post', SIGN_IN).send({ ...credentials, totpCode: h.totp(head.totpSecret) }).expect(401);
    expect(refused.body.code).toBe('INVALID_CREDENTIALS');
    const deputyCertificate = makeCsr('deputy.cert');
    const deputyIssued = await h.as(admin).post(`/control/v1/accounts/${deputy.id}/sign-in-certificate`).send({ csrPem: deputyCertificate.csrPem }).expect(201);
    const forged = selfSigned();
    for (const [cert, key] of [[firstIssued.body.certificatePem, first.keyPem], [deputyIssued.body.certificatePem, deputyCertificate.keyPem], [forged.certPem, forged.keyPem]]) {
      // A replaced certificate, another account's (same CA), one the gateway never issued.
      await h.raw('post', SIGN_IN).cert(cert).key(key).send(credentials).expect(401);
    }
    // Four failures so far from this address (SIGN_IN_MAX_FAILURES is 5): a day later they are forgotten.
    h.gateway.clock.advance(86_400_000 + 1_000);
    await h.raw('post', SIGN_IN).cert(issued.body.certificatePem).key(second.keyPem).send({ username: head.username, password: 'wrong password' }).expect(401);
    const signedIn = await h.raw('post', SIGN_IN).cert(issued.body.certificatePem).key(second.keyPem).send(credentials).expect(200);
    const [audited] = await sql<{ certificate_thumbprint: string }>(`SELECT certificate_thumbprint FROM audit_entries WHERE request_id = $1`, [signedIn.headers['x-request-id']]);
    expect(audited.certificate_thumbprint).toBe(issued.body.thumbprint);
    expect((await h.as({ session: signedIn.body.accessToken }).get('/control/v1/auth/me').expect(200)).body.username).toBe('head.cert');

    // Per role: refused while an account of the role has no certificate; then every UNIT_ADMIN needs theirs.
    const latecomer = await h.person(admin, 'unit.nocert', Role.UNIT_ADMIN, 'Bộ Công an');
    const blocked = await h.as(admin).put(`/control/v1/sign-in-policies/${Role.UNIT_ADMIN}`).send({ secondFactor: 'CLIENT_CERTIFICATE' }).expect(409);
    expect(blocked.body.message).toContain('unit.nocert');
    expect(blocked.body.message).not.toContain('head.cert');
    await h.as(admin).post(`/control/v1/accounts/${latecomer.id}/deactivate`).send({ cause: 'CHANGED_POST', reason: 'x' }).expect(200);
    await h.as(admin).put(`/control/v1/sign-in-policies/${Role.UNIT_ADMIN}`).send({ secondFactor: 'CLIENT_CERTIFICATE' }).expect(200);
    await h.raw('post', SIGN_IN).send({ username: deputy.username, password: deputy.password, totpCode: h.totp(deputy.totpSecret) }).expect(401);
    await h.raw('post', SIGN_IN).cert(deputyIssued.body.certificatePem).key(deputyCertificate.keyPem).send({ username: deputy.username, password: deputy.password }).expect(200);
    // Other roles are untouched, and a plain connection without a certificate still works.
    await h.signIn(admin);
    const kinds = (await h.as(admin).get(`/control/v1/accounts/${head.id}/history`).expect(200)).body.items.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['SIGN_IN_CERTIFICATE_ISSUED', 'SECOND_FACTOR_SET']));
  });
});
