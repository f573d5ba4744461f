import 'reflect-metadata';
import { type INestApplication, Logger } from '@nestjs/common';
import cluster from 'node:cluster';
import { AuditCheckpointService } from './audit/checkpoints/audit-checkpoint.service.js';
import { createControlPlaneApp } from './bootstrap/control-plane-app.js';
import { createDataPlaneApp } from './bootstrap/data-plane-app.js';
import { nestLogger } from './operations/gateway-logger.js';
import { createOperationsApp } from './operations/operations-app.js';
import { InvalidConfigError, loadGatewayConfig } from './shared/config/gateway-config.js';
import { RequestDrain } from './shared/http/request-drain.js';
import { prepareRuntime } from './shared/runtime/runtime-setup.js';
import { runPrimary, WORKER_READY, WORKER_STOP } from './shared/runtime/workers.js';

const logger = new Logger('Gateway');

async function main(): Promise<void> {
  let config;
  try {
    config = loadGatewayConfig();
  } catch (error) {
    if (error instanceof InvalidConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // JSON lines (pino) from here on, for main.ts's own messages as for both planes'.
  Logger.overrideLogger(nestLogger(config));
  // WORKERS > 1: this process only starts and stops the workers (node:cluster), each of which
  // runs everything below, sharing the ports (src/shared/runtime/workers.ts).
  if (config.WORKERS > 1 && cluster.isPrimary) return runPrimary(config.WORKERS);
  logger.log(
    config.CLASSIFIED_RECORDS === 'accept'
      ? 'Classified records: accepted up to SECRET (Tối mật), status only; TOP_SECRET refused (CLASSIFIED_RECORDS=accept: protected network only)'
      : 'Classified records: refused (CLASSIFIED_RECORDS=refuse: this deployment is not on the protected network)',
  );
  // Signals are taken from here on: a SIGTERM that comes while the planes start waits for them to
  // be up, then stops them as usual (exit 0), instead of killing the process half-started.
  const started = deferred<Started>();
  stopOnSignals(started.promise);
  const stopRuntime = await prepareRuntime(config);
  const dataPlane = await createDataPlaneApp(config);
  await dataPlane.listen(config.DATA_PLANE_PORT, config.HOST);
  logger.log(`Data plane (mTLS) listening on https://${config.HOST}:${config.DATA_PLANE_PORT}`);
  const controlPlane = await createControlPlaneApp(config);
  await controlPlane.listen(config.CONTROL_PLANE_PORT, config.HOST);
  logger.log(`Control plane (people) listening on https://${config.HOST}:${config.CONTROL_PLANE_PORT}/control/v1`);

  const operations = await createOperationsApp(config, { data: dataPlane, control: controlPlane });
  await operations.listen(config.OPS_PORT, config.OPS_HOST);
  logger.log(`Operations (health, metrics) listening on http://${config.OPS_HOST}:${config.OPS_PORT}`);

  // Each plane writes its own entries; each seals what is left when it stops.
  for (const app of [dataPlane, controlPlane]) app.get(AuditCheckpointService).enableSealAtShutdown();
  started.resolve({ planes: [dataPlane, controlPlane], operations, stopRuntime });
  if (cluster.isWorker) process.send!(WORKER_READY);
  // Background work handles its own failures (BackgroundLoop, ResilientPgClient); should a
  // rejection still slip through, it is logged, not allowed to take every connected system down.
  process.on('unhandledRejection', (reason) => logger.error(`Unhandled promise rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

interface Started {
  planes: INestApplication[];
  operations: INestApplication;
  stopRuntime: () => Promise<void>;
}

/**
 * SIGTERM / SIGINT: both planes stop accepting and finish the calls under way (RequestDrain),
 * then close (audit entries written and sealed, database pools closed), then the operations
 * listener closes (it answers readiness 503 while the planes drain, so a load balancer moves on),
 * then the embedded database stops, and the process exits 0. A second signal while stopping
 * exits at once (1). A worker of several (WORKERS) stops the same way when its primary asks (or
 * goes away); that request never counts as the second signal.
 */
function stopOnSignals(started: Promise<Started>): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals | 'primary', fromPrimary = false) => {
    if (stopping && fromPrimary) return;
    if (stopping) {
      logger.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    logger.log(`${signal}: draining and stopping`);
    try {
      const { planes, operations, stopRuntime } = await started;
      await Promise.all(planes.map((app) => app.get(RequestDrain).drain()));
      await Promise.all(planes.map((app) => app.close()));
      await operations.close();
      await stopRuntime();
      logger.log('Stopped');
      process.exit(0);
    } catch (error) {
      logger.error(`Stopping failed: ${(error as Error).message}`);
      process.exit(1);
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, (s) => void stop(s));
  if (cluster.isWorker) {
    process.on('message', (message) => void (message === WORKER_STOP ? stop('primary', true) : undefined));
    process.on('disconnect', () => void stop('primary', true));
  }
}

main().catch((error: unknown) => {
  logger.error(`The gateway could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
