/**
 * `npm run bench`: push and pull throughput of the data plane against a real PostgreSQL, with a
 * bare Node HTTPS server (same TLS settings, same response bytes) as the baseline of the same run.
 * See bench/README.md.
 */
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { createGatewayVariant, type GatewayVariant } from './gateway-variants.js';
import { CliModule } from '../src/cli/cli.module.js';
import { ConnectionsService } from '../src/connections/connections.service.js';
import { generateRsaKeyPair } from '../src/pki/certificate-authority.js';
import { type GatewayConfig, loadGatewayConfig } from '../src/shared/config/gateway-config.js';
import { cpuShares, cpuSnapshot, type CpuShares } from './cpu.js';
import { DEFAULT_BENCH_DATABASE_URL, recreateDatabase, sql } from './database.js';
import { request } from './https-client.js';
import type { Job, PullFigures, PushFigures, Tls } from './load.js';
import { type BenchResults, type PullRun, renderReport } from './report.js';
import { measureTripToRefusal, type TripFigures } from './trip.js';
import { runAuthorityBench } from './authority.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const int = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};
const settings = {
  databaseUrl: process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL,
  poolSize: int('BENCH_POOL_SIZE', 10),
  connections: int('BENCH_CONNECTIONS', 64),
  pullSeconds: int('BENCH_PULL_SECONDS', 10),
  warmupSeconds: int('BENCH_WARMUP_SECONDS', 2),
  pageSize: 100,
  batches: int('BENCH_BATCHES', 100),
  itemsPerBatch: 1000,
  pushClients: int('BENCH_PUSH_CLIENTS', 4),
  pushDeadlineMs: 90_000,
  /** Quotas and detector counts in Redis, as with several instances; '' counts in memory. */
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  tripTrials: int('BENCH_TRIP_TRIALS', 10),
  /** The whole run is killed past this: nothing may hang. The authority scenarios add about 3 minutes. */
  watchdogMs: process.env.BENCH_AUTHORITY === '0' ? 480_000 : 780_000,
};
const UNIT = 'Đảng ủy Bộ Khoa học và Công nghệ';
const PULL_PATH = `/api/v1/task-results?limit=${settings.pageSize}`;
const BATCH_PATH = '/api/v1/task-results/batch';

const log = (message: string) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${message}\n`);
const t0 = performance.now();
const n = (v: number) => Math.round(v).toLocaleString('en-US');

function gatewayConfig(dataDir: string): GatewayConfig {
  return loadGatewayConfig(gatewayEnv(dataDir));
}

function gatewayEnv(dataDir: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: settings.databaseUrl,
    DATABASE_POOL_SIZE: String(settings.poolSize),
    DATA_DIR: dataDir,
    TOKEN_SIGNING_SECRET: 'bench-only-signing-secret-0123456789abcdef',
    TLS_CA_CERT: path.join(ROOT, 'certs-dev/ca/ca.crt.pem'),
    TLS_CA_KEY: path.join(ROOT, 'certs-dev/ca/ca.key.pem'),
    TLS_SERVER_CERT: path.join(ROOT, 'certs-dev/server/server.crt.pem'),
    TLS_SERVER_KEY: path.join(ROOT, 'certs-dev/server/server.key.pem'),
    LOG_LEVEL: 'silent',
    // Capacity, not agreed limits, is measured: the per-connection quotas and the query-spike
    // detector still count every call, but at limits no run reaches (a fresh connection pulling
    // thousands of pages a minute would otherwise be refused with 429, then suspended).
    ...UNREACHABLE_LIMITS,
    ...(settings.redisUrl ? { REDIS_URL: settings.redisUrl } : {}),
  };
}

const UNREACHABLE = String(1_000_000_000);
export const UNREACHABLE_LIMITS = {
  QUOTA_READS_PER_MINUTE: UNREACHABLE,
  QUOTA_WRITES_PER_MINUTE: UNREACHABLE,
  QUOTA_READS_PER_DAY: UNREACHABLE,
  QUOTA_WRITES_PER_DAY: UNREACHABLE,
  ANOMALY_SPIKE_MIN_REQUESTS: UNREACHABLE,
};

async function startGateway(config: GatewayConfig, variant: GatewayVariant = 'everything on'): Promise<{ app: NestFastifyApplication; baseUrl: string }> {
  const app = await createGatewayVariant(config, variant);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, baseUrl: `https://127.0.0.1:${port}` };
}

/** The bare baseline: Node's https with the gateway's TLS settings, answering one fixed body. */
async function startBaseline(config: GatewayConfig, body: Buffer, contentType: string): Promise<{ server: https.Server; baseUrl: string }> {
  const server = https.createServer(
    {
      key: fs.readFileSync(config.TLS_SERVER_KEY),
      cert: fs.readFileSync(config.TLS_SERVER_CERT),
      ca: fs.readFileSync(config.TLS_CA_CERT),
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
    (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': contentType, 'content-length': body.length });
      res.end(body);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `https://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Runs one job in the load-generator process and returns its figures. */
function runJob<T>(child: ChildProcess, job: Job, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${job.kind} job gave no answer within ${timeoutMs} ms`)), timeoutMs);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`load generator exited (${code}) during a ${job.kind} job`));
    };
    child.once('exit', onExit);
    child.once('message', (message: { ok: boolean; figures?: T; error?: string }) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      if (message.ok) resolve(message.figures!);
      else reject(new Error(`${job.kind} job failed: ${message.error}`));
    });
    child.send(job);
  });
}

/**
 * Waits (5 s at most) until the gateway's database pool has had nothing in flight for 300 ms. When a
 * load run ends, the requests its clients abandoned are still being served; without this they would
 * overlap the next measured run, or meet a closing database pool.
 */
async function settle(app: NestFastifyApplication): Promise<void> {
  type Pool = { totalCount: number; idleCount: number; waitingCount: number };
  const pool = (app.get(DataSource).driver as unknown as { master?: Pool }).master;
  if (!pool || typeof pool.idleCount !== 'number') return void (await sleep(1000));
  const deadline = performance.now() + 5000;
  let quietSince = performance.now();
  while (performance.now() < deadline) {
    if (pool.waitingCount > 0 || pool.idleCount < pool.totalCount) quietSince = performance.now();
    else if (performance.now() - quietSince >= 300) return;
    await sleep(25);
  }
}

/** The commit measured, and whether src/ differed from it. */
function gatewayRevision(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = git('status', '--porcelain', '--', 'src').length > 0;
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes in src/' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** A job with the CPU the phase cost: this process (the server) and the machine's shares. */
async function measured<T>(child: ChildProcess, job: Job, timeoutMs: number): Promise<{ figures: T; serverCpuMs: number; cpu: CpuShares | null }> {
  const machineBefore = cpuSnapshot();
  const before = process.cpuUsage();
  const figures = await runJob<T>(child, job, timeoutMs);
  const used = process.cpuUsage(before);
  const cpu = cpuShares(machineBefore, cpuSnapshot(), process.pid, child.pid!);
  return { figures, serverCpuMs: (used.user + used.system) / 1000, cpu };
}

/**
 * Unhandled rejections raised inside the gateway during the run. Node would end the process on the
 * first one (as it would in production); the benchmark records them instead, reports them as errors
 * and carries on, so that the figures of the run are not lost.
 */
const gatewayFaults: string[] = [];
process.on('unhandledRejection', (reason) => {
  const text = reason instanceof Error ? (reason.stack ?? reason.message).split('\n').slice(0, 4).join(' | ') : String(reason);
  if (gatewayFaults.length < 20) gatewayFaults.push(text);
  log(`unhandled rejection in the gateway: ${text}`);
});

/** Registers connections ready for production traffic (as the CLI does), each with its client certificate. */
async function registerClients(config: GatewayConfig, name: string, count: number): Promise<Tls[]> {
  const operator: INestApplicationContext = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: false });
  const ca = fs.readFileSync(config.TLS_CA_CERT, 'utf8');
  try {
    const clients: Tls[] = [];
    for (let n = 0; n < count; n++) {
      const keys = generateRsaKeyPair();
      const { certificate } = await operator.get(ConnectionsService).createReady({
        name: count > 1 ? `${name} ${n + 1}` : name,
        ownerUnit: UNIT,
        environment: 'test',
        scope: { dataSets: ['task-results'], directions: ['push', 'pull'], writeUnits: [UNIT], readUnits: [UNIT] },
        certificateRequest: { publicKeyPem: keys.publicKeyPem, subject: { commonName: name, organization: UNIT } },
      });
      clients.push({ cert: certificate.certificatePem, key: keys.privateKeyPem, ca });
    }
    return clients;
  } finally {
    await operator.close();
  }
}

async function accessToken(baseUrl: string, tls: Tls): Promise<string> {
  const response = await request(`${baseUrl}/api/v1/oauth/token`, tls, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  if (response.status !== 200) throw new Error(`token: HTTP ${response.status} ${response.body}`);
  return JSON.parse(response.body.toString()).access_token as string;
}

/** A second gateway instance in its own process, sharing the database and Redis. */
async function startSecondInstance(env: Record<string, string>): Promise<{ baseUrl: string; stop: () => Promise<void> }> {
  const child = fork(path.join(import.meta.dirname, 'second-gateway.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const answer = await new Promise<{ ok: boolean; port?: number; error?: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the second instance did not start within 60 s')), 60_000);
    child.once('message', (message: { ok: boolean; port?: number; error?: string }) => {
      clearTimeout(timer);
      resolve(message);
    });
    child.once('exit', (code) => reject(new Error(`the second instance exited (${code}) while starting`)));
    child.send(env);
  });
  if (!answer.ok) throw new Error(`second instance: ${answer.error}`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    baseUrl: `https://127.0.0.1:${answer.port}`,
    stop: async () => {
      if (child.connected) child.send('stop');
      await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
    },
  };
}

async function main(): Promise<number> {
  const watchdog = setTimeout(() => {
    log(`still running after ${settings.watchdogMs / 1000} s: giving up`);
    process.exit(2);
  }, settings.watchdogMs);
  watchdog.unref();

  const loadAverageAtStart = os.loadavg()[0];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-bench-'));
  const config = gatewayConfig(dataDir);
  const closers: Array<() => Promise<unknown>> = [];
  const startLoadGenerator = () => fork(path.join(import.meta.dirname, 'load.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let child = startLoadGenerator();
  closers.push(async () => {
    if (child.connected) child.disconnect();
  });

  try {
    log(`recreating ${new URL(settings.databaseUrl).pathname.slice(1)}`);
    await recreateDatabase(settings.databaseUrl);

    log('starting the gateway (audit on)');
    let gateway = await startGateway(config);
    let closeGateway = () => gateway.app.close();
    closers.push(() => closeGateway());

    log('registering a connection and its client certificate');
    const [tls] = await registerClients(config, 'benchmark client', 1);
    const token = await accessToken(gateway.baseUrl, tls);
    const headers = { authorization: `Bearer ${token}` };

    // Push: also the seeding of the pull measurement.
    log(`push: ${settings.batches} batches of ${settings.itemsPerBatch} items, ${settings.pushClients} clients`);
    const pushRun = await measured<PushFigures>(
      child,
      {
        kind: 'push',
        url: `${gateway.baseUrl}${BATCH_PATH}`,
        token,
        tls,
        leadUnit: UNIT,
        batches: settings.batches,
        itemsPerBatch: settings.itemsPerBatch,
        concurrency: settings.pushClients,
        deadlineMs: settings.pushDeadlineMs,
        timeoutMs: 30_000,
      },
      settings.pushDeadlineMs + 60_000,
    );
    const push = pushRun.figures;
    log(`push: ${push.itemsPerSecond.toFixed(0)} items/s, ${push.failures.length} failures`);
    // The pulls get a load generator of their own: after the push, this one spent up to three
    // times the CPU on each pull request (0.9 against 0.3 ms for the same work), starving the
    // server beside it; a fresh process does not (why, whether its heap or its JIT, is not known).
    child.disconnect();
    child = startLoadGenerator();
    for (const failure of push.failures.slice(0, 5)) log(`  ${failure}`);

    const [{ rows }] = await sql<{ rows: string }>(settings.databaseUrl, `SELECT count(*) AS rows FROM task_results WHERE task_code LIKE 'BENCH\\_%'`);
    const [{ entries }] = await sql<{ entries: string }>(
      settings.databaseUrl,
      `SELECT count(*) AS entries FROM audit_entries WHERE method = 'POST' AND path = $1 AND status_code = 200`,
      [BATCH_PATH],
    );
    const durability = { expectedRows: push.itemsCreated, rows: Number(rows), expectedAuditEntries: push.batchesOk, auditEntries: Number(entries) };

    // A bulk load leaves the table without planner statistics until autovacuum's next round (up to
    // a minute): pulls measured now would measure that. One page is timed before and after ANALYZE.
    const timedPage = async () => {
      const started = performance.now();
      const response = await request(`${gateway.baseUrl}${PULL_PATH}`, tls, { headers });
      if (response.status !== 200) throw new Error(`pull page: HTTP ${response.status} ${response.body.toString().slice(0, 300)}`);
      return { response, ms: performance.now() - started };
    };
    const [{ analyzed }] = await sql<{ analyzed: Date | null }>(
      settings.databaseUrl,
      `SELECT coalesce(last_analyze, last_autoanalyze) AS analyzed FROM pg_stat_user_tables WHERE relname = 'task_results'`,
    );
    const beforeAnalyze = analyzed ? null : await timedPage();
    await sql(settings.databaseUrl, 'ANALYZE task_results');
    await timedPage(); // a fresh TLS connection each time: take the second one after ANALYZE
    const afterAnalyze = await timedPage();
    log(`one page: ${beforeAnalyze ? `${beforeAnalyze.ms.toFixed(0)} ms before ANALYZE, ` : ''}${afterAnalyze.ms.toFixed(0)} ms after`);

    // One real page, for the baseline to serve byte for byte.
    const page = afterAnalyze.response;
    const pageItems = (JSON.parse(page.body.toString()) as { items: unknown[] }).items.length;
    if (pageItems !== settings.pageSize) throw new Error(`pull page holds ${pageItems} items, expected ${settings.pageSize}`);
    const contentType = String(page.headers['content-type'] ?? 'application/json; charset=utf-8');

    const pullJob = (baseUrl: string, perConnection: number, capSeconds: number): Job => ({
      kind: 'pull',
      url: `${baseUrl}${PULL_PATH}`,
      headers,
      tls,
      connections: settings.connections,
      perConnection,
      capSeconds,
    });
    const perConnectionFor = (rps: number, seconds: number) => Math.max(2, Math.round((rps * seconds) / settings.connections));
    /**
     * Each run is a number of requests per connection rather than a duration, so that it ends after
     * the last answers instead of abandoning 64 requests in flight: a short probe gives the rate,
     * a warm-up of about BENCH_WARMUP_SECONDS follows, then the measured run of about BENCH_PULL_SECONDS.
     */
    const describe = (f: PullFigures) => `${n(f.requests)} requests in ${f.seconds.toFixed(1)} s (${n(f.rps)} req/s)`;
    const measurePull = async (name: string, baseUrl: string, app?: NestFastifyApplication): Promise<PullRun> => {
      const probe = await runJob<PullFigures>(child, pullJob(baseUrl, 2, 15), 45_000);
      if (app) await settle(app);
      const warmCap = Math.max(10, settings.warmupSeconds * 3);
      // The probe is mostly 64 TLS handshakes, so it understates the rate: at least 4 per connection.
      const warmPerConnection = Math.max(4, perConnectionFor(probe.rps, settings.warmupSeconds));
      const warm = await runJob<PullFigures>(child, pullJob(baseUrl, warmPerConnection, warmCap), warmCap * 1000 + 30_000);
      if (app) await settle(app);
      log(`${name}: probe ${describe(probe)}, warm-up ${describe(warm)}`);
      const capSeconds = settings.pullSeconds * 3;
      let perConnection = perConnectionFor(warm.rps, settings.pullSeconds);
      let run = await measured<PullFigures>(child, pullJob(baseUrl, perConnection, capSeconds), capSeconds * 1000 + 30_000);
      if (app) await settle(app);
      // Short runs understate the rate (64 handshakes weigh more), and a neighbour's load may come
      // or go: a run much shorter than asked for is redone, resized, twice at most.
      for (let redo = 0; redo < 2 && run.figures.seconds < settings.pullSeconds * 0.8; redo++) {
        log(`${name}: measured ${describe(run.figures)}, too short: again`);
        perConnection = Math.max(perConnection + 1, Math.round(perConnection * (settings.pullSeconds / Math.max(0.1, run.figures.seconds)) * 1.1));
        run = await measured<PullFigures>(child, pullJob(baseUrl, perConnection, capSeconds), capSeconds * 1000 + 30_000);
        if (app) await settle(app);
      }
      log(`${name}: measured ${describe(run.figures)}, p50 ${run.figures.p50} ms, p99 ${run.figures.p99} ms`);
      return { ...run.figures, perConnection, serverCpuMsPerRequest: run.serverCpuMs / Math.max(1, run.figures.requests), cpu: run.cpu };
    };

    // The bare baseline is measured twice, before the gateway runs and after them, and compared with
    // the two gateway runs with everything on: on a shared machine the capacity left to a benchmark
    // drifts by a factor of two or three within minutes, and a single baseline at the start would
    // blame that drift on the gateway (or credit it to it).
    log(`pull baseline: bare https, ${page.body.length} bytes per response, ${settings.connections} connections`);
    const baseline = await startBaseline(config, page.body, contentType);
    let baselinePull: PullRun;
    let baselineAgainPull: PullRun;
    let unauditedPull: PullRun;
    let unsecuredPull: PullRun;
    let unsecuredAgainPull: PullRun;
    let gatewayRepeatPull: PullRun;
    let gatewayPull: PullRun;
    // Each variant runs after the previous gateway is closed: @nestjs/passport registers
    // strategies on the process-wide passport singleton, so two gateways alive in one process
    // would share the last one's token strategy (and its database pool).
    let gatewayOpen = true;
    const closeCurrentGateway = async () => {
      if (!gatewayOpen) return;
      gatewayOpen = false;
      closeGateway = async () => undefined;
      await gateway.app.close();
    };
    const variant = async (name: string, which: GatewayVariant): Promise<PullRun> => {
      await closeCurrentGateway();
      log(`starting a gateway ${name}`);
      gateway = await startGateway(config, which);
      gatewayOpen = true;
      closeGateway = () => gateway.app.close();
      return measurePull(`pull gateway ${name}`, gateway.baseUrl, gateway.app);
    };
    try {
      baselinePull = await measurePull('pull baseline', baseline.baseUrl);
      // Every pulling gateway starts fresh, this one too: the one that took the push pulled 16–29%
      // slower than the fresh one measured after it, in three runs out of three, and that would be
      // charged to whichever variant came first.
      gatewayPull = await variant('with everything on', 'everything on');
      unauditedPull = await variant('without the audit hook', 'without the audit');
      unsecuredPull = await variant('without quotas and detection', 'without quotas and detection');
      // Everything on once more, right after the run without security: its difference from the first
      // shows how much two runs of the same gateway differ, and the security ratio uses both.
      gatewayRepeatPull = await variant('with everything on, again', 'everything on');
      // And without security once more: on, off, on, off, so that both sides of the security ratio
      // are the mean of two runs spread over the same minutes.
      unsecuredAgainPull = await variant('without quotas and detection, again', 'without quotas and detection');
      // Closed first: the bare server's CPU is counted on this process, where a gateway's timers
      // (the audit seal, once a minute) would otherwise run inside the measurement.
      await closeCurrentGateway();
      baselineAgainPull = await measurePull('pull baseline, again', baseline.baseUrl);
    } finally {
      baseline.server.closeAllConnections();
      await new Promise((resolve) => baseline.server.close(resolve));
    }
    const uncachedPull = await variant('without the page cache', 'without the page cache');

    // Trip to refusal: the gateway now running (everything on but the page cache) and a second
    // instance in another process, sharing the database and Redis.
    log(`trip to refusal: ${settings.tripTrials} connections, each cut off on one instance and watched on the other`);
    const second = await startSecondInstance(gatewayEnv(dataDir));
    let trip: TripFigures;
    try {
      const tripClients = await registerClients(config, 'benchmark trip', settings.tripTrials);
      const withTokens = await Promise.all(tripClients.map(async (t) => ({ tls: t, token: await accessToken(gateway.baseUrl, t) })));
      trip = await measureTripToRefusal(gateway.baseUrl, second.baseUrl, withTokens);
    } finally {
      await second.stop();
    }
    log(`trip to refusal: ${trip.tripped}/${trip.trials} tripped, delays ${trip.delaysMs.map((d) => d.toFixed(0)).join(', ')} ms`);

    // Authority scenarios (bench/authority.ts) start a gateway of their own: this one is closed first.
    await closeCurrentGateway();
    const authority = process.env.BENCH_AUTHORITY === '0' ? null : await runAuthorityBench({ config, databaseUrl: settings.databaseUrl, log });

    const [{ server_version: postgres }] = await sql<{ server_version: string }>(settings.databaseUrl, 'SHOW server_version');
    const results: BenchResults = {
      at: new Date(),
      environment: {
        node: process.version,
        cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}`,
        postgres,
        poolSize: settings.poolSize,
        revision: gatewayRevision(),
        loadAverageAtStart,
        loadAverageAtEnd: os.loadavg()[0],
      },
      pull: {
        path: PULL_PATH,
        connections: settings.connections,
        seconds: settings.pullSeconds,
        warmupSeconds: settings.warmupSeconds,
        responseBytes: page.body.length,
        singlePageMs: { beforeAnalyze: beforeAnalyze?.ms ?? null, afterAnalyze: afterAnalyze.ms },
        baseline: baselinePull,
        baselineAgain: baselineAgainPull,
        gateway: gatewayPull,
        gatewayRepeat: gatewayRepeatPull,
        unaudited: unauditedPull,
        unsecured: unsecuredPull,
        unsecuredAgain: unsecuredAgainPull,
        uncached: uncachedPull,
      },
      push: { ...push, serverCpuMsPerItem: pushRun.serverCpuMs / Math.max(1, push.itemsCreated), cpu: pushRun.cpu, path: BATCH_PATH, batches: settings.batches, itemsPerBatch: settings.itemsPerBatch, clients: settings.pushClients },
      durability,
      trip: { ...trip, redis: Boolean(settings.redisUrl) },
      gatewayFaults,
    };
    const rendered = renderReport(results);
    const report = authority ? `${rendered.markdown}\n${authority.markdown}` : rendered.markdown;
    const errors = [...rendered.errors, ...(authority?.errors ?? [])];
    const missedTargets = [...rendered.missedTargets, ...(authority?.missedTargets ?? [])];
    process.stdout.write(`\n${report}\n`);
    const out = path.join(ROOT, 'bench/results/latest.md');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, report);
    log(`written to ${path.relative(process.cwd(), out)}`);
    for (const error of errors) log(`ERROR: ${error}`);
    for (const missed of missedTargets) log(`target missed: ${missed}`);
    return errors.length > 0 || (process.env.BENCH_STRICT === '1' && missedTargets.length > 0) ? 1 : 0;
  } finally {
    for (const close of closers.reverse()) await close().catch((error: Error) => log(`closing: ${error.message}`));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    log(`failed: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  },
);
