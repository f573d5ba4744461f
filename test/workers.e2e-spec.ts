import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { AUDIT_COMMANDS } from '../src/cli/audit-commands.js';
import { GatewayHarness, type TestClient } from './support/gateway-harness.js';
import { freePort } from './support/ports.js';
import { connectionState, redisEnv, waitFor } from './support/security-helpers.js';
import { resetDatabase, sql, testDatabaseUrl } from './support/test-database.js';
import { ensureGatewayBuilt } from './support/builds.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const UNIT = 'Bộ Xây dựng';
/** A probe the screening recognises (as in bench/trip.ts): ANOMALY_ATTACK_PROBES of them cut the connection off. */
const PROBE = `/api/v1/task-results?taskGroupCode=${encodeURIComponent("' OR 1=1 --")}`;

/**
 * WORKERS=2: `node dist/main.js` as production starts it, one primary and two worker processes
 * sharing the data-plane port (node:cluster hands each new TLS connection to the next worker).
 * Every call below opens a connection of its own, so consecutive calls alternate between the
 * workers; the access log's `pid` shows that both served.
 */
describe('WORKERS=2: one gateway in two processes', () => {
  let harness: GatewayHarness; // registers connections and reads the database; serves nothing here
  let gateway: ChildProcess;
  let output = '';
  let dataPort = 0;
  let opsPort = 0;

  beforeAll(async () => {
    await resetDatabase();
    const redis = redisEnv();
    harness = await GatewayHarness.start({ ...redis });
    await ensureGatewayBuilt(); // dist/, as `npm start` builds it
    [dataPort, opsPort] = [await freePort(), await freePort()];
    const c = harness.config;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_OPTIONS: '',
      NODE_ENV: 'test',
      WORKERS: '2',
      DATABASE_URL: testDatabaseUrl(),
      ...redis,
      DATA_DIR: c.DATA_DIR,
      TOKEN_SIGNING_SECRET: c.TOKEN_SIGNING_SECRET,
      PERSONAL_DATA_KEY: c.PERSONAL_DATA_KEY,
      TLS_CA_CERT: c.TLS_CA_CERT,
      TLS_CA_KEY: c.TLS_CA_KEY,
      TLS_SERVER_CERT: c.TLS_SERVER_CERT,
      TLS_SERVER_KEY: c.TLS_SERVER_KEY,
      DATA_PLANE_PORT: String(dataPort),
      CONTROL_PLANE_PORT: String(await freePort()),
      OPS_PORT: String(opsPort),
      LOG_LEVEL: 'info', // the access lines say which process served each call
    };
    gateway = spawn(process.execPath, [path.join(ROOT, 'dist/main.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    gateway.stdout!.on('data', (chunk) => (output += chunk));
    gateway.stderr!.on('data', (chunk) => (output += chunk));
    await waitFor(async () => output.includes('2 worker processes serving') || gateway.exitCode !== null, 90_000, 100);
    if (gateway.exitCode !== null) throw new Error(`the gateway exited (${gateway.exitCode}):\n${output}`);
  }, 180_000);

  afterAll(async () => {
    if (gateway && gateway.exitCode === null) gateway.kill('SIGKILL');
    await harness?.stop();
  });

  /** One call on a connection of its own (so the next call goes to the other worker). */
  const call = (client: TestClient, urlPath: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: { code?: string; access_token?: string } }>((resolve, reject) => {
      const req = https.request(
        { host: '127.0.0.1', port: dataPort, path: urlPath, method: init.method ?? 'GET', headers: init.headers, ca: harness.caPem, cert: client.certPem, key: client.keyPem, agent: false },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text || '{}') }));
        },
      );
      req.on('error', reject);
      req.end(init.body);
    });
  const tokenOf = async (client: TestClient) => {
    const answer = await call(client, '/api/v1/oauth/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    expect(answer.status).toBe(200);
    return { authorization: `Bearer ${answer.body.access_token}` };
  };
  /** The processes that wrote a data-plane access line for this connection (pino's `pid`). */
  const workersThatServed = (connectionId: string) =>
    new Set(
      output
        .split('\n')
        .filter((line) => line.includes('"msg":"access"') && line.includes(connectionId))
        .map((line) => (JSON.parse(line) as { pid: number }).pid),
    );

  it('keeps one quota count across both workers', async () => {
    const client = await harness.connection({ unit: UNIT, scope: { quotas: { readsPerMinute: 4 } } });
    const auth = await tokenOf(client);
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await call(client, '/api/v1/task-results', { headers: auth }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 429, 429]);
    expect(answers.slice(0, 4).map((a) => a.headers['ratelimit-remaining'])).toEqual(['3', '2', '1', '0']);
    expect(answers[5].body.code).toBe('QUOTA_EXCEEDED');
    // Both workers answered some of these calls: with per-process counts, each would have allowed 4.
    // Access lines reach stdout in 4 KB chunks or every 200 ms (gateway-logger.ts): wait for them.
    await waitFor(async () => workersThatServed(client.connectionId).size >= 2, 3000, 50).catch(() => undefined);
    const served = workersThatServed(client.connectionId);
    expect(served.size).toBe(2);
    expect(served.has(gateway.pid!)).toBe(false); // the primary serves nothing
  }, 60_000);

  it('a cut-off by one worker is refused by both', async () => {
    const client = await harness.connection({ unit: UNIT });
    const auth = await tokenOf(client);
    // Attack probes on connections of their own: they alternate between the workers, and the
    // detector's counts (in Redis) add up to the threshold all the same.
    for (let i = 0; i < harness.config.ANOMALY_ATTACK_PROBES; i++) await call(client, PROBE, { headers: auth });
    await waitFor(async () => (await connectionState(client.connectionId)).state === 'SUSPENDED', 5000);
    const after = [];
    for (let i = 0; i < 4; i++) after.push(await call(client, '/api/v1/task-results', { headers: auth }));
    expect(after.map((a) => `${a.status} ${a.body.code}`)).toEqual(Array(4).fill('403 CONNECTION_SUSPENDED'));
  }, 60_000);

  it('writes one audit chain from both workers, sealed and verified after a clean stop', async () => {
    const before = await sql<{ n: string }>(`SELECT count(*) AS n FROM audit_entries WHERE plane = 'data'`);
    expect(Number(before[0].n)).toBeGreaterThanOrEqual(14);
    const exited = new Promise<number | null>((resolve) => gateway.once('exit', (code) => resolve(code)));
    gateway.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines: string[] = [];
    await AUDIT_COMMANDS['audit:verify'].run(harness.operator, [], (line: string) => lines.push(line));
    expect(lines).toContain('OK: the hash chain and every checkpoint verify');
    const [{ unsealed }] = await sql<{ unsealed: string }>(`SELECT count(*) AS unsealed FROM audit_entries WHERE seq > (SELECT coalesce(max(last_seq), 0) FROM audit_checkpoints)`);
    expect(Number(unsealed)).toBe(0);
    expect(fs.existsSync(harness.config.DATA_DIR)).toBe(true);
  }, 60_000);
});
