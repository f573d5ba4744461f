import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import fs from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import { ControlPlaneAudit } from '../audit/http/control-plane-audit.hook.js';
import { serveConsole } from '../console/serve-console.js';
import type { GatewayConfig } from '../shared/config/gateway-config.js';
import { GlobalExceptionFilter } from '../shared/errors/global-exception.filter.js';
import { FrameworkErrors } from '../shared/http/framework-errors.js';
import { registerJsonBodyParser } from '../shared/http/json-body.js';
import { nestLogger } from '../operations/gateway-logger.js';
import { registerRequestObserver } from '../operations/request-observer.hook.js';
import { RequestDrain } from '../shared/http/request-drain.js';
import { newRequestId } from '../shared/http/request-id.js';
import { registerSecurityHeaders } from '../shared/http/security-headers.js';
import { acceptProxyProtocol } from '../shared/http/proxy-protocol.js';
import { fastifyTimeouts, limitConnections, tlsServerOptions } from '../shared/http/transport-limits.js';
import { ControlPlaneModule } from './control-plane.module.js';
import { acceptBodyMediaTypes } from './raw-body.js';

/**
 * The control plane for people: HTTPS with the gateway's server certificate (a client certificate
 * is asked for but optional: a second factor for some accounts), sessions from password + TOTP or
 * password + sign-in certificate. It shares no listener with the data plane, so a
 * connected system's mTLS port never exposes an administrative route.
 */
export async function createControlPlaneApp(config: GatewayConfig): Promise<NestFastifyApplication> {
  const frameworkErrors = new FrameworkErrors();
  const adapter = new FastifyAdapter({
    https: {
      key: fs.readFileSync(config.TLS_SERVER_KEY),
      cert: fs.readFileSync(config.TLS_SERVER_CERT),
      ...tlsServerOptions(config),
      // Asked, never required: the sign-in certificate is a second factor for the accounts set to
      // CLIENT_CERTIFICATE (III.2.c), checked in code at sign-in (accounts/second-factors.ts).
      // Everyone else connects without one, and an unverifiable one is not refused here either.
      requestCert: true,
      rejectUnauthorized: false,
      ca: fs.readFileSync(config.TLS_CA_CERT),
    },
    ...fastifyTimeouts(config),
    frameworkErrors: frameworkErrors.handler,
    clientErrorHandler: frameworkErrors.clientErrorHandler,
    bodyLimit: config.JSON_BODY_MAX_BYTES,
    genReqId: newRequestId,
    requestIdHeader: false,
    // Only listed proxies may say who the caller is (X-Forwarded-For): the sign-in throttle and
    // back-off, and the audit log, count per source address.
    trustProxy: config.CONTROL_PLANE_TRUSTED_PROXIES ? config.CONTROL_PLANE_TRUSTED_PROXIES.split(',').map((entry) => entry.trim()) : false,
    logger: false,
    return503OnClosing: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(ControlPlaneModule.forRoot(config), adapter, {
    logger: nestLogger(config),
  });
  frameworkErrors.answerWith(app.get(GlobalExceptionFilter));
  const fastify = app.getHttpAdapter().getInstance();
  limitConnections(fastify.server as HttpsServer, config, 'control plane');
  registerSecurityHeaders(fastify);
  registerJsonBodyParser(app, config.JSON_BODY_MAX_BYTES);
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', String(request.id));
    reply.header('Cache-Control', 'no-store');
  });
  app.get(RequestDrain).register(fastify);
  acceptBodyMediaTypes(fastify, { rawOn: '/control/v1/documents', bodyLimit: config.ATTACHMENT_MAX_BYTES });
  registerRequestObserver(fastify, 'control', config); // metrics and the access log (src/operations)
  app.get(ControlPlaneAudit).register(fastify);
  serveConsole(fastify);
  // No enableShutdownHooks(): main.ts owns the signals (see data-plane-app.ts).
  await app.init();
  // Last, around every socket listener above: the transport limits then count, and the TLS
  // socket reports, the caller named by a load balancer's PROXY header (src/shared/http/proxy-protocol.ts).
  acceptProxyProtocol(fastify.server as HttpsServer, config, 'control plane');
  return app;
}
