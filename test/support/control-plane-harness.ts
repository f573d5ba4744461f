import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import forge from 'node-forge';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { generateSync } from 'otplib';
import request from 'supertest';
import { AccountsService } from '../../src/accounts/accounts.service.js';
import { Role } from '../../src/accounts/roles.js';
import { createControlPlaneApp } from '../../src/bootstrap/control-plane-app.js';
import { GatewayHarness } from './gateway-harness.js';
import { openApiCheckFor } from './openapi-validation.js';
import { sql } from './test-database.js';
import { testKeyPair } from './test-keys.js';

export interface Person {
  id: string;
  username: string;
  password: string;
  totpSecret: string;
  session: string;
}

/** Both planes of the gateway, as people and connected systems use them. */
export class ControlPlaneHarness {
  private lastStep = new Map<string, number>();
  private readonly agents = new Map<string, https.Agent>();

  private constructor(
    readonly gateway: GatewayHarness,
    readonly control: NestFastifyApplication,
    readonly controlUrl: string,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<ControlPlaneHarness> {
    // Webhooks are https only: the loopback receivers below present the dev server certificate.
    // Every person of a suite signs in from 127.0.0.1: the per-address throttle would otherwise
    // count the whole suite's set-up. Suites that test the throttle set it (and other addresses).
    const gateway = await GatewayHarness.start({
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_CA_CERT: path.join(CERTS, 'ca/ca.crt.pem'),
      BACKGROUND_INTERVAL_MS: '3600000',
      SIGN_IN_PER_SOURCE_PER_MINUTE: '100000',
      ...env,
    });
    const control = await createControlPlaneApp(gateway.config);
    await control.listen(0, '127.0.0.1');
    const { port } = control.getHttpServer().address() as { port: number };
    return new ControlPlaneHarness(gateway, control, `https://127.0.0.1:${port}`);
  }

  async stop(): Promise<void> {
    for (const agent of this.agents.values()) agent.destroy();
    await this.control.close();
    await this.gateway.stop();
  }

  /**
   * An unauthenticated control-plane request (the server certificate is the dev CA's). Every 2xx
   * answer is checked against the committed OpenAPI document (test/support/openapi-validation.ts).
   */
  raw(method: 'get' | 'put' | 'post' | 'delete', path: string) {
    return request(this.controlUrl)[method](path).ca(this.gateway.caPem).expect(openApiCheckFor(method, path));
  }

  /**
   * The same, sent from another loopback address (127.0.0.0/8 is all local on Linux): the
   * gateway sees a different source address, as it would another machine's.
   */
  rawFrom(localAddress: string, method: 'get' | 'put' | 'post' | 'delete', path: string) {
    let agent = this.agents.get(localAddress);
    if (!agent) this.agents.set(localAddress, (agent = new https.Agent({ localAddress, ca: this.gateway.caPem, keepAlive: true })));
    return request(this.controlUrl)[method](path).ca(this.gateway.caPem).agent(agent).expect(openApiCheckFor(method, path));
  }

  /** A request with a person's session. */
  as(person: Pick<Person, 'session'>) {
    const go = (method: 'get' | 'put' | 'post' | 'delete') => (path: string) => this.raw(method, path).set('Authorization', `Bearer ${person.session}`);
    return { get: go('get'), put: go('put'), post: go('post'), delete: go('delete') };
  }

  /** A TOTP code for a step the gateway has not seen yet for this secret (it refuses replays). */
  totp(secret: string): string {
    const now = Math.floor(this.gateway.clock.nowMs() / 1000); // the time the gateway checks codes at
    const step = Math.max(Math.floor(now / 30), (this.lastStep.get(secret) ?? 0) + 1);
    if (step > Math.floor(now / 30) + 1) throw new Error('test asked for more than two codes within 30 s for one account');
    this.lastStep.set(secret, step);
    return generateSync({ secret, epoch: step * 30 });
  }

  /** The first system administrator, as `npm run cli -- accounts:bootstrap-admin` creates it, signed in. */
  async bootstrapAdmin(): Promise<Person> {
    const { account, initialPassword } = await this.gateway.operator.get(AccountsService).createWithPassword({ username: 'admin', role: Role.SYSTEM_ADMIN, holderName: 'Quản trị hệ thống' });
    return this.enrol(account.id, 'admin', initialPassword);
  }

  /**
   * Creates an account through the control plane and has its holder activate it (with the
   * administrator's part and the security officers' part of the code), sign in and enrol TOTP.
   */
  async person(admin: Person, username: string, role: Role, unit?: string): Promise<Person> {
    const created = await this.as(admin).post('/control/v1/accounts').send({ username, role, unit, holderName: `Holder of ${username}` }).expect(201);
    const password = await this.activate(username, created.body.activation.administratorPart);
    return this.enrol(created.body.account.id, username, password);
  }

  /**
   * The holder's side of a creation or handover: the security officers' part of the code is read
   * from their channel (the alert outbox), as an officer would pass it on; the holder chooses a
   * password. Returns that password.
   */
  async activate(username: string, administratorPart: string): Promise<string> {
    const securityOfficerPart = await this.securityOfficerPart(username);
    const newPassword = `pw-${crypto.randomBytes(12).toString('base64url')}`;
    await this.raw('post', '/control/v1/auth/activation').send({ username, administratorPart, securityOfficerPart, newPassword }).expect(200);
    return newPassword;
  }

  /** The latest activation part the security officers were sent for `username`. */
  async securityOfficerPart(username: string): Promise<string> {
    const rows = await sql<{ payload: string }>(
      `SELECT payload FROM security_alerts WHERE kind = 'ACCOUNT_ACTIVATION_ISSUED' AND payload::jsonb ->> 'username' = $1 ORDER BY created_at DESC LIMIT 1`,
      [username],
    );
    if (!rows.length) throw new Error(`no activation was issued for ${username}`);
    return JSON.parse(rows[0].payload).securityOfficerPart;
  }

  async enrol(id: string, username: string, password: string): Promise<Person> {
    const challenge = await this.raw('post', '/control/v1/auth/sign-in').send({ username, password }).expect(200);
    const totpSecret = new URL(challenge.body.otpauthUri).searchParams.get('secret')!;
    const session = await this.raw('post', '/control/v1/auth/mfa-enrolment')
      .send({ enrolmentToken: challenge.body.enrolmentToken, totpCode: this.totp(totpSecret) })
      .expect(200);
    return { id, username, password, totpSecret, session: session.body.accessToken };
  }

  async signIn(person: Person): Promise<string> {
    const response = await this.raw('post', '/control/v1/auth/sign-in').send({ username: person.username, password: person.password, totpCode: this.totp(person.totpSecret) }).expect(200);
    return response.body.accessToken;
  }
}

/** A PKCS#10 request made the way a unit would: the key stays with the caller. */
export function makeCsr(commonName: string): { csrPem: string; keyPem: string } {
  const keys = testKeyPair();
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  csr.setSubject([{ shortName: 'C', value: 'VN' }, { shortName: 'CN', value: commonName }]);
  csr.sign(forge.pki.privateKeyFromPem(keys.privateKeyPem) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { csrPem: forge.pki.certificationRequestToPem(csr), keyPem: keys.privateKeyPem };
}

const CERTS = path.resolve(import.meta.dirname, '../../certs-dev');

/**
 * A loopback https webhook receiver (the dev server certificate, for 127.0.0.1) that records what
 * it is sent; the first `failures` answers are 503 (Infinity: every one); `attempts` counts all.
 */
export async function webhookReceiver(failures = 0) {
  const received: Array<{ body: Record<string, unknown>; raw: string; signature: string; delivery: string }> = [];
  let toFail = failures;
  const counter = { attempts: 0 };
  const tls = { cert: fs.readFileSync(path.join(CERTS, 'server/server.crt.pem')), key: fs.readFileSync(path.join(CERTS, 'server/server.key.pem')) };
  const server = https.createServer(tls, (req, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      counter.attempts++;
      if (toFail > 0) {
        toFail--;
        res.writeHead(503).end();
        return;
      }
      received.push({ body: JSON.parse(data), raw: data, signature: String(req.headers['x-gateway-signature']), delivery: String(req.headers['x-gateway-delivery']) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `https://127.0.0.1:${port}/hook`,
    received,
    get attempts() {
      return counter.attempts;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
