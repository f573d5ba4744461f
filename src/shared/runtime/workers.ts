import { Logger } from '@nestjs/common';
import cluster, { type Worker } from 'node:cluster';

/** What a worker sends its primary once its planes listen. */
export const WORKER_READY = 'gateway:ready';
/** What the primary sends its workers to drain and stop (as a SIGTERM would). */
export const WORKER_STOP = 'gateway:stop';

/**
 * The primary of WORKERS processes (node:cluster): it serves nothing itself; the workers share the
 * listening ports, each running the whole gateway as one instance of several would (quotas and
 * detector counts in Redis, suspensions broadcast over Redis, the audit chain appended under
 * PostgreSQL's advisory lock, so several instances keep one chain).
 *
 * - The first worker starts alone (it runs the migrations), the others once it is ready.
 * - A worker that dies while the gateway serves is replaced (at most once per 5 s per slot); one
 *   that dies before it was ever ready stops the whole gateway (exit 1): a bad configuration or an
 *   unreachable database would fail the same way again and again.
 * - SIGTERM / SIGINT: every worker is asked to drain and stop (main.ts's stop), then the primary
 *   exits 0, or 1 if a worker did not stop cleanly. A second signal kills the workers at once.
 */
export async function runPrimary(workers: number): Promise<void> {
  const logger = new Logger('Workers');
  let stopping = false;
  let failed = false;
  const alive = new Set<Worker>();

  const fork = (slot: number): Promise<void> =>
    new Promise((resolve) => {
      const worker = cluster.fork({ GATEWAY_WORKER_SLOT: String(slot) });
      alive.add(worker);
      let ready = false;
      let startedAt = Date.now();
      worker.on('message', (message: unknown) => {
        if (message !== WORKER_READY) return;
        ready = true;
        startedAt = Date.now();
        resolve();
      });
      worker.on('exit', (code, signal) => {
        alive.delete(worker);
        if (stopping) {
          if (code !== 0) failed = true;
          if (alive.size === 0) process.exit(failed ? 1 : 0);
          return;
        }
        if (!ready) {
          logger.error(`Worker ${slot} exited (${signal ?? code}) before it was ready: stopping the gateway`);
          failed = true;
          void stop('SIGTERM');
          resolve();
          return;
        }
        const wait = Math.max(0, 5000 - (Date.now() - startedAt));
        logger.error(`Worker ${slot} exited (${signal ?? code}) while serving: starting another in ${wait} ms`);
        setTimeout(() => {
          // fork() rejects only if cluster.fork throws (no process could be made): say so, stay up.
          if (!stopping) fork(slot).catch((error: Error) => logger.error(`Worker ${slot} could not be started again: ${error.message}`));
        }, wait);
      });
    });

  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: killing the workers`);
      for (const worker of alive) worker.process.kill('SIGKILL');
      process.exit(1);
    }
    stopping = true;
    logger.log(`${signal}: stopping ${alive.size} worker(s)`);
    if (alive.size === 0) process.exit(failed ? 1 : 0);
    for (const worker of alive) if (worker.isConnected()) worker.send(WORKER_STOP);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, (s) => void stop(s));

  logger.log(`Starting ${workers} worker processes`);
  await fork(1);
  if (stopping) return;
  await Promise.all(Array.from({ length: workers - 1 }, (_, i) => fork(i + 2)));
  if (!stopping) logger.log(`${workers} worker processes serving`);
}
