import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { GatewayHarness } from './support/gateway-harness.js';
import { sample } from './support/ops-helpers.js';
import { waitFor } from './support/security-helpers.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { testDatabaseUrl } from './support/test-database.js';
import { freePort } from './support/ports.js';
import { ensureGatewayBuilt } from './support/builds.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const UNIT = 'Bộ Tài chính';

/**
 * The gateway as `npm start` runs it (dist/main.js): the operations listener on OPS_HOST:OPS_PORT,
 * and its stdout as JSON lines with each request's id, connection and outcome — and no token.
 */
describe('the running gateway: operations listener and JSON logs', () => {
  let harness: GatewayHarness | undefined;
  // A database of its own, reached through a proxy that the test cuts once, to hear the pool's complaint.
  let proxy: TcpProxy;
  const databaseUrl = new URL(testDatabaseUrl());
  databaseUrl.pathname = `${databaseUrl.pathname}_logs`;
  const admin = new pg.Client({ connectionString: testDatabaseUrl() });

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${databaseUrl.pathname.slice(1)}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${databaseUrl.pathname.slice(1)}"`);
    await ensureGatewayBuilt();
    proxy = await TcpProxy.start(Number(databaseUrl.port || 5432));
  }, 120_000);
  afterAll(async () => {
    await harness?.stop();
    await proxy?.stop();
    await admin.query(`DROP DATABASE IF EXISTS "${databaseUrl.pathname.slice(1)}" WITH (FORCE)`);
    await admin.end();
  });

  it('logs JSON lines with request id, connection and outcome, never the Authorization value, and serves /metrics on the ops port', async () => {
    const [dataPort, controlPort, opsPort] = [await freePort(), await freePort(), await freePort()];
    const env = {
      ...process.env, NODE_OPTIONS: '', NODE_ENV: 'test', LOG_LEVEL: 'info', DATABASE_URL: viaProxy(databaseUrl, proxy.port), DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-logs-')),
      TOKEN_SIGNING_SECRET: 'log-test-signing-secret-0123456789abcdefgh', DATA_PLANE_PORT: String(dataPort), CONTROL_PLANE_PORT: String(controlPort), OPS_PORT: String(opsPort),
    };
    const gateway = spawn(process.execPath, ['dist/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    gateway.stdout.on('data', (c) => (stdout += c));
    gateway.stderr.on('data', (c) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => gateway.on('exit', (code) => resolve(code)));
    try {
      await waitFor(async () => stdout.includes('Operations (health, metrics) listening'), 60_000, 200);
      const ops = `http://127.0.0.1:${opsPort}`;
      await request(ops).get('/health/ready').expect(200);

      harness = await GatewayHarness.start({ DATABASE_URL: databaseUrl.toString() }); // registers connections in the gateway's database
      const client = await harness.connection({ unit: UNIT });
      const base = `https://127.0.0.1:${dataPort}`;
      const token = await request(base).post('/api/v1/oauth/token').ca(harness!.caPem).cert(client.certPem).key(client.keyPem).type('form').send({ grant_type: 'client_credentials' }).expect(200);
      const bearer = token.body.access_token as string;
      const pull = await request(base).get('/api/v1/task-results?limit=3').ca(harness!.caPem).cert(client.certPem).key(client.keyPem).set('Authorization', `Bearer ${bearer}`).expect(200);
      const refused = await request(base).get('/api/v1/task-results').ca(harness!.caPem).cert(client.certPem).key(client.keyPem).set('Authorization', 'Bearer not-a-valid-token-SECRETISH').expect(401);

      const metrics = (await request(ops).get('/metrics').expect(200)).text;
      expect(sample(metrics, 'gateway_http_requests_total', { plane: 'data', method: 'GET', route: '/api/v1/task-results', status: '200', connection: client.connectionId })).toBe(1);
      expect(sample(metrics, 'process_cpu_seconds_total')).toBeGreaterThan(0);

      // The database goes away for a moment: the pool's idle connections fail, and TypeORM says so.
      await proxy.cut();
      await waitFor(async () => stdout.includes('"context":"Database"'), 5000);
      await proxy.restore();

      const lines = await waitFor(async () => {
        const parsed = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
        return parsed.some((l) => l.requestId === refused.headers['x-request-id']) ? parsed : null;
      });
      // Every line is JSON: main.ts's own, TypeORM's, the access lines.
      expect(lines.find((l) => String(l.msg).startsWith('Data plane (mTLS) listening'))).toMatchObject({ level: 'info', context: 'Gateway' });
      expect(lines.find((l) => l.context === 'Database')).toMatchObject({ level: 'warn', msg: expect.stringContaining('Connection terminated') });
      expect(lines.find((l) => l.requestId === pull.headers['x-request-id'])).toMatchObject({
        msg: 'access', level: 'info', plane: 'data', method: 'GET', route: '/api/v1/task-results', status: 200, outcome: 'success', connection: client.connectionId, errorCode: null, durationMs: expect.any(Number),
      });
      expect(lines.find((l) => l.requestId === refused.headers['x-request-id'])).toMatchObject({ plane: 'data', status: 401, outcome: 'rejected', errorCode: expect.any(String) });
      expect(stdout).not.toContain(bearer);
      expect(stdout).not.toContain('SECRETISH');
      expect(stdout).not.toContain('limit=3');
      expect(stdout).not.toContain('BEGIN CERTIFICATE');

      gateway.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toBe('');
    } finally {
      if (gateway.exitCode === null) gateway.kill('SIGKILL');
    }
  }, 120_000);
});

function viaProxy(url: URL, port: number): string {
  const proxied = new URL(url);
  proxied.port = String(port);
  return proxied.toString();
}
