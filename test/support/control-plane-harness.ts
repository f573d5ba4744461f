import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import forge from 'node-forge';
import http from 'node:http';
import { generateSync } from 'otplib';
import request from 'supertest';
import { AccountsService } from '../../src/accounts/accounts.service.js';
import { Role } from '../../src/accounts/roles.js';
import { createControlPlaneApp } from '../../src/bootstrap/control-plane-app.js';
import { generateRsaKeyPair } from '../../src/pki/certificate-authority.js';
import { GatewayHarness } from './gateway-harness.js';

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

  private constructor(
    readonly gateway: GatewayHarness,
    readonly control: NestFastifyApplication,
    readonly controlUrl: string,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<ControlPlaneHarness> {
    const gateway = await GatewayHarness.start({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', BACKGROUND_INTERVAL_MS: '3600000', ...env });
    const control = await createControlPlaneApp(gateway.config);
    await control.listen(0, '127.0.0.1');
    const { port } = control.getHttpServer().address() as { port: number };
    return new ControlPlaneHarness(gateway, control, `https://127.0.0.1:${port}`);
  }

  async stop(): Promise<void> {
    await this.control.close();
    await this.gateway.stop();
  }

  /** An unauthenticated control-plane request (the server certificate is the dev CA's). */
  raw(method: 'get' | 'put' | 'post' | 'delete', path: string) {
    return request(this.controlUrl)[method](path).ca(this.gateway.caPem);
  }

  /** A request with a person's session. */
  as(person: Pick<Person, 'session'>) {
    const go = (method: 'get' | 'put' | 'post' | 'delete') => (path: string) => this.raw(method, path).set('Authorization', `Bearer ${person.session}`);
    return { get: go('get'), put: go('put'), post: go('post'), delete: go('delete') };
  }

  /** A TOTP code for a step the gateway has not seen yet for this secret (it refuses replays). */
  totp(secret: string): string {
    const now = Math.floor(Date.now() / 1000);
    const step = Math.max(Math.floor(now / 30), (this.lastStep.get(secret) ?? 0) + 1);
    if (step > Math.floor(now / 30) + 1) throw new Error('test asked for more than two codes within 30 s for one account');
    this.lastStep.set(secret, step);
    return generateSync({ secret, epoch: step * 30 });
  }

  /** The first system administrator, as `npm run cli -- accounts:bootstrap-admin` creates it, signed in. */
  async bootstrapAdmin(): Promise<Person> {
    const { account, initialPassword } = await this.gateway.operator.get(AccountsService).create({ username: 'admin', role: Role.SYSTEM_ADMIN, holderName: 'Quản trị hệ thống' }, null);
    return this.enrol(account.id, 'admin', initialPassword);
  }

  /** Creates an account through the control plane and has its holder sign in and enrol TOTP. */
  async person(admin: Person, username: string, role: Role, unit?: string): Promise<Person> {
    const created = await this.as(admin).post('/control/v1/accounts').send({ username, role, unit, holderName: `Holder of ${username}` }).expect(201);
    return this.enrol(created.body.account.id, username, created.body.initialPassword);
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
  const keys = generateRsaKeyPair();
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  csr.setSubject([{ shortName: 'C', value: 'VN' }, { shortName: 'CN', value: commonName }]);
  csr.sign(forge.pki.privateKeyFromPem(keys.privateKeyPem) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { csrPem: forge.pki.certificationRequestToPem(csr), keyPem: keys.privateKeyPem };
}

/** A loopback webhook receiver that records what it is sent; `failures` first answers fail. */
export async function webhookReceiver(failures = 0) {
  const received: Array<{ body: Record<string, unknown>; raw: string; signature: string; delivery: string }> = [];
  let toFail = failures;
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
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
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}
