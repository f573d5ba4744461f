/**
 * Load generator of the authority scenarios (bench/authority.ts), in its own process so that the
 * client's TLS and JSON work does not share the server's event loop. One job at a time over IPC:
 * every connection (its own certificate, token and keep-alive agent) sends `batchesPerConnection`
 * batches of `itemsPerBatch` new task results, `concurrencyPerConnection` at a time; all
 * connections start together (a deadline burst when there are many of them).
 */
import https from 'node:https';

export interface AuthorityTls {
  cert: string;
  key: string;
  ca: string;
}

export interface AuthorityPushJob {
  url: string;
  connections: Array<{ tls: AuthorityTls; token: string }>;
  batchesPerConnection: number;
  itemsPerBatch: number;
  concurrencyPerConnection: number;
  /** Task codes start with it: each run writes new records. */
  prefix: string;
  leadUnit: string;
  timeoutMs: number;
}

export interface AuthorityPushFigures {
  batches: number;
  batchesOk: number;
  items: number;
  itemsCreated: number;
  failures: string[];
  seconds: number;
  itemsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Filled in by the server side (authority.ts). */
  serverCpuUsPerItem?: number;
}

/** A task result as an assigner pushes it (the shape of the harness's taskResult()). */
export function authorityItem(prefix: string, connection: number, batch: number, index: number, leadUnit: string): Record<string, unknown> {
  const n = batch * 1000 + index;
  return {
    taskCode: `${prefix}_${connection}_${batch}_${index}`,
    taskName: `Nhiệm vụ ${prefix} ${n}`,
    taskGroupCode: `57_N0${(n % 5) + 1}`,
    taskGroupName: 'Về xây dựng hoàn thiện thể chế',
    leadUnit,
    coordinatingUnits: ['Bộ Tư pháp'],
    assigningDocument: 'Thông báo số 03-TB/BCĐTW ngày 06/3/2025',
    expectedOutput: 'Nghị định',
    assignedAt: '2025-03-06',
    dueDate: new Date(Date.UTC(2026, 0, 1) + (n % 900) * 86_400_000).toISOString().slice(0, 10),
    priority: (n % 5) + 1,
    result: 'NOT_STARTED',
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
}

async function run(job: AuthorityPushJob): Promise<AuthorityPushFigures> {
  const target = new URL(job.url);
  // Bodies are built before the clock starts: what is timed is the server, not this client.
  const plans = job.connections.map((c, conn) => ({
    ...c,
    agent: new https.Agent({ keepAlive: true, maxSockets: job.concurrencyPerConnection, cert: c.tls.cert, key: c.tls.key, ca: c.tls.ca }),
    bodies: Array.from({ length: job.batchesPerConnection }, (_, batch) =>
      Buffer.from(JSON.stringify({ items: Array.from({ length: job.itemsPerBatch }, (_, i) => authorityItem(job.prefix, conn, batch, i, job.leadUnit)) })),
    ),
  }));
  const latencies: number[] = [];
  const failures: string[] = [];
  let batchesOk = 0;
  let itemsCreated = 0;
  const send = (agent: https.Agent, token: string, body: Buffer) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = https.request(
        { agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', timeout: job.timeoutMs,
          headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${token}` } },
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
  const started = performance.now();
  await Promise.all(
    plans.flatMap((plan) => {
      let next = 0;
      return Array.from({ length: job.concurrencyPerConnection }, async () => {
        while (next < plan.bodies.length) {
          const body = plan.bodies[next++];
          const t0 = performance.now();
          try {
            const { status, text } = await send(plan.agent, plan.token, body);
            latencies.push(performance.now() - t0);
            if (status !== 200) {
              if (failures.length < 20) failures.push(`HTTP ${status} ${text.slice(0, 200)}`);
              continue;
            }
            batchesOk++;
            itemsCreated += (JSON.parse(text) as { summary: { created: number } }).summary.created;
          } catch (error) {
            if (failures.length < 20) failures.push((error as Error).message);
          }
        }
      });
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const plan of plans) plan.agent.destroy();
  latencies.sort((a, b) => a - b);
  const batches = job.connections.length * job.batchesPerConnection;
  return {
    batches, batchesOk, items: batches * job.itemsPerBatch, itemsCreated, failures, seconds,
    itemsPerSecond: itemsCreated / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN,
  };
}

process.on('message', (job: AuthorityPushJob) => {
  run(job).then(
    (figures) => process.send!({ ok: true, figures }),
    (error: Error) => process.send!({ ok: false, error: error.stack ?? error.message }),
  );
});
process.on('disconnect', () => process.exit(0));
