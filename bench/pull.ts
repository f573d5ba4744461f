/**
 * `npm run bench:pull`: the cached pull (the head of the feed, a real ~70 KB Vietnamese page)
 * against a bare Node https server and nginx serving the same bytes, every server in its own
 * process, driven by bench/tls-load.ts. The main figure is CPU per request of the server plus
 * PostgreSQL (the bench database's backends) plus Redis (a redis-server of the bench's own), beside
 * req/s; each run says whether the load generator saturated the server. See bench/README.md.
 */
import 'reflect-metadata';
import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { recreateDatabase, sql } from './database.js';
import { postgresBin, startOwnPostgres } from './own-postgres.js';
import { perfTop, perfUnavailable, startPerf } from './perf-profile.js';
import { resetStatements, topStatements } from './pg-statements.js';
import { request } from './https-client.js';
import { benchTaskResult } from './items.js';
import type { Tls } from './load.js';
import { UNIT, registerClient } from './register-client.js';
import type { BareServerJob } from './serve.js';
import type { GatewayVariant } from './gateway-variants.js';
import type { GatewayVariantJob } from './serve-gateway-variant.js';
import type { TlsLoadFigures, TlsLoadJob } from './tls-load.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIST = path.resolve(import.meta.dirname, '..');
const int = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
};
const settings = {
  databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gateway_bench_pull',
  /** `own`: a throwaway cluster sized for the data (own-postgres.ts), the default; `shared`: BENCH_DATABASE_URL's. */
  postgres: process.env.BENCH_POSTGRES ?? (process.env.BENCH_DATABASE_URL ? 'shared' : 'own'),
  pgSharedBuffers: process.env.BENCH_PG_SHARED_BUFFERS ?? '1GB',
  /** Log PostgreSQL's top statements of each measured window (pg_stat_statements, own cluster). */
  pgStatements: process.env.BENCH_PG_STATEMENTS === '1',
  connections: int('BENCH_CONNECTIONS', 64),
  seconds: int('BENCH_PULL_SECONDS', 8),
  warmupSeconds: int('BENCH_WARMUP_SECONDS', 2),
  /** And at least this many answers (tls-load.ts says why): a built page's server gets 2 s of warm-up no more than a bare one. */
  warmupRequests: int('BENCH_WARMUP_REQUESTS', 5000),
  rounds: int('BENCH_ROUNDS', 2),
  loadProcesses: int('BENCH_LOAD_PROCESSES', 1),
  /** Which servers to run, in order, each round. */
  servers: (process.env.BENCH_SERVERS ?? 'bare,nginx,nest,gateway,gateway-2,gateway-history').split(',').map((s) => s.trim()),
  /** A folder: every gateway process writes a V8 CPU profile there (node --cpu-prof). */
  cpuProfDir: process.env.BENCH_CPU_PROF ?? '',
  /** A folder: perf records each gateway run's window there, and the log gets its top symbols (perf-profile.ts). */
  perfDir: process.env.BENCH_PERF ?? '',
  poolSize: int('BENCH_POOL_SIZE', 10),
  /** Records a gateway-history consumer pages through from the start (issue 19.3: 100,000). */
  historyRecords: int('BENCH_HISTORY_RECORDS', 100_000),
  /** Another build's main.js (e.g. of the commit before a change): the servers `gateway-before`, `gateway-2-before` and `gateway-history-before` run it. */
  beforeMain: process.env.BENCH_BEFORE_MAIN ?? '',
  /** Node's flags for every gateway process: those `npm start` gives (package.json), unless BENCH_GATEWAY_NODE_FLAGS says otherwise ('' for none). */
  gatewayNodeFlags: (process.env.BENCH_GATEWAY_NODE_FLAGS ?? startScriptNodeFlags()).split(' ').filter(Boolean),
};
/** The flags between `node` and `dist/main.js` in package.json's start script: the gateway as production starts it. */
function startScriptNodeFlags(): string {
  const start: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.start;
  const flags = /\bnode((?: --\S+)*) dist\/main\.js/.exec(start);
  if (!flags) throw new Error(`package.json's start script is not "node [flags] dist/main.js": ${start}`);
  return flags[1];
}
const PULL_PATH = '/api/v1/task-results?limit=100';
const TICKS = 100; // USER_HZ
const t0 = performance.now();
const log = (m: string) => process.stderr.write(`[pull ${((performance.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${m}\n`);

// ---- processes and their CPU, from /proc --------------------------------------------------------

interface ProcStat {
  ppid: number;
  ticks: number;
  comm: string;
}
function procTable(): Map<number, ProcStat> {
  const table = new Map<number, ProcStat>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      table.set(Number(entry), { comm: stat.slice(stat.indexOf('(') + 1, close), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // ended meanwhile
    }
  }
  return table;
}
function machineBusy(): number {
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return cpu.reduce((a, b) => a + b, 0) - cpu[3] - (cpu[4] ?? 0);
}
/** A process and all its descendants (cluster workers, nginx's worker). */
function tree(table: Map<number, ProcStat>, root: number): Set<number> {
  const pids = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, { ppid }] of table) if (pids.has(ppid) && !pids.has(pid)) (pids.add(pid), (grew = true));
  }
  return pids;
}
const ticksOf = (table: Map<number, ProcStat>, pids: Iterable<number>) => [...pids].reduce((sum, pid) => sum + (table.get(pid)?.ticks ?? 0), 0);

// ---- the servers ---------------------------------------------------------------------------------

interface Server {
  name: string;
  port: number;
  pid: number;
  /** Processes that count as the server (its tree). */
  usesDatabase: boolean;
  stop: () => Promise<void>;
}

/**
 * A free loopback port below the kernel's ephemeral range (ip_local_port_range). A port the kernel
 * picks (listen on 0) is from that range, and between the check and the server's listen an
 * outgoing connection (the gateway's own pool to PostgreSQL, say) may take it as its local port:
 * one run here failed with EADDRINUSE that way. A port handed out is not handed out again.
 */
const handedOut = new Set<number>();
async function freePort(): Promise<number> {
  const [ephemeralFrom] = fs.existsSync('/proc/sys/net/ipv4/ip_local_port_range')
    ? fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number)
    : [32_768];
  const low = 10_000;
  const high = Math.max(low + 1_000, ephemeralFrom);
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (!handedOut.has(port) && (await canListen(port))) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free loopback port found between ${low} and ${high}`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}
async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  await Promise.race([exited(child), sleep(15_000).then(() => child.kill('SIGKILL'))]);
}

async function startRedis(dir: string): Promise<{ url: string; pid: number; stop: () => Promise<void> } | null> {
  const port = await freePort();
  let child: ChildProcess;
  try {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const failed = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(true));
    const poll = async () => {
      for (let i = 0; i < 50; i++) {
        const ok = await new Promise<boolean>((r) => {
          const s = net.connect(port, '127.0.0.1', () => (s.end(), r(true)));
          s.on('error', () => r(false));
        });
        if (ok) return resolve(false);
        await sleep(100);
      }
      resolve(true);
    };
    void poll();
  });
  if (failed) return null;
  return { url: `redis://127.0.0.1:${port}`, pid: child.pid!, stop: () => stopChild(child) };
}

function gatewayEnv(dataDir: string, redisUrl: string | undefined): Record<string, string> {
  const never = String(1_000_000_000);
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
    // Capacity, not the agreed limits: every call is still counted, at limits no run reaches.
    QUOTA_READS_PER_MINUTE: never,
    QUOTA_WRITES_PER_MINUTE: never,
    QUOTA_READS_PER_DAY: never,
    QUOTA_WRITES_PER_DAY: never,
    ANOMALY_SPIKE_MIN_REQUESTS: never,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  };
}

/** The gateway as production starts it (dist main.js), with WORKERS processes. */
async function startGateway(env: Record<string, string>, workers: number, profileTag: string, mainJs = path.join(DIST, 'src/main.js')): Promise<Server> {
  const [dataPort, controlPort, opsPort] = [await freePort(), await freePort(), await freePort()];
  const execArgv = settings.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(settings.cpuProfDir, profileTag)] : [];
  if (settings.perfDir) execArgv.push('--perf-basic-prof');
  execArgv.push(...settings.gatewayNodeFlags);
  const child = spawn(process.execPath, [...execArgv, mainJs], {
    env: { ...process.env, ...env, DATA_PLANE_PORT: String(dataPort), CONTROL_PLANE_PORT: String(controlPort), OPS_PORT: String(opsPort), WORKERS: String(workers), LOG_LEVEL: 'info', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let listening = 0;
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway (${workers} workers) not listening after 240 s:\n${output.slice(-2000)}`)), 240_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (output.length < 100_000) output += text;
      listening += text.split('Operations (health, metrics) listening').length - 1;
      if (listening >= workers) (clearTimeout(timer), resolve());
    });
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`gateway exited (${code}) while starting:\n${output.slice(-2000)}`))));
  });
  child.stdout!.resume();
  return { name: workers > 1 ? `gateway, ${workers} processes` : 'gateway', port: dataPort, pid: child.pid!, usesDatabase: true, stop: () => stopChild(child) };
}

/** The ablation servers: the data plane alone, whole or with one part left out (serve-gateway-variant.ts). */
const GATEWAY_PARTS: Record<string, { variant: GatewayVariant; name: string; logLevel?: string }> = {
  'gateway-parts': { variant: 'everything on', name: 'gateway, data plane alone (the parts below left in)' },
  'gateway-no-audit': { variant: 'without the audit', name: 'gateway, data plane alone, without the audit write' },
  'gateway-held-audit': { variant: 'audit held, not written', name: 'gateway, data plane alone, audit held but not written' },
  'gateway-no-security': { variant: 'without quotas and detection', name: 'gateway, data plane alone, without quotas and detection' },
  // By configuration: at LOG_LEVEL warn the data plane writes no access line (request-observer.hook.ts).
  'gateway-no-access-log': { variant: 'everything on', name: 'gateway, data plane alone, without the access log line', logLevel: 'warn' },
};

async function startGatewayPart(env: Record<string, string>, kind: string): Promise<Server> {
  const { variant, name, logLevel = 'info' } = GATEWAY_PARTS[kind];
  const execArgv = [...(settings.perfDir ? ['--perf-basic-prof'] : []), ...settings.gatewayNodeFlags];
  const job: GatewayVariantJob = { env: { ...env, LOG_LEVEL: logLevel }, variant };
  return startForked('serve-gateway-variant.js', name, job, { execArgv, usesDatabase: true });
}

const startBare = (job: BareServerJob, script = 'serve.js', name = 'bare Node https') => startForked(script, name, job);

/**
 * A server in a process of its own, forked from one of the bench's scripts: it gets `job` over IPC
 * and answers with its port. Its stdout (a gateway's access lines) is dropped.
 */
async function startForked(script: string, name: string, job: object, options: { execArgv?: string[]; usesDatabase?: boolean } = {}): Promise<Server> {
  const child = fork(path.join(import.meta.dirname, script), [], { execArgv: options.execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m));
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) while starting`)));
    child.send(job);
  });
  return { name, port, pid: child.pid!, usesDatabase: options.usesDatabase ?? false, stop: () => stopChild(child) };
}

function nginxBinary(): string | null {
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (fs.existsSync(candidate)) return candidate;
  return null;
}

/** nginx, one worker, same certificate, key and CA, answering the same bytes on loopback. */
async function startNginx(dir: string, job: BareServerJob): Promise<Server> {
  const port = await freePort();
  const root = fs.mkdtempSync(path.join(dir, 'nginx-'));
  fs.chmodSync(root, 0o755);
  fs.copyFileSync(job.bodyFile, path.join(root, 'page.json'));
  const conf = path.join(root, 'nginx.conf');
  const temp = (name: string) => `${name}_temp_path ${path.join(root, name)};`;
  fs.writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
${process.getuid?.() === 0 ? 'user root;' : ''}
pid ${path.join(root, 'nginx.pid')};
error_log ${path.join(root, 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${job.cert};
    ssl_certificate_key ${job.key};
    ssl_client_certificate ${job.ca};
    ssl_verify_client on;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {
      root ${root};
      types { }
      default_type "${job.contentType}";
      try_files /page.json =404;
    }
  }
}
`,
  );
  const child = spawn(nginxBinary()!, ['-c', conf, '-p', root, '-e', path.join(root, 'error.log')], { stdio: ['ignore', 'inherit', 'inherit'] });
  for (let i = 0; i < 50; i++) {
    const up = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1', () => (s.end(), r(true)));
      s.on('error', () => r(false));
    });
    if (up) break;
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${fs.readFileSync(path.join(root, 'error.log'), 'utf8').slice(-500)}`);
    await sleep(100);
  }
  return { name: 'nginx, 1 worker', port, pid: child.pid!, usesDatabase: false, stop: () => stopChild(child, 'SIGQUIT') };
}

// ---- one measured run ----------------------------------------------------------------------------

interface Run {
  server: string;
  round: number;
  load: TlsLoadFigures;
  /** Percent of one core over the measured window. */
  serverCpu: number;
  /** The server's CPU with no load, before the run. */
  idleCpu: number;
  clientCpu: number;
  postgresCpu: number;
  redisCpu: number;
  machineCpu: number;
  /** CPU per request, µs. */
  serverUs: number;
  postgresUs: number;
  redisUs: number;
  weak: string | null;
}

async function backendPids(monitor: pg.Client, database: string): Promise<number[]> {
  const { rows } = await monitor.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
  return rows.map((r) => r.pid);
}

async function measure(server: Server, round: number, tls: Tls, headers: Record<string, string>, monitor: pg.Client, database: string, redisPid: number | null, followCursor = false): Promise<Run> {
  const share = Math.ceil(settings.connections / settings.loadProcesses);
  const job: TlsLoadJob = { host: '127.0.0.1', port: server.port, path: PULL_PATH, headers, tls, connections: share, warmupSeconds: settings.warmupSeconds, warmupRequests: Math.ceil(settings.warmupRequests / settings.loadProcesses), seconds: settings.seconds, followCursor };
  // What the server burns with no load at all (timers, background work), over 2 s: shown apart,
  // since at a low rate it weighs on every request's share.
  const idleBefore = { table: procTable(), at: performance.now() };
  await sleep(2000);
  const idleAfter = procTable();
  const idleCpu = ((ticksOf(idleAfter, tree(idleAfter, server.pid)) - ticksOf(idleBefore.table, tree(idleAfter, server.pid))) / TICKS / ((performance.now() - idleBefore.at) / 1000)) * 100;

  const clients = Array.from({ length: settings.loadProcesses }, () => fork(path.join(import.meta.dirname, 'tls-load.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  // The window is the load generators': it starts once every connection has answered after the
  // warm-up (all of them, with several processes), and ends when the first one stops measuring.
  let windowStarts = 0;
  let startWindow!: () => void;
  let endWindow!: () => void;
  const windowStarted = new Promise<void>((resolve) => (startWindow = resolve));
  const windowEnded = new Promise<void>((resolve) => (endWindow = resolve));
  const answers = clients.map(
    (child) =>
      new Promise<TlsLoadFigures>((resolve, reject) => {
        child.on('message', (m: { window?: 'start' | 'end'; ok?: boolean; figures?: TlsLoadFigures; error?: string }) => {
          if (m.window === 'start' && ++windowStarts === clients.length) startWindow();
          else if (m.window === 'end') endWindow();
          else if (m.window === undefined) {
            endWindow();
            if (m.ok) resolve(m.figures!);
            else reject(new Error(m.error));
          }
        });
        child.once('exit', (code) => reject(new Error(`load generator exited (${code})`)));
        child.send(job);
      }),
  );
  await Promise.race([windowStarted, windowEnded]);
  const statements = settings.pgStatements && server.usesDatabase && settings.postgres === 'own';
  if (statements) await resetStatements(monitor);
  const pgBefore = server.usesDatabase ? await backendPids(monitor, database) : [];
  const perf = settings.perfDir && server.usesDatabase ? startPerf(settings.perfDir, `round${round}-${server.name.replace(/\W+/g, '-')}`) : null;
  const before = { table: procTable(), busy: machineBusy(), at: performance.now() };
  await windowEnded;
  const after = { table: procTable(), busy: machineBusy(), at: performance.now() };
  await perf?.stop();
  const figuresEach = await Promise.all(answers);
  if (statements) log(`PostgreSQL's top statements in ${server.name}'s window:\n${await topStatements(monitor, figuresEach.reduce((n, f) => n + f.requests, 0))}`);
  for (const child of clients) child.disconnect();
  const pgAfter = server.usesDatabase ? await backendPids(monitor, database) : [];
  if (perf) {
    log(`perf, ${server.name}'s processes (${perf.file}):\n${perfTop(perf.file, [...tree(after.table, server.pid)])}`);
    log(`perf, its PostgreSQL backends:\n${perfTop(perf.file, [...new Set([...pgBefore, ...pgAfter])])}`);
  }
  const wall = (after.at - before.at) / 1000;
  const percent = (pids: Iterable<number>) => {
    const list = [...pids];
    return ((ticksOf(after.table, list) - ticksOf(before.table, list)) / TICKS / wall) * 100;
  };
  const serverCpu = percent(tree(after.table, server.pid));
  const clientCpu = percent(clients.map((c) => c.pid!));
  const postgresCpu = server.usesDatabase ? percent(new Set([...pgBefore, ...pgAfter])) : 0;
  const redisCpu = server.usesDatabase && redisPid ? percent([redisPid]) : 0;
  const machineCpu = ((after.busy - before.busy) / TICKS / wall) * 100;
  const load: TlsLoadFigures = {
    requests: figuresEach.reduce((s, f) => s + f.requests, 0),
    seconds: Math.max(...figuresEach.map((f) => f.seconds)),
    rps: figuresEach.reduce((s, f) => s + f.rps, 0),
    p50: Math.max(...figuresEach.map((f) => f.p50)),
    p99: Math.max(...figuresEach.map((f) => f.p99)),
    bytesPerRequest: figuresEach[0].bytesPerRequest,
    statusCodes: figuresEach.reduce<Record<string, number>>((all, f) => {
      for (const [code, count] of Object.entries(f.statusCodes)) all[code] = (all[code] ?? 0) + count;
      return all;
    }, {}),
    errors: figuresEach.flatMap((f) => f.errors),
    cpuPercent: clientCpu,
    reconnects: figuresEach.reduce((s, f) => s + f.reconnects, 0),
  };
  const perRequest = (cpuPercent: number) => ((cpuPercent / 100) * 1e6) / Math.max(1, load.rps);
  // Saturated: the server used (nearly) all the cores it may use. Weak otherwise, with the reason.
  const serverProcesses = server.name.includes('2 processes') ? 2 : 1;
  const cores = os.cpus().length;
  let weak: string | null = null;
  if (serverCpu < 85 * serverProcesses) {
    if (clientCpu >= 85 * settings.loadProcesses) weak = `client-bound (client ${clientCpu.toFixed(0)}% of ${settings.loadProcesses} core(s), server ${serverCpu.toFixed(0)}%)`;
    else if (machineCpu >= cores * 100 * 0.92) weak = `machine full (${machineCpu.toFixed(0)}% of ${cores * 100}%: client, PostgreSQL or neighbours)`;
    else if (serverProcesses === 1) weak = `server not saturated (${serverCpu.toFixed(0)}%; waiting on PostgreSQL/Redis?)`;
  }
  return { server: server.name, round, load, serverCpu, idleCpu, clientCpu, postgresCpu, redisCpu, machineCpu, serverUs: perRequest(serverCpu), postgresUs: perRequest(postgresCpu), redisUs: perRequest(redisCpu), weak };
}

// ---- the run -------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const watchdog = setTimeout(() => (log('watchdog: 15 minutes, giving up'), process.exit(2)), 15 * 60_000);
  watchdog.unref();
  const perfProblem = settings.perfDir ? perfUnavailable() : null;
  if (perfProblem) {
    log(`${perfProblem}: BENCH_PERF left out`);
    settings.perfDir = '';
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-bench-pull-'));
  const database = new URL(settings.databaseUrl).pathname.slice(1);
  const stops: Array<() => Promise<void>> = [];
  try {
    const bin = settings.postgres === 'own' ? postgresBin() : null;
    if (bin) {
      const own = await startOwnPostgres(bin, await freePort(), database, settings.pgSharedBuffers, settings.pgStatements);
      stops.push(own.stop);
      settings.databaseUrl = own.url;
      log(`own PostgreSQL cluster (${bin}, shared_buffers ${settings.pgSharedBuffers}) at ${own.url}`);
    } else {
      if (settings.postgres === 'own') log('no initdb found: the bench uses BENCH_DATABASE_URL\'s cluster');
      log(`recreating ${database}`);
      await recreateDatabase(settings.databaseUrl);
    }
    const redis = await startRedis(dir);
    if (redis) stops.push(redis.stop);
    log(redis ? `own redis-server at ${redis.url}` : 'redis-server not found: quotas counted in memory, Redis column empty');
    const env = gatewayEnv(path.join(dir, 'data'), redis?.url);

    log('starting the gateway once to migrate, seed and take one page');
    let gateway = await startGateway(env, 1, 'seed');
    const baseUrl = `https://127.0.0.1:${gateway.port}`;
    const tls = await registerClient(env, 'benchmark pull client');
    const tokenResponse = await request(`${baseUrl}/api/v1/oauth/token`, tls, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    if (tokenResponse.status !== 200) throw new Error(`token: HTTP ${tokenResponse.status} ${tokenResponse.body}`);
    const headers = { authorization: `Bearer ${JSON.parse(tokenResponse.body.toString()).access_token}` };
    // 1,000 records for the cached page; the history a consumer syncs from the start when a
    // gateway-history server runs (BENCH_HISTORY_RECORDS), pushed 1,000 a batch, 4 at a time.
    const records = settings.servers.some((k) => k.startsWith('gateway-history')) ? Math.max(1000, settings.historyRecords) : 1000;
    const batches = Array.from({ length: Math.ceil(records / 1000) }, (_, b) => b);
    log(`seeding ${records.toLocaleString('en-US')} task results`);
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let batch = batches.shift(); batch !== undefined; batch = batches.shift()) {
          const count = Math.min(1000, records - batch * 1000);
          const body = JSON.stringify({ items: Array.from({ length: count }, (_, i) => benchTaskResult(batch, i, UNIT)) });
          const pushed = await request(`${baseUrl}/api/v1/task-results/batch`, tls, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
          if (pushed.status !== 200) throw new Error(`seed: HTTP ${pushed.status} ${pushed.body.toString().slice(0, 300)}`);
        }
      }),
    );
    // Statistics, as a live table has them (autovacuum analyzes a table within a minute of such a
    // load; the runs start seconds after it). Without them PostgreSQL guessed one row per index,
    // scanned the environment by another index and sorted it: about twice the page's cost.
    await sql(settings.databaseUrl, 'ANALYZE');
    const [size] = await sql<{ table: string; views: string }>(
      settings.databaseUrl,
      `SELECT pg_size_pretty(pg_table_size('task_results')) AS table, pg_size_pretty(sum(pg_column_size(view_json))) AS views FROM task_results`,
    );
    const storage = `task_results ${size.table} on disk, of which stored views ${size.views}; PostgreSQL: ${bin ? `the bench's own cluster, shared_buffers ${settings.pgSharedBuffers}` : 'the shared cluster'}`;
    log(storage);
    const page = await request(`${baseUrl}${PULL_PATH}`, tls, { headers });
    if (page.status !== 200) throw new Error(`page: HTTP ${page.status}`);
    await gateway.stop();
    const bodyFile = path.join(dir, 'page.json');
    fs.writeFileSync(bodyFile, page.body);
    const job: BareServerJob = { bodyFile, contentType: String(page.headers['content-type']), key: env.TLS_SERVER_KEY, cert: env.TLS_SERVER_CERT, ca: env.TLS_CA_CERT };
    log(`page: ${page.body.length} bytes, ${page.body.length - page.body.toString('latin1').replace(/[^\x00-\x7f]/g, '').length} of them non-ASCII`);

    const monitor = new pg.Client({ connectionString: settings.databaseUrl });
    await monitor.connect();
    stops.push(() => monitor.end());
    const runs: Run[] = [];
    const haveNginx = nginxBinary() !== null;
    if (!haveNginx) log('nginx is not installed (apt-get install -y nginx): its reference runs are skipped');
    for (let round = 1; round <= settings.rounds; round++) {
      for (const kind of settings.servers) {
        if (kind === 'nginx' && !haveNginx) continue;
        if (kind.endsWith('-before') && !settings.beforeMain) continue;
        // History paging: each connection a consumer syncing from the start, following its
        // cursors; every page built afresh (the page cache off by configuration, PULL_PAGE_CACHE_MB=0).
        const history = kind.startsWith('gateway-history');
        const gatewayEnv = history ? { ...env, PULL_PAGE_CACHE_MB: '0' } : env;
        const main = kind.endsWith('-before') ? path.resolve(settings.beforeMain) : undefined;
        const name = `${history ? 'gateway, syncing history (pages built, no page cache)' : 'gateway'}${main ? ', before (BENCH_BEFORE_MAIN)' : ''}`;
        const server =
          kind === 'bare'
            ? await startBare(job)
            : kind === 'nest'
              ? await startBare(job, 'serve-nest.js', 'NestJS on Fastify, one controller (no gateway work)')
              : kind === 'nginx'
                ? await startNginx(dir, job)
                : kind in GATEWAY_PARTS
                  ? await startGatewayPart(env, kind)
                : kind.startsWith('gateway-2')
                  ? { ...(await startGateway(env, 2, `round${round}-${kind}`, main)), ...(main && { name: 'gateway, 2 processes, before (BENCH_BEFORE_MAIN)' }) }
                  : { ...(await startGateway(gatewayEnv, 1, `round${round}-${kind}`, main)), name };
        try {
          const run = await measure(server, round, tls, headers, monitor, database, redis?.pid ?? null, history);
          runs.push(run);
          log(
            `${server.name} (round ${round}): ${Math.round(run.load.rps)} req/s, ${Math.round(run.load.bytesPerRequest).toLocaleString('en-US')} bytes/response, server ${run.serverCpu.toFixed(0)}% → ${run.serverUs.toFixed(0)} µs/req, ` +
              `(idle ${run.idleCpu.toFixed(0)}%), PostgreSQL ${run.postgresUs.toFixed(0)} µs, Redis ${run.redisUs.toFixed(0)} µs, client ${run.clientCpu.toFixed(0)}%, machine ${run.machineCpu.toFixed(0)}%, ` +
              `status ${JSON.stringify(run.load.statusCodes)}, reconnects ${run.load.reconnects}${run.load.errors.length ? `, errors ${run.load.errors.slice(0, 3).join('; ')}` : ''}${run.weak ? `, WEAK: ${run.weak}` : ''}`,
          );
        } finally {
          await server.stop();
        }
      }
    }
    const report = renderPullReport(runs, page.body.length, storage);
    process.stdout.write(`\n${report}\n`);
    // A profiled run's figures carry the profiler's own cost: shown above, not kept as the results.
    if (settings.perfDir || settings.cpuProfDir) log('profiled run: bench/results/pull-latest.md left as it was');
    else {
      const out = path.join(ROOT, 'bench/results/pull-latest.md');
      fs.writeFileSync(out, report);
      log(`written to ${path.relative(process.cwd(), out)}`);
    }
    const failed = runs.filter((r) => r.load.errors.length > 0 || Object.keys(r.load.statusCodes).some((c) => c !== '200'));
    for (const r of failed) log(`ERROR in ${r.server} round ${r.round}: ${JSON.stringify(r.load.statusCodes)} ${r.load.errors.slice(0, 3).join('; ')}`);
    return failed.length ? 1 : 0;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function renderPullReport(runs: Run[], bytes: number, storage: string): string {
  const f = (v: number, digits = 0) => v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const total = (r: Run) => r.serverUs + r.postgresUs + r.redisUs;
  const bare = runs.filter((r) => r.server === 'bare Node https');
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const bareRps = mean(bare.map((r) => r.load.rps));
  const bareUs = mean(bare.map(total));
  const lines = [
    `# Cached pull: gateway against bare Node https and nginx`,
    '',
    `${new Date().toISOString()}, ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}, revision ${revision()}. ` +
      `\`GET ${PULL_PATH}\`, ${f(bytes)} bytes per response, ${settings.connections} keep-alive connections from ${settings.loadProcesses} load process(es) (bench/tls-load.ts), ` +
      `warm-up ${settings.warmupSeconds} s and ${settings.warmupRequests.toLocaleString('en-US')} answers at least, ${settings.seconds} s measured, ${settings.rounds} round(s). ` +
      `"Syncing history": each connection pages from the start of ${settings.historyRecords.toLocaleString('en-US')} records by its nextCursor, every page built afresh. CPU per request from /proc: the server's process tree, ` +
      `the bench database's PostgreSQL backends, the bench's own redis-server. % = share of one core; (idle) = the server's CPU over 2 s before the load, included in its CPU per request. Ratios against the mean of the bare runs. Storage: ${storage}.`,
    '',
    '| Server | Round | req/s | p50 / p99 ms | Server CPU (idle) | Client CPU | Machine CPU | Server µs/req | PostgreSQL µs/req | Redis µs/req | **Total µs/req** | req/s vs bare | CPU/req vs bare | Saturated? |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...runs.map(
      (r) =>
        `| ${r.server} | ${r.round} | ${f(r.load.rps)} | ${f(r.load.p50, 1)} / ${f(r.load.p99, 1)} | ${f(r.serverCpu)}% (${f(r.idleCpu)}%) | ${f(r.clientCpu)}% | ${f(r.machineCpu)}% | ${f(r.serverUs)} | ${f(r.postgresUs)} | ${f(r.redisUs)} | **${f(total(r))}** | ${f((r.load.rps / bareRps) * 100)}% | ${f(total(r) / bareUs, 2)}× | ${r.weak ? `weak: ${r.weak}` : 'yes'} |`,
    ),
    '',
    '| Server | Runs | req/s mean (min–max) | Total µs/req mean (min–max) | req/s vs bare | CPU/req vs bare |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const name of [...new Set(runs.map((r) => r.server))]) {
    const of = runs.filter((r) => r.server === name);
    const rps = of.map((r) => r.load.rps);
    const us = of.map(total);
    lines.push(
      `| ${name} | ${of.length} | ${f(mean(rps))} (${f(Math.min(...rps))}–${f(Math.max(...rps))}) | ${f(mean(us))} (${f(Math.min(...us))}–${f(Math.max(...us))}) | ${f((mean(rps) / bareRps) * 100)}% | ${f(mean(us) / bareUs, 2)}× |`,
    );
  }
  lines.push('', `Targets (issue 19): gateway total CPU per request ≤ 2× bare; gateway ≥ 50% of bare req/s in the same run.`);
  return lines.join('\n') + '\n';
}

function revision(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'src').length ? ' + uncommitted src/' : ''}`;
  } catch {
    return 'unknown';
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    log(`failed: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  },
);
