import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { ControlPlaneAudit } from '../audit/control-plane-audit.hook.js';
import type { GatewayConfig } from '../shared/config/gateway-config.js';
import { registerSecurityHeaders } from '../shared/http/security-headers.js';
import { ControlPlaneModule } from './control-plane.module.js';
import { acceptRawBodyOnlyOn } from './raw-body.js';

/**
 * The control plane for people: HTTPS with the gateway's server certificate (no client
 * certificate), sessions from password + TOTP. It shares no listener with the data plane, so a
 * connected system's mTLS port never exposes an administrative route.
 */
export async function createControlPlaneApp(config: GatewayConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    https: { key: fs.readFileSync(config.TLS_SERVER_KEY), cert: fs.readFileSync(config.TLS_SERVER_CERT), minVersion: 'TLSv1.2' },
    bodyLimit: config.JSON_BODY_MAX_BYTES,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    logger: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(ControlPlaneModule.forRoot(config), adapter, {
    logger: config.LOG_LEVEL === 'silent' ? false : undefined,
  });
  const fastify = app.getHttpAdapter().getInstance();
  registerSecurityHeaders(fastify);
  acceptRawBodyOnlyOn(fastify, '/control/v1/documents', config.ATTACHMENT_MAX_BYTES);
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', String(request.id));
    reply.header('Cache-Control', 'no-store');
  });
  app.get(ControlPlaneAudit).register(fastify);
  app.enableShutdownHooks();
  await app.init();
  return app;
}
