import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AuditCheckpointService } from './audit/audit-checkpoint.service.js';
import { createControlPlaneApp } from './bootstrap/control-plane-app.js';
import { createDataPlaneApp } from './bootstrap/data-plane-app.js';
import { InvalidConfigError, loadGatewayConfig } from './shared/config/gateway-config.js';
import { prepareRuntime } from './shared/runtime/runtime-setup.js';

async function main(): Promise<void> {
  const logger = new Logger('Gateway');
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
  const stopRuntime = await prepareRuntime(config);
  const dataPlane = await createDataPlaneApp(config);
  await dataPlane.listen(config.DATA_PLANE_PORT, config.HOST);
  logger.log(`Data plane (mTLS) listening on https://${config.HOST}:${config.DATA_PLANE_PORT}`);
  const controlPlane = await createControlPlaneApp(config);
  await controlPlane.listen(config.CONTROL_PLANE_PORT, config.HOST);
  logger.log(`Control plane (people) listening on https://${config.HOST}:${config.CONTROL_PLANE_PORT}/control/v1`);

  // Each plane writes its own entries; each seals what is left when it stops.
  for (const app of [dataPlane, controlPlane]) app.get(AuditCheckpointService).enableSealAtShutdown();
  const shutdown = async (signal: string) => {
    logger.log(`${signal}: draining and stopping`);
    await Promise.all([dataPlane.close(), controlPlane.close()]);
    await stopRuntime();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

void main();
