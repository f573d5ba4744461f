/**
 * The data plane alone, whole or with one part left out (gateway-variants.ts: Nest provider
 * overrides, no switch in production code), for pull.ts's ablation servers (`gateway-parts`,
 * `gateway-no-audit`, `gateway-no-security`, `gateway-no-access-log`). Run over IPC as serve.ts
 * is: the job carries the gateway's environment (the database already migrated and seeded by the
 * gateway pull.ts started first) and the variant. Against `gateway-parts`, each shows what its
 * part costs a cached pull; `gateway-parts` against `gateway`, what the control plane and the
 * operations listener beside the data plane cost.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { loadGatewayConfig } from '../src/shared/config/gateway-config.js';
import { createGatewayVariant, type GatewayVariant } from './gateway-variants.js';

export interface GatewayVariantJob {
  env: Record<string, string>;
  variant: GatewayVariant;
}

process.once('message', async ({ env, variant }: GatewayVariantJob) => {
  Object.assign(process.env, env);
  const app = await createGatewayVariant(loadGatewayConfig(process.env), variant);
  await app.listen(0, '127.0.0.1');
  process.send!({ port: (app.getHttpServer().address() as AddressInfo).port });
  process.once('disconnect', () => void app.close().finally(() => process.exit(0)));
});
