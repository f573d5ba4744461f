import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { COMMANDS, UsageError } from '../src/cli/commands.js';
import { GatewayHarness, taskResult } from './support/gateway-harness.js';
import { resetDatabase, sql, testDatabaseUrl } from './support/test-database.js';
import { ensureGatewayBuilt } from './support/builds.js';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('operator CLI: connections:create', () => {
  let harness: GatewayHarness;
  beforeAll(async () => {
    await resetDatabase();
    harness = await GatewayHarness.start();
  });
  afterAll(() => harness.stop());

  it('registers a connection and writes client material that works against the gateway', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-client-'));
    const lines: string[] = [];
    await COMMANDS['connections:create'].run(
      harness.operator,
      ['--name', 'He thong Bo Tai chinh', '--unit', 'Bộ Tài chính', '--env', 'test', '--read-unit', '*', '--direction', 'push,pull', '--out', out],
      (line) => lines.push(line),
    );
    expect(lines[0]).toMatch(/^connection [0-9a-f-]{36} \(TESTING, test\)$/);
    // Not written straight into TESTING: registered, then moved by the state table's transitions, each in its history.
    const id = /^connection ([0-9a-f-]{36})/.exec(lines[0])![1];
    const history = await sql<{ action: string; from_state: string | null; to_state: string; actor_name: string }>(
      `SELECT action, from_state, to_state, actor_name FROM connection_events WHERE connection_id = $1 ORDER BY occurred_at, id`,
      [id],
    );
    expect(history.map((e) => [e.action, e.from_state, e.to_state])).toEqual([
      ['register', null, 'SUBMITTED'],
      ['approve', 'SUBMITTED', 'APPROVED'],
      ['recordAgreement', 'APPROVED', 'AGREEMENT_SIGNED'],
      ['configure', 'AGREEMENT_SIGNED', 'TESTING'],
    ]);
    expect(new Set(history.map((e) => e.actor_name))).toEqual(new Set(['operator (npm run cli -- connections:create)']));
    // A production connection goes on through the test's end and go-live.
    const live = await harness.connection({ unit: 'Bộ Tài chính', env: 'production', name: 'live one' });
    const liveHistory = await sql<{ action: string; to_state: string }>(`SELECT action, to_state FROM connection_events WHERE connection_id = $1 ORDER BY occurred_at, id`, [live.connectionId]);
    expect(liveHistory.map((e) => e.action)).toEqual(['register', 'approve', 'recordAgreement', 'configure', 'passTest', 'goLive']);
    expect(liveHistory.at(-1)!.to_state).toBe('LIVE');
    const client = { certPem: fs.readFileSync(path.join(out, 'client.crt.pem'), 'utf8'), keyPem: fs.readFileSync(path.join(out, 'client.key.pem'), 'utf8') };
    expect(fs.readFileSync(path.join(out, 'ca.crt.pem'), 'utf8')).toBe(harness.caPem);

    const token = await harness.call(client, 'post', '/api/v1/oauth/token').send({ grant_type: 'client_credentials' }).expect(200);
    await harness
      .call(client, 'put', '/api/v1/task-results/CLI-1')
      .set('Authorization', `Bearer ${token.body.access_token}`)
      .send(taskResult('CLI-1', 'Bộ Tài chính'))
      .expect(201);
  });

  /**
   * `npm run cli` runs one bundled file (scripts/cli-bundle.config.mjs): built here as `npm run
   * build` builds it, then driven as an operator would. Its connection must work against the
   * gateway: the bundle keeps class names (entities, providers) and loads TypeORM once.
   */
  it('works as the bundled file npm run cli runs', async () => {
    await ensureGatewayBuilt();
    const bundle = fs.readFileSync(path.join(ROOT, 'dist', 'cli.bundle.mjs'), 'utf8');
    expect(bundle).not.toMatch(/require\$?\d*\(["']typeorm["']\)/);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-bundle-'));
    const env = { ...process.env, DATABASE_URL: testDatabaseUrl(), NODE_OPTIONS: '' };
    const run = (...args: string[]) => execFileSync('node', ['dist/cli.bundle.mjs', ...args], { cwd: ROOT, env, encoding: 'utf8' });
    const created = run('connections:create', '--name', 'He thong qua CLI dong goi', '--unit', 'Bộ Tài chính', '--env', 'test', '--out', out);
    const id = /^connection ([0-9a-f-]{36})/.exec(created)?.[1];
    expect(id).toBeDefined();
    expect(run('connections:list')).toContain(`${id}  TESTING`);
    const client = { certPem: fs.readFileSync(path.join(out, 'client.crt.pem'), 'utf8'), keyPem: fs.readFileSync(path.join(out, 'client.key.pem'), 'utf8') };
    await harness.call(client, 'post', '/api/v1/oauth/token').send({ grant_type: 'client_credentials' }).expect(200);
  }, 300_000); // the type-check and build take ~20 s alone, minutes on a busy shared machine

  it('records the role per data set given with --role, and the gateway enforces it', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-role-'));
    const lines: string[] = [];
    await COMMANDS['connections:create'].run(
      harness.operator,
      ['--name', 'He thong Bo Y te', '--unit', 'Bộ Y tế', '--env', 'test', '--role', 'REPORTER', '--role', 'kpi-results=READER', '--out', out],
      (line) => lines.push(line),
    );
    expect(lines[1]).toContain('"roles":{"task-results":"REPORTER","kpi-results":"READER"}');
    const client = { certPem: fs.readFileSync(path.join(out, 'client.crt.pem'), 'utf8'), keyPem: fs.readFileSync(path.join(out, 'client.key.pem'), 'utf8') };
    const token = await harness.call(client, 'post', '/api/v1/oauth/token').send({ grant_type: 'client_credentials' }).expect(200);
    const created = await harness
      .call(client, 'put', '/api/v1/task-results/CLI-ROLE')
      .set('Authorization', `Bearer ${token.body.access_token}`)
      .send(taskResult('CLI-ROLE', 'Bộ Y tế'))
      .expect(404);
    expect(created.body.code).toBe('NOT_ASSIGNED');
    await expect(
      COMMANDS['connections:create'].run(harness.operator, ['--name', 'z', '--unit', 'y', '--env', 'test', '--role', 'OWNER'], () => undefined),
    ).rejects.toThrow(/--role must be one of: ASSIGNER, REPORTER, READER/);
  });

  it('issues from a CSR and refuses EC requests with a clear reason', async () => {
    await expect(
      COMMANDS['connections:create'].run(harness.operator, ['--name', 'x', '--unit', 'y', '--env', 'staging'], () => undefined),
    ).rejects.toThrow(UsageError);
    const csr = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'csr-')), 'ec.csr');
    fs.writeFileSync(csr, EC_CSR);
    await expect(
      COMMANDS['connections:create'].run(harness.operator, ['--name', 'ec', '--unit', 'Bộ Y tế', '--env', 'test', '--csr', csr], () => undefined),
    ).rejects.toThrow(/Only RSA certificate requests are supported/);
  });
});

// openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=ec
const EC_CSR = `-----BEGIN CERTIFICATE REQUEST-----
MIHIMG8CAQAwDTELMAkGA1UEAwwCZWMwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC
AATHWi6bT6ZmdMlri0vcRoce8Y/57TU5kZ3fRNSrSWOUGjDRnDguxoQGKONuhcn3
CmALTLkd5My2KFRexxjjvttIoAAwCgYIKoZIzj0EAwIDSQAwRgIhAIAXsfvNpvd2
lcHgwqm4luPJGOGI137JBHIYBFeWAzuaAiEA3ksYKC/rAqk30dA0VLjgW4/vWH4O
Fl5uVrq6+KFJ5dk=
-----END CERTIFICATE REQUEST-----
`;
