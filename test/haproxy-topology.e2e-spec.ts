import { CredentialStatusService } from '../src/auth/credential-status.service.js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { createOperationsApp } from '../src/operations/operations-app.js';
import { ConnectionSuspensionService } from '../src/security/suspension/connection-suspension.service.js';
import { GatewayHarness, TestClient } from './support/gateway-harness.js';
import { BALANCER_SOURCE, HaproxyProcess, mtlsCall, MtlsResponse } from './support/haproxy.js';
import { redisEnv, waitFor } from './support/security-helpers.js';
import { resetDatabase, sql } from './support/test-database.js';

const UNIT = 'Bộ Tài chính';
const CALLER = '127.0.0.9';
const ELSEWHERE = '127.0.0.1';

/**
 * The topology of docs/production.md: two gateway instances on one PostgreSQL and one Redis,
 * HAProxy in TCP mode in front (TLS passes through to the gateways, so client certificates
 * reach them) sending a PROXY protocol v2 header, which the gateways believe from HAProxy's
 * address only (PROXY_PROTOCOL_FROM).
 */
describe('several instances behind HAProxy (TCP mode, PROXY protocol v2)', () => {
  let a: GatewayHarness;
  let b: GatewayHarness;
  let haproxy: HaproxyProcess;
  let opsA: NestFastifyApplication;
  let opsB: NestFastifyApplication;
  let aStopped = false;
  /** TLS sessions each instance completed: which instance HAProxy sent a call to. */
  const hits = { a: 0, b: 0 };
  const portOf = (app: GatewayHarness | NestFastifyApplication) => 'baseUrl' in app ? Number(new URL(app.baseUrl).port) : (app.getHttpServer().address() as AddressInfo).port;
  const startOperations = async (g: GatewayHarness) => {
    const ops = await createOperationsApp(g.config, { data: g.app });
    await ops.listen(0, '127.0.0.1');
    return ops;
  };

  beforeAll(async () => {
    await resetDatabase();
    // One Redis key prefix: the instances share quotas, the detector's counters and the suspension channel.
    const shared = { ...redisEnv(), PROXY_PROTOCOL_FROM: BALANCER_SOURCE };
    a = await GatewayHarness.start(shared);
    b = await GatewayHarness.start(shared);
    a.app.getHttpServer().on('secureConnection', () => hits.a++);
    b.app.getHttpServer().on('secureConnection', () => hits.b++);
    // Each instance's operations listener: HAProxy's health check asks its /health/ready.
    opsA = await startOperations(a);
    opsB = await startOperations(b);
    haproxy = await HaproxyProcess.start([
      { port: portOf(a), opsPort: portOf(opsA) },
      { port: portOf(b), opsPort: portOf(opsB) },
    ]);
  }, 60_000);
  afterAll(async () => {
    await haproxy?.stop();
    if (!aStopped) await Promise.all([opsA?.close(), a?.stop()]);
    await Promise.all([opsB?.close(), b?.stop()]);
  });

  /** A call through HAProxy on a new TCP connection (round robin: the next instance). */
  const through = (client: TestClient | null, method: string, path: string, extra: { bearer?: string; from?: string; headers?: Record<string, string> } = {}) =>
    mtlsCall({
      port: haproxy.port,
      ca: a.caPem,
      client: client ?? undefined,
      method,
      path,
      localAddress: extra.from ?? ELSEWHERE,
      headers: { ...(extra.bearer ? { authorization: `Bearer ${extra.bearer}` } : {}), ...extra.headers },
    });
  const token = (client: TestClient, from?: string) =>
    mtlsCall({
      port: haproxy.port,
      ca: a.caPem,
      client,
      method: 'POST',
      path: '/api/v1/oauth/token',
      localAddress: from ?? ELSEWHERE,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
  const bearerOf = async (client: TestClient, from?: string) => {
    const response = await token(client, from);
    expect(response.status).toBe(200);
    return String(response.body.access_token);
  };
  /** `count` calls one after another, and the instances that answered them. */
  async function calls(count: number, call: () => Promise<MtlsResponse>) {
    const before = { ...hits };
    const responses: MtlsResponse[] = [];
    for (let i = 0; i < count; i++) responses.push(await call());
    return { responses, onA: hits.a - before.a, onB: hits.b - before.b };
  }
  const sourceAddressesOf = async (requestIds: string[]) =>
    waitFor(async () => {
      const rows = await sql<{ request_id: string; source_address: string }>(`SELECT request_id, source_address FROM audit_entries WHERE request_id = ANY($1::uuid[])`, [requestIds]);
      return rows.length === requestIds.length ? Object.fromEntries(rows.map((r) => [r.request_id, r.source_address])) : null;
    });

  it('mTLS passes through: the client certificate reaches each instance (a token, then pulls served by both)', async () => {
    const client = await a.connection({ unit: UNIT });
    const bearer = await bearerOf(client);
    const { responses, onA, onB } = await calls(4, () => through(client, 'GET', '/api/v1/task-results', { bearer }));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect([onA, onB]).toEqual([2, 2]);
    // TLS ends at the gateway, not at HAProxy: without a certificate the handshake itself fails.
    await expect(through(null, 'GET', '/api/v1/task-results')).rejects.toThrow();
  });

  it("applies the agreement's allowed-source rule to the real client address, and the audit log records it", async () => {
    const client = await a.connection({ unit: UNIT, scope: { allowedSourceAddresses: [CALLER] } });
    const bearer = await bearerOf(client, CALLER);
    const served = await calls(2, () => through(client, 'GET', '/api/v1/task-results', { bearer, from: CALLER }));
    expect(served.responses.map((r) => r.status)).toEqual([200, 200]);
    expect([served.onA, served.onB]).toEqual([1, 1]);
    const servedIds = served.responses.map((r) => String(r.headers['x-request-id']));
    expect(Object.values(await sourceAddressesOf(servedIds))).toEqual([CALLER, CALLER]);

    // The same certificate from another address behind the same HAProxy: outside the agreement.
    const refused = await token(client, ELSEWHERE);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'CONNECTION_SUSPENDED', message: expect.stringContaining('UNKNOWN_SOURCE_ADDRESS') });
    expect(await sourceAddressesOf([String(refused.body.requestId)])).toEqual({ [String(refused.body.requestId)]: ELSEWHERE });
    // HAProxy's own address is never taken for the caller's.
    expect(await sql(`SELECT 1 FROM audit_entries WHERE source_address = $1`, [BALANCER_SOURCE])).toEqual([]);
  });

  it('a PROXY header or X-Forwarded-For is believed only from the listed balancer', async () => {
    const client = await a.connection({ unit: UNIT, scope: { allowedSourceAddresses: [CALLER] } });
    const other = await a.connection({ unit: UNIT });

    // A client-sent X-Forwarded-For through HAProxy changes nothing: the PROXY header names the caller.
    const forged = await token(client, ELSEWHERE).catch(() => null);
    expect(forged?.status).toBe(403);
    const viaHeader = await mtlsCall({ port: haproxy.port, ca: a.caPem, client: other, method: 'POST', path: '/api/v1/oauth/token', localAddress: ELSEWHERE, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': CALLER }, body: 'grant_type=client_credentials' });
    expect(viaHeader.status).toBe(200);
    expect(await sourceAddressesOf([String(viaHeader.headers['x-request-id'])])).toEqual({ [String(viaHeader.headers['x-request-id'])]: ELSEWHERE });

    // An unlisted address sending a PROXY header: its bytes are a broken TLS handshake, nothing more.
    const raw = net.connect({ host: '127.0.0.1', port: portOf(a), localAddress: ELSEWHERE });
    await new Promise((resolve, reject) => raw.once('connect', resolve).once('error', reject));
    raw.write(`PROXY TCP4 ${CALLER} 127.0.0.1 40000 ${portOf(a)}\r\n`);
    const outcome = await new Promise<string>((resolve) => {
      const secure = tls.connect({ socket: raw, ca: a.caPem, cert: other.certPem, key: other.keyPem, servername: 'localhost' });
      secure.once('secureConnect', () => resolve('handshake completed'));
      secure.once('error', () => resolve('refused'));
      secure.once('close', () => resolve('refused'));
    });
    raw.destroy();
    expect(outcome).toBe('refused');

    // The listed balancer's address without a header: closed (a header is mandatory from it).
    await expect(mtlsCall({ port: portOf(a), ca: a.caPem, client: other, method: 'POST', path: '/api/v1/oauth/token', localAddress: BALANCER_SOURCE })).rejects.toThrow();
    // Any other address straight to an instance, no header: served as before.
    const direct = await mtlsCall({ port: portOf(a), ca: a.caPem, client: other, method: 'POST', path: '/api/v1/oauth/token', localAddress: ELSEWHERE, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    expect(direct.status).toBe(200);
  });

  it('a cut-off on one instance is refused through HAProxy on both, by pub/sub (their status caches outlive the test)', async () => {
    // As in security-incidents: with the cache made to last, only the pub/sub message can tell
    // the other instance; how fast it does is the bench's business, not a timed assertion's.
    const cacheMs = Object.getOwnPropertyDescriptor(CredentialStatusService, 'CACHE_MS')!;
    Object.defineProperty(CredentialStatusService, 'CACHE_MS', { ...cacheMs, value: 10 * 60_000 });
    try {
      const client = await a.connection({ unit: UNIT });
      const bearer = await bearerOf(client);
      const pull = () => through(client, 'GET', '/api/v1/task-results', { bearer });
      expect((await calls(2, pull)).responses.map((r) => r.status)).toEqual([200, 200]); // both instances cache the status

      await a.app.get(ConnectionSuspensionService).suspend(client.connectionId, 'MANUAL_CUT_OFF', 'officer@dtd');
      await waitFor(async () => {
        const round = await calls(2, pull);
        return round.onA === 1 && round.onB === 1 && round.responses.every((r) => r.status === 403);
      }, 30_000, 20);
      const after = await calls(6, pull);
      expect([after.onA, after.onB]).toEqual([3, 3]);
      for (const response of after.responses) expect(response.body).toMatchObject({ statusCode: 403, code: 'CONNECTION_SUSPENDED' });
    } finally {
      Object.defineProperty(CredentialStatusService, 'CACHE_MS', cacheMs);
    }
  });

  /**
   * The first instance is the one stopped: both run in this test process, and passport keeps one
   * strategy per name per process, the last registered (the second instance's), which both
   * instances' token guards then use. Stopping the second would close the database pool that
   * strategy reads from under the first. In production each instance is its own process.
   */
  it('an instance stopped: once its health check marks it down, every call is served by the other', async () => {
    const client = await a.connection({ unit: UNIT });
    const bearer = await bearerOf(client);
    const ready = { status: 'UP', check: 'L7OK' }; // /health/ready answered 200
    expect(await haproxy.serverStatus()).toEqual({ gw1: ready, gw2: ready });

    await Promise.all([opsA.close(), a.stop()]);
    aStopped = true;
    const status = await waitFor(async () => {
      const now = await haproxy.serverStatus();
      return now.gw1.status.startsWith('DOWN') ? now : null;
    }, 3000, 50);
    expect(status.gw2).toEqual(ready);
    const { responses, onB } = await calls(8, () => through(client, 'GET', '/api/v1/task-results', { bearer }));
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(onB).toBe(8);
  });
});
