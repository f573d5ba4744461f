/**
 * Authority scenarios of `npm run bench` (issue 14 "Speed"; issue 18.2), registered in run.ts and
 * runnable alone (`node dist-bench/bench/authority.js`, database gateway_bench_authority):
 *
 * - **Push with authority and versions on**: batches of 1,000 new task results from an ASSIGNER
 *   connection (authority checks, audit, a kept version per record), 4 clients. Against a bare
 *   HTTPS server of the same TLS settings that reads and parses the same bodies (the baseline,
 *   measured before and after the gateway runs); and with the validation fast path off
 *   (setValidationFastPathForBenchmark: class-transformer + class-validator for every item), on/off
 *   alternately, to say whether fast-instance.ts and fast-validity.ts still pay.
 * - **Deadline burst**: 64 connections, each its own certificate, push 200-item batches at once.
 *   PostgreSQL's lock table is sampled meanwhile: how many writers of the change feed are in
 *   flight side by side (their shared advisory locks, change-feed-writers.ts) and whether any waits
 *   on another's, how many wait on the audit chain's lock (audit_append), and how many requests
 *   wait for a pooled connection.
 */
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createDataPlaneApp } from '../src/bootstrap/data-plane-app.js';
import { CliModule } from '../src/cli/cli.module.js';
import { ConnectionsService } from '../src/connections/connections.service.js';
import { setValidationFastPathForBenchmark } from '../src/data-exchange/shared/validate-item.js';
import { generateRsaKeyPair } from '../src/pki/certificate-authority.js';
import { type GatewayConfig, loadGatewayConfig } from '../src/shared/config/gateway-config.js';
import type { AuthorityPushFigures, AuthorityPushJob, AuthorityTls } from './authority-load.js';
import { recreateDatabase, sql } from './database.js';
import { request } from './https-client.js';

const UNIT = 'Đảng ủy Bộ Khoa học và Công nghệ';
const BATCH_PATH = '/api/v1/task-results/batch';
/** audit_append's transaction-level advisory lock (migration 1796100000000). */
const AUDIT_LOCK_KEY = '7022629598041763687';
/** task_results' lock space in change-feed-writers.ts: writers announce themselves with keys in it. */
const TASK_RESULTS_LOCK_SPACE = 4097;

const int = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};

export interface AuthorityBenchInput {
  config: GatewayConfig;
  databaseUrl: string;
  log: (message: string) => void;
}

export interface AuthorityBenchResult {
  markdown: string;
  errors: string[];
  missedTargets: string[];
}

interface LockFigures {
  samples: number;
  feedHeldShare: number;
  feedWritersMean: number;
  feedWritersMax: number;
  feedWaitersMean: number;
  feedWaitersMax: number;
  auditWaitersMean: number;
  auditWaitersMax: number;
  activeMean: number;
  poolWaitingMean: number;
}

type Pool = { totalCount: number; idleCount: number; waitingCount: number };

export async function runAuthorityBench({ config, databaseUrl, log }: AuthorityBenchInput): Promise<AuthorityBenchResult> {
  const settings = {
    pushBatches: int('BENCH_AUTHORITY_BATCHES', 30),
    pushClients: int('BENCH_PUSH_CLIENTS', 4),
    rounds: int('BENCH_AUTHORITY_ROUNDS', 2),
    burstConnections: int('BENCH_BURST_CONNECTIONS', 64),
    burstBatches: int('BENCH_BURST_BATCHES', 4),
    burstItems: 200,
  };
  const errors: string[] = [];
  const missedTargets: string[] = [];
  const child = fork(path.join(import.meta.dirname, 'authority-load.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let app: NestFastifyApplication | null = null;
  let baseline: https.Server | null = null;
  try {
    log(`authority: registering ${settings.burstConnections + 1} ASSIGNER connections`);
    const clients = await registerAssigners(config, settings.burstConnections + 1);
    baseline = await startBaseline(config);
    const baselineUrl = `https://127.0.0.1:${(baseline.address() as AddressInfo).port}${BATCH_PATH}`;
    app = await createDataPlaneApp(config);
    await app.listen(0, '127.0.0.1');
    const gatewayBase = `https://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const withTokens = await Promise.all(clients.map(async (tls) => ({ tls, token: await accessToken(gatewayBase, tls) })));
    const pusher = [withTokens[0]];
    let run = 0;
    const push = async (label: string, url: string, connections: typeof withTokens, batches: number, items: number, concurrency: number) => {
      const prefix = `AUTH${run++}`;
      const cpu = process.cpuUsage();
      const figures = await runJob(child, { url, connections, batchesPerConnection: batches, itemsPerBatch: items, concurrencyPerConnection: concurrency, prefix, leadUnit: UNIT, timeoutMs: 60_000 });
      for (const failure of figures.failures.slice(0, 3)) errors.push(`${label}: ${failure}`);
      const used = process.cpuUsage(cpu);
      // The server's CPU (this process: gateway, or bare baseline) per item pushed.
      figures.serverCpuUsPerItem = (used.user + used.system) / Math.max(1, figures.items);
      log(`authority: ${label}: ${Math.round(figures.itemsPerSecond)} items/s, p99 ${Math.round(figures.p99)} ms, server CPU ${figures.serverCpuUsPerItem.toFixed(0)} µs/item, ${figures.failures.length} failures`);
      return { prefix, figures };
    };
    const durable = async (prefix: string, expected: number, label: string) => {
      const [{ rows }] = await sql<{ rows: number }>(databaseUrl, `SELECT count(*)::int AS rows FROM task_results WHERE task_code LIKE $1`, [`${prefix}\\_%`]);
      const [{ versions }] = await sql<{ versions: number }>(databaseUrl, `SELECT count(*)::int AS versions FROM record_versions WHERE data_set = 'task-results' AND record_key LIKE $1`, [`${prefix}\\_%`]);
      if (rows !== expected || versions !== expected) errors.push(`${label}: ${rows} rows and ${versions} versions for ${expected} items`);
      return { rows, versions };
    };

    // Warm-up of both paths, not counted.
    setValidationFastPathForBenchmark(true);
    await push('warm-up', `${gatewayBase}${BATCH_PATH}`, pusher, 4, 1000, settings.pushClients);
    const bare: AuthorityPushFigures[] = [(await push('bare https baseline', baselineUrl, pusher, settings.pushBatches, 1000, settings.pushClients)).figures];
    const fast: AuthorityPushFigures[] = [];
    const library: AuthorityPushFigures[] = [];
    let durability = { rows: 0, versions: 0, expected: 0 };
    for (let round = 0; round < settings.rounds; round++) {
      for (const fastPath of round % 2 ? [false, true] : [true, false]) {
        setValidationFastPathForBenchmark(fastPath);
        const label = `gateway push, fast path ${fastPath ? 'on' : 'off'}`;
        const { prefix, figures } = await push(label, `${gatewayBase}${BATCH_PATH}`, pusher, settings.pushBatches, 1000, settings.pushClients);
        (fastPath ? fast : library).push(figures);
        const d = await durable(prefix, figures.items, label);
        durability = { rows: durability.rows + d.rows, versions: durability.versions + d.versions, expected: durability.expected + figures.items };
      }
    }
    setValidationFastPathForBenchmark(true);
    bare.push((await push('bare https baseline, again', baselineUrl, pusher, settings.pushBatches, 1000, settings.pushClients)).figures);

    // The burst: every connection at once, the lock table sampled meanwhile.
    const pool = (app.get(DataSource).driver as unknown as { master?: Pool }).master;
    const sampler = await LockSampler.start(databaseUrl, pool);
    const burst = await push('deadline burst', `${gatewayBase}${BATCH_PATH}`, withTokens.slice(1), settings.burstBatches, settings.burstItems, 1);
    const locks = await sampler.stop();
    const burstDurable = await durable(burst.prefix, burst.figures.items, 'deadline burst');

    const mean = (xs: AuthorityPushFigures[]) => xs.reduce((a, f) => a + f.itemsPerSecond, 0) / xs.length;
    const [bareRate, fastRate, libraryRate] = [mean(bare), mean(fast), mean(library)];
    if (fastRate < 10_000) missedTargets.push(`push with authority and versions: ${Math.round(fastRate)} items/s < 10,000`);
    if (burst.figures.p99 >= 2000) missedTargets.push(`deadline burst: batch p99 ${Math.round(burst.figures.p99)} ms ≥ 2 s`);
    if (burst.figures.itemsPerSecond < 10_000) missedTargets.push(`deadline burst: ${Math.round(burst.figures.itemsPerSecond)} items/s < 10,000`);
    const markdown = render({ settings, bare, fast, library, bareRate, fastRate, libraryRate, durability, burst: burst.figures, burstDurable, locks, poolSize: pool?.totalCount ?? null, config });
    return { markdown, errors, missedTargets };
  } finally {
    setValidationFastPathForBenchmark(true);
    if (child.connected) child.disconnect();
    if (baseline) {
      baseline.closeAllConnections();
      await new Promise((resolve) => baseline!.close(resolve));
    }
    if (app) await app.close();
  }
}

/**
 * Samples pg_locks every 20 ms on a connection of its own: writers of task_results in flight (their
 * shared locks in its lock space, change-feed-writers.ts) and any not granted; waiters on
 * audit_append's lock; backends of this database in a transaction; requests waiting for a pooled
 * connection in the gateway.
 */
class LockSampler {
  private readonly samples: Array<{ feedHeld: number; feedWaiting: number; auditWaiting: number; active: number; poolWaiting: number }> = [];
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();

  private constructor(private readonly client: pg.Client, private readonly pool: Pool | undefined) {}

  static async start(url: string, pool: Pool | undefined): Promise<LockSampler> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const sampler = new LockSampler(client, pool);
    sampler.loop = sampler.run();
    return sampler;
  }

  private async run(): Promise<void> {
    const text = `SELECT count(*) FILTER (WHERE l.classid::bigint BETWEEN $1::bigint * 256 AND $1::bigint * 256 + 255 AND l.granted)::int AS feed_held,
                         count(*) FILTER (WHERE l.classid::bigint BETWEEN $1::bigint * 256 AND $1::bigint * 256 + 255 AND NOT l.granted)::int AS feed_waiting,
                         count(*) FILTER (WHERE k = $2::bigint AND NOT l.granted)::int AS audit_waiting,
                         (SELECT count(*) FROM pg_stat_activity a WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
                             AND a.state IN ('active', 'idle in transaction'))::int AS active
                    FROM (SELECT 1) f
                    LEFT JOIN (SELECT *, (classid::bigint << 32) | objid::bigint AS k FROM pg_locks
                                WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())) l ON true`;
    while (!this.stopped) {
      const { rows } = await this.client.query(text, [TASK_RESULTS_LOCK_SPACE, AUDIT_LOCK_KEY]);
      const r = rows[0] as { feed_held: number; feed_waiting: number; audit_waiting: number; active: number };
      this.samples.push({ feedHeld: r.feed_held, feedWaiting: r.feed_waiting, auditWaiting: r.audit_waiting, active: r.active, poolWaiting: this.pool?.waitingCount ?? 0 });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<LockFigures> {
    this.stopped = true;
    await this.loop;
    await this.client.end();
    // Only the samples taken while the burst had transactions open.
    const busy = this.samples.filter((s) => s.active > 0 || s.poolWaiting > 0);
    const n = Math.max(1, busy.length);
    const avg = (f: (s: (typeof busy)[number]) => number) => busy.reduce((a, s) => a + f(s), 0) / n;
    return {
      samples: busy.length,
      feedHeldShare: avg((s) => (s.feedHeld > 0 ? 1 : 0)),
      feedWritersMean: avg((s) => s.feedHeld),
      feedWritersMax: Math.max(0, ...busy.map((s) => s.feedHeld)),
      feedWaitersMean: avg((s) => s.feedWaiting),
      feedWaitersMax: Math.max(0, ...busy.map((s) => s.feedWaiting)),
      auditWaitersMean: avg((s) => s.auditWaiting),
      auditWaitersMax: Math.max(0, ...busy.map((s) => s.auditWaiting)),
      activeMean: avg((s) => s.active),
      poolWaitingMean: avg((s) => s.poolWaiting),
    };
  }
}

function render(r: {
  settings: { pushBatches: number; pushClients: number; burstConnections: number; burstBatches: number; burstItems: number };
  bare: AuthorityPushFigures[];
  fast: AuthorityPushFigures[];
  library: AuthorityPushFigures[];
  bareRate: number;
  fastRate: number;
  libraryRate: number;
  durability: { rows: number; versions: number; expected: number };
  burst: AuthorityPushFigures;
  burstDurable: { rows: number; versions: number };
  locks: LockFigures;
  poolSize: number | null;
  config: GatewayConfig;
}): string {
  const n = (v: number) => Math.round(v).toLocaleString('en-US');
  const runs = (xs: AuthorityPushFigures[]) => xs.map((f) => n(f.itemsPerSecond)).join(', ');
  const p99s = (xs: AuthorityPushFigures[]) => xs.map((f) => n(f.p99)).join(', ');
  const cpu = (xs: AuthorityPushFigures[]) => n(xs.reduce((a, f) => a + (f.serverCpuUsPerItem ?? 0), 0) / xs.length);
  const l = r.locks;
  const feedBound = l.feedWaitersMean >= 1;
  const verdict = feedBound
    ? `writers of the change feed waited on one another: ${l.feedWaitersMean.toFixed(1)} on average (max ${l.feedWaitersMax})`
    : `writers of the change feed ran side by side: ${l.feedWritersMean.toFixed(1)} in flight on average (max ${l.feedWritersMax}), ${l.feedWaitersMean.toFixed(2)} waiting on another's lock; audit chain lock ${l.auditWaitersMean.toFixed(2)} waiters on average (max ${l.auditWaitersMax}); requests waiting for a pooled connection: ${l.poolWaitingMean.toFixed(1)} on average`;
  return [
    '## Authority, versions and the deadline burst (bench/authority.ts)',
    '',
    `Push: ${r.settings.pushBatches} batches × 1,000 new task results per run, ${r.settings.pushClients} clients, ASSIGNER connection (authority checks), audit and version history on. Runs in items/s, in the order they ran.`,
    '',
    '| scenario | items/s (mean) | runs | batch p99 ms | server CPU µs/item | ratio to bare https |',
    '|---|---:|---|---|---:|---:|',
    `| bare https baseline (reads, parses, answers) | ${n(r.bareRate)} | ${runs(r.bare)} | ${p99s(r.bare)} | ${cpu(r.bare)} | 1.00 |`,
    `| gateway, fast path on (as deployed) | ${n(r.fastRate)} | ${runs(r.fast)} | ${p99s(r.fast)} | ${cpu(r.fast)} | ${(r.fastRate / r.bareRate).toFixed(2)} |`,
    `| gateway, fast path off (library validation) | ${n(r.libraryRate)} | ${runs(r.library)} | ${p99s(r.library)} | ${cpu(r.library)} | ${(r.libraryRate / r.bareRate).toFixed(2)} |`,
    '',
    `Fast path on / off: **${(r.fastRate / r.libraryRate).toFixed(2)}×** (issue 18.2: fast-instance.ts, fast-validity.ts). Target ≥ 10,000 items/s with versions: ${r.fastRate >= 10_000 ? 'met' : '**missed**'}.`,
    `Durability: ${n(r.durability.rows)} rows and ${n(r.durability.versions)} kept versions for ${n(r.durability.expected)} items pushed.`,
    '',
    `Load average at the end: ${os.loadavg().map((v) => v.toFixed(1)).join(' / ')} on ${os.cpus().length} CPUs (the machine is shared: absolute rates move with it; compare within the run).`,
    '',
    `Deadline burst: ${r.settings.burstConnections} connections (own certificate and token each) push ${r.settings.burstBatches} batches of ${r.settings.burstItems} at once; gateway pool ${r.poolSize ?? '?'} connections.`,
    '',
    '| items/s | batches | batch p50 ms | batch p99 ms | max ms | rows / versions |',
    '|---:|---:|---:|---:|---:|---|',
    `| ${n(r.burst.itemsPerSecond)} | ${r.burst.batchesOk}/${r.burst.batches} | ${n(r.burst.p50)} | ${n(r.burst.p99)} | ${n(r.burst.max)} | ${n(r.burstDurable.rows)} / ${n(r.burstDurable.versions)} |`,
    '',
    `Locks during the burst (${l.samples} samples, every 20 ms): change-feed writers in flight in ${(l.feedHeldShare * 100).toFixed(0)}% of the samples, mean ${l.feedWritersMean.toFixed(1)} (max ${l.feedWritersMax}), waiting mean ${l.feedWaitersMean.toFixed(2)} (max ${l.feedWaitersMax}); audit chain lock waiters mean ${l.auditWaitersMean.toFixed(2)} (max ${l.auditWaitersMax}); backends in a transaction ${l.activeMean.toFixed(1)}; requests waiting for a pooled connection ${l.poolWaitingMean.toFixed(1)}.`,
    `Verdict: ${verdict}. Targets: p99 < 2 s ${r.burst.p99 < 2000 ? 'met' : '**missed**'}, ≥ 10,000 items/s ${r.burst.itemsPerSecond >= 10_000 ? 'met' : '**missed**'}.`,
    '',
  ].join('\n');
}

function runJob(child: ChildProcess, job: AuthorityPushJob): Promise<AuthorityPushFigures> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('authority load job gave no answer within 180 s')), 180_000);
    child.once('message', (message: { ok: boolean; figures?: AuthorityPushFigures; error?: string }) => {
      clearTimeout(timer);
      if (message.ok) resolve(message.figures!);
      else reject(new Error(`authority load job failed: ${message.error}`));
    });
    child.send(job);
  });
}

/** A bare HTTPS server with the gateway's TLS settings that reads and parses a batch and answers its summary. */
async function startBaseline(config: GatewayConfig): Promise<https.Server> {
  const server = https.createServer(
    { key: fs.readFileSync(config.TLS_SERVER_KEY), cert: fs.readFileSync(config.TLS_SERVER_CERT), ca: fs.readFileSync(config.TLS_CA_CERT), requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const items = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { items: unknown[] }).items;
        const body = JSON.stringify({ items: [], summary: { created: items.length, updated: 0, unchanged: 0, rejected: 0 } });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Connections ready for traffic, each with its certificate, ASSIGNER of task results for UNIT. */
async function registerAssigners(config: GatewayConfig, count: number): Promise<AuthorityTls[]> {
  const operator: INestApplicationContext = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: false });
  const ca = fs.readFileSync(config.TLS_CA_CERT, 'utf8');
  try {
    const clients: AuthorityTls[] = [];
    for (let i = 0; i < count; i++) {
      const keys = generateRsaKeyPair();
      const { certificate } = await operator.get(ConnectionsService).createReady({
        name: `authority bench ${i + 1}`,
        ownerUnit: UNIT,
        environment: 'test',
        scope: { dataSets: ['task-results'], directions: ['push', 'pull'], writeUnits: [UNIT], readUnits: [UNIT], roles: { 'task-results': 'ASSIGNER' } },
        certificateRequest: { publicKeyPem: keys.publicKeyPem, subject: { commonName: `authority bench ${i + 1}`, organization: UNIT } },
      });
      clients.push({ cert: certificate.certificatePem, key: keys.privateKeyPem, ca });
    }
    return clients;
  } finally {
    await operator.close();
  }
}

async function accessToken(baseUrl: string, tls: AuthorityTls): Promise<string> {
  const response = await request(`${baseUrl}/api/v1/oauth/token`, tls, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
  if (response.status !== 200) throw new Error(`token: HTTP ${response.status} ${response.body}`);
  return (JSON.parse(response.body.toString()) as { access_token: string }).access_token;
}

/** Standalone: its own database, the gateway configured as run.ts configures it. */
async function main(): Promise<number> {
  const root = path.resolve(import.meta.dirname, '../..');
  const databaseUrl = process.env.BENCH_AUTHORITY_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gateway_bench_authority';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-bench-authority-'));
  const unreachable = String(1_000_000_000);
  const t0 = performance.now();
  const log = (m: string) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${m}\n`);
  try {
    await recreateDatabase(databaseUrl);
    const config = loadGatewayConfig({
      NODE_ENV: 'test', DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE ?? '10', DATA_DIR: dataDir,
      TOKEN_SIGNING_SECRET: 'bench-only-signing-secret-0123456789abcdef',
      TLS_CA_CERT: path.join(root, 'certs-dev/ca/ca.crt.pem'), TLS_CA_KEY: path.join(root, 'certs-dev/ca/ca.key.pem'),
      TLS_SERVER_CERT: path.join(root, 'certs-dev/server/server.crt.pem'), TLS_SERVER_KEY: path.join(root, 'certs-dev/server/server.key.pem'),
      LOG_LEVEL: 'silent', QUOTA_READS_PER_MINUTE: unreachable, QUOTA_WRITES_PER_MINUTE: unreachable, QUOTA_READS_PER_DAY: unreachable,
      QUOTA_WRITES_PER_DAY: unreachable, ANOMALY_SPIKE_MIN_REQUESTS: unreachable, REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    });
    const result = await runAuthorityBench({ config, databaseUrl, log });
    process.stdout.write(`\n${result.markdown}\n`);
    for (const e of result.errors) log(`ERROR: ${e}`);
    for (const m of result.missedTargets) log(`target missed: ${m}`);
    return result.errors.length ? 1 : 0;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.dirname, 'authority.js')) {
  main().then(
    (code) => (process.exitCode = code),
    (error: Error) => {
      process.stderr.write(`${error.stack ?? error.message}\n`);
      process.exitCode = 1;
    },
  );
}
