/**
 * A second gateway instance in its own process (as a second server would be), for the
 * trip-to-refusal measurement: run.ts sends it the environment of its configuration over IPC; it
 * answers with its port, and closes on "stop". It shares the first instance's database and Redis.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { createDataPlaneApp } from '../src/bootstrap/data-plane-app.js';
import { loadGatewayConfig } from '../src/shared/config/gateway-config.js';

process.once('message', async (env: Record<string, string>) => {
  try {
    const app = await createDataPlaneApp(loadGatewayConfig(env));
    await app.listen(0, '127.0.0.1');
    process.send!({ ok: true, port: (app.getHttpServer().address() as AddressInfo).port });
    process.once('message', async () => {
      await app.close();
      process.exit(0);
    });
  } catch (error) {
    process.send!({ ok: false, error: (error as Error).stack ?? String(error) });
    process.exit(1);
  }
});
process.once('disconnect', () => process.exit(0));
