import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import https from 'node:https';
import { ControlPlaneHarness } from './support/control-plane-harness.js';
import { taskResult, type TestClient } from './support/gateway-harness.js';
import { waitFor } from './support/security-helpers.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { resetDatabase, sql, testDatabaseUrl } from './support/test-database.js';

interface Outcome {
  method: string;
  path: string;
  status?: number;
  body?: Record<string, unknown>;
  requestIdHeader?: string;
  /** The socket failed before an HTTP answer: the empty reply the issue describes. */
  socketError?: string;
}

/**
 * PostgreSQL goes away under load and comes back: the gateway process stays up, answers every
 * call in the one error shape (503 with its request id) while the database is away, acknowledges
 * nothing it did not store, and serves again by itself once the database returns. The outage is
 * staged with a TCP proxy between the gateway and the test PostgreSQL, never by stopping it.
 */
describe('a PostgreSQL outage', () => {
  let proxy: TcpProxy;
  let h: ControlPlaneHarness;
  let client: TestClient;
  let agent: https.Agent;
  let bearer: string;
  const processFaults: string[] = [];
  const onRejection = (reason: unknown) => processFaults.push(`unhandledRejection: ${String(reason)}`);
  const onException = (error: Error) => processFaults.push(`uncaughtException: ${error.message}`);

  beforeAll(async () => {
    await resetDatabase();
    proxy = await TcpProxy.start(Number(new URL(testDatabaseUrl()).port || 5432));
    const viaProxy = new URL(testDatabaseUrl());
    viaProxy.port = String(proxy.port);
    // Background loops run every 200 ms, so that they too meet the outage.
    h = await ControlPlaneHarness.start({ DATABASE_URL: viaProxy.toString(), BACKGROUND_INTERVAL_MS: '200', QUOTA_READS_PER_MINUTE: '100000', QUOTA_WRITES_PER_MINUTE: '100000' });
    client = await h.gateway.connection({ unit: 'Bộ Tài chính' });
    agent = new https.Agent({ keepAlive: true, maxSockets: 8, ca: h.gateway.caPem, cert: client.certPem, key: client.keyPem });
    bearer = `Bearer ${await h.gateway.token(client)}`;
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);
  }, 60_000);

  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
    agent?.destroy();
    await proxy.restore();
    await h?.stop();
    await proxy.stop();
  });

  function call(method: 'GET' | 'PUT', path: string, body?: unknown): Promise<Outcome> {
    const url = new URL(path, h.gateway.baseUrl);
    return new Promise((resolve) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const request = https.request(url, { method, agent, timeout: 15_000, headers: { authorization: bearer, ...(payload ? { 'content-type': 'application/json' } : {}) } }, (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk) => (text += chunk)).on('end', () => {
          let parsed: Record<string, unknown> | undefined;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ method, path, status: response.statusCode, body: parsed, requestIdHeader: response.headers['x-request-id'] as string | undefined });
        });
      });
      request.on('timeout', () => request.destroy(new Error('no answer within 15 s')));
      request.on('error', (error) => resolve({ method, path, socketError: error.message }));
      request.end(payload);
    });
  }

  it('keeps the process up, answers 503 in the one error shape, loses nothing acknowledged, and recovers by itself', async () => {
    const outcomes: Outcome[] = [];
    let stop = false;
    let n = 0;
    const deadline = Date.now() + 30_000;
    // Four callers, each alternating a write and a pull, bounded in count and time.
    const worker = async () => {
      while (!stop && n < 4000 && Date.now() < deadline) {
        const i = n++;
        outcomes.push(await (i % 2 ? call('GET', '/api/v1/task-results?limit=5') : call('PUT', `/api/v1/task-results/OUT-${i}`, taskResult(`OUT-${i}`, 'Bộ Tài chính'))));
      }
    };
    const workers = Promise.all([worker(), worker(), worker(), worker()]);

    await waitFor(async () => outcomes.filter((o) => o.status === 201).length >= 20, 10_000);
    // A background loop that meets the outage says so once (BackgroundLoop), and carries on.
    const warnings = jest.spyOn(Logger.prototype, 'warn');
    await proxy.cut();
    const cutAt = outcomes.length;
    // The outage lasts until the callers have met it and the background loops have run into it.
    await waitFor(async () => outcomes.slice(cutAt).filter((o) => o.status === 503).length >= 20, 10_000);
    await waitFor(async () => warnings.mock.calls.some(([message]) => /failed \(will retry\)/.test(String(message))), 10_000);
    warnings.mockRestore();
    await proxy.restore();
    const restoredAt = outcomes.length;
    // It serves again by itself: no restart.
    await waitFor(async () => outcomes.slice(restoredAt).filter((o) => o.status === 201).length >= 10, 15_000);
    stop = true;
    await workers;

    expect(processFaults).toEqual([]);
    expect(outcomes.filter((o) => o.socketError)).toEqual([]);
    const unexpected = outcomes.filter((o) => ![200, 201, 503].includes(o.status!));
    expect(unexpected).toEqual([]);
    const refusals = outcomes.filter((o) => o.status === 503);
    expect(refusals.length).toBeGreaterThanOrEqual(20);
    for (const r of refusals) {
      expect(r.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: expect.any(String),
        messageVi: expect.any(String),
        code: expect.stringMatching(/^(DATABASE_UNAVAILABLE|AUDIT_UNAVAILABLE)$/),
        requestId: r.requestIdHeader,
      });
    }

    // Nothing acknowledged is missing: every 2xx is in the audit log, every acknowledged write is stored.
    const acknowledged = outcomes.filter((o) => o.status === 200 || o.status === 201);
    const logged = new Set((await sql<{ request_id: string }>('SELECT request_id FROM audit_entries')).map((r) => r.request_id));
    expect(acknowledged.filter((o) => !logged.has(o.requestIdHeader!))).toEqual([]);
    const written = acknowledged.filter((o) => o.method === 'PUT').map((o) => o.path.split('/').pop()!);
    const stored = new Set((await sql<{ task_code: string }>('SELECT task_code FROM task_results')).map((r) => r.task_code));
    expect(written.filter((code) => !stored.has(code))).toEqual([]);
  }, 90_000);

  it('serves the control plane again after the outage, and its background loops survived it', async () => {
    const probe = await h.raw('post', '/control/v1/auth/sign-in').send({ username: 'nobody', password: 'wrong-password-123' });
    expect([401, 429]).toContain(probe.status);
    expect(processFaults).toEqual([]);
  });
});
