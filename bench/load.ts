/**
 * The load generator, run as a child process of run.ts so that the client's TLS and JSON work
 * does not share an event loop (or a core) with the server being measured. It takes one job at a
 * time over IPC and answers with its figures.
 */
import autocannon from 'autocannon';
import https from 'node:https';
import { benchTaskResult } from './items.js';

export interface Tls {
  cert: string;
  key: string;
  ca: string;
}

export interface PullJob {
  kind: 'pull';
  url: string;
  headers: Record<string, string>;
  tls: Tls;
  connections: number;
  /**
   * Requests per connection: each connection stops after the answer to its last one, so that no
   * request is left in flight when the run ends (a gateway would go on serving abandoned requests).
   */
  perConnection: number;
  /** Upper bound on the run's length, whatever perConnection says. */
  capSeconds: number;
}

export interface PullFigures {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  bytesPerRequest: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

export interface PushJob {
  kind: 'push';
  url: string;
  token: string;
  tls: Tls;
  leadUnit: string;
  batches: number;
  itemsPerBatch: number;
  concurrency: number;
  deadlineMs: number;
  timeoutMs: number;
}

export interface PushFigures {
  batchesSent: number;
  batchesOk: number;
  itemsCreated: number;
  itemsRejected: number;
  failures: string[];
  seconds: number;
  itemsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  requestBytes: number;
  /** Mean batch latency of the first and the last tenth of the batches, in completion order. */
  firstTenthMs: number;
  lastTenthMs: number;
}

export type Job = PullJob | PushJob;

async function pull(job: PullJob): Promise<PullFigures> {
  const options = {
    url: job.url,
    connections: job.connections,
    headers: job.headers,
    tlsOptions: { cert: job.tls.cert, key: job.tls.key, ca: job.tls.ca, minVersion: 'TLSv1.2' },
    timeout: 10,
  };
  // Timed from the start to the last answer: autocannon's own duration runs on to its next
  // one-second tick after the last answer, which on a 10 s run moved req/s by up to 10%.
  const startedAt = performance.now();
  let lastAnswerAt = startedAt;
  const run = autocannon({ ...options, maxConnectionRequests: job.perConnection, duration: job.capSeconds });
  run.on('response', () => {
    lastAnswerAt = performance.now();
  });
  const r = await run;
  const seconds = (lastAnswerAt - startedAt) / 1000;
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
  return {
    requests: r.requests.total,
    seconds,
    rps: seconds > 0 ? r.requests.total / seconds : 0,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    bytesPerRequest: r.requests.total ? r.throughput.total / r.requests.total : 0,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function push(job: PushJob): Promise<PushFigures> {
  const agent = new https.Agent({ keepAlive: true, maxSockets: job.concurrency, cert: job.tls.cert, key: job.tls.key, ca: job.tls.ca });
  const target = new URL(job.url);
  // Bodies are built before the clock starts: what is timed is the gateway, not this client.
  const bodies = Array.from({ length: job.batches }, (_, batch) =>
    Buffer.from(JSON.stringify({ items: Array.from({ length: job.itemsPerBatch }, (_, i) => benchTaskResult(batch, i, job.leadUnit)) })),
  );
  const latencies: number[] = [];
  const failures: string[] = [];
  let next = 0;
  let batchesSent = 0;
  let batchesOk = 0;
  let itemsCreated = 0;
  let itemsRejected = 0;
  const started = performance.now();
  const deadline = started + job.deadlineMs;

  const send = (body: Buffer) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = https.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${job.token}` },
          timeout: job.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${job.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });

  const client = async () => {
    while (next < bodies.length && performance.now() < deadline) {
      const batch = next++;
      batchesSent++;
      const t0 = performance.now();
      try {
        const { status, text } = await send(bodies[batch]);
        latencies.push(performance.now() - t0);
        if (status !== 200) {
          failures.push(`batch ${batch}: HTTP ${status} ${text.slice(0, 200)}`);
          continue;
        }
        const summary = JSON.parse(text).summary as { created: number; rejected: number };
        batchesOk++;
        itemsCreated += summary.created;
        itemsRejected += summary.rejected;
      } catch (error) {
        failures.push(`batch ${batch}: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const tenth = Math.max(1, Math.floor(latencies.length / 10));
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const firstTenthMs = mean(latencies.slice(0, tenth));
  const lastTenthMs = mean(latencies.slice(-tenth));
  latencies.sort((a, b) => a - b);
  return {
    batchesSent,
    batchesOk,
    itemsCreated,
    itemsRejected,
    failures,
    seconds,
    itemsPerSecond: itemsCreated / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    requestBytes: bodies[0]?.length ?? 0,
    firstTenthMs,
    lastTenthMs,
  };
}

process.on('message', (job: Job) => {
  const work = job.kind === 'pull' ? pull(job) : push(job);
  work.then(
    (figures) => process.send!({ ok: true, figures }),
    (error: Error) => process.send!({ ok: false, error: error.stack ?? error.message }),
  );
});
process.on('disconnect', () => process.exit(0));
