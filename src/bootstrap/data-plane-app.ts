import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import fs from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { AuditService } from '../audit/chain/audit.service.js';
import { registerDataPlaneAudit } from '../audit/http/data-plane-audit.hook.js';
import { fromDer } from '../auth/client-certificate.js';
import { CredentialStatusService } from '../auth/credential-status.service.js';
import { registerDataPlaneSecurity } from '../security/enforcement/data-plane-security.hooks.js';
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
import { DataPlaneModule } from './data-plane.module.js';
import { acceptBodyMediaTypes } from './raw-body.js';

/**
 * Builds the data-plane application: Fastify over HTTPS that demands a client certificate of the
 * gateway's CA (the handshake fails without one, before any HTTP is spoken), plus the request id,
 * audit and revocation plumbing around the Nest modules.
 */
export async function createDataPlaneApp(config: GatewayConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(DataPlaneModule.forRoot(config), dataPlaneAdapter(config), {
    logger: nestLogger(config),
  });
  return configureDataPlaneApp(app, config);
}

/**
 * Fastify's own refusals (a URL it cannot parse) answered by the app's GlobalExceptionFilter,
 * which exists only once the app is created from the adapter: configureDataPlaneApp connects them.
 */
const FRAMEWORK_ERRORS = new WeakMap<FastifyAdapter, FrameworkErrors>();

/** The data plane's Fastify adapter (mTLS, limits, the one error shape). */
export function dataPlaneAdapter(config: GatewayConfig): FastifyAdapter {
  const frameworkErrors = new FrameworkErrors({ contentSecurityPolicy: false });
  const adapter = new FastifyAdapter({
    https: {
      key: fs.readFileSync(config.TLS_SERVER_KEY),
      cert: fs.readFileSync(config.TLS_SERVER_CERT),
      ca: fs.readFileSync(config.TLS_CA_CERT),
      requestCert: true,
      rejectUnauthorized: true,
      ...tlsServerOptions(config),
    },
    ...fastifyTimeouts(config),
    frameworkErrors: frameworkErrors.handler,
    clientErrorHandler: frameworkErrors.clientErrorHandler,
    bodyLimit: config.JSON_BODY_MAX_BYTES,
    genReqId: newRequestId,
    // The gateway's request id is its own: a client-sent X-Request-Id must not forge audit ids.
    requestIdHeader: false,
    logger: false,
    // A stopping instance answers in the one error shape (RequestDrain), not Fastify's bare 503.
    return503OnClosing: false,
  });
  FRAMEWORK_ERRORS.set(adapter, frameworkErrors);
  return adapter;
}

/**
 * The hooks around the Nest modules, on an application made of DataPlaneModule and
 * dataPlaneAdapter() (tests and the benchmark build it with their own provider overrides).
 */
export async function configureDataPlaneApp(app: NestFastifyApplication, config: GatewayConfig): Promise<NestFastifyApplication> {
  FRAMEWORK_ERRORS.get(app.getHttpAdapter() as FastifyAdapter)?.answerWith(app.get(GlobalExceptionFilter));
  const fastify = app.getHttpAdapter().getInstance();
  limitConnections(fastify.server as HttpsServer, config, 'data plane');

  // No content security policy: the data plane serves no pages.
  registerSecurityHeaders(fastify, { contentSecurityPolicy: false });
  registerJsonBodyParser(app, config.JSON_BODY_MAX_BYTES);
  // Callback-style: an async hook costs every call a promise and a turn of the microtask queue.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('X-Request-Id', String(request.id));
    done();
  });
  app.get(RequestDrain).register(fastify);
  registerRequestObserver(fastify, 'data', config); // metrics and the access log (src/operations)
  registerDataPlaneSecurity(fastify, app);
  // After the screen of the URL and headers: a probe is one whatever its body's media type.
  acceptBodyMediaTypes(fastify, { rawOn: '/api/v1/attachments', formOn: '/api/v1/oauth/token', bodyLimit: config.ATTACHMENT_MAX_BYTES });
  registerDataPlaneAudit(fastify, app.get(AuditService));
  // No enableShutdownHooks(): main.ts owns the signals, drains both planes, then exits 0.
  await app.init();
  refuseRevokedCertificatesAtHandshake(fastify.server as HttpsServer, app.get(CredentialStatusService));
  // Last, around every socket listener above: the transport limits then count, and the TLS
  // socket reports, the caller named by a load balancer's PROXY header (src/shared/http/proxy-protocol.ts).
  acceptProxyProtocol(fastify.server as HttpsServer, config, 'data plane');
  return app;
}

/**
 * The TLS layer checks the CA signature and validity dates; revocation is the gateway's own
 * register. A socket whose certificate is revoked (or unknown) is closed right after the
 * handshake, before a request is read. The token guard re-checks every request, for keep-alive
 * sockets opened before a revocation.
 */
function refuseRevokedCertificatesAtHandshake(server: HttpsServer, credentials: CredentialStatusService): void {
  const logger = new Logger('DataPlaneTLS');
  server.prependListener('secureConnection', (socket: TLSSocket) => {
    const peer = socket.getPeerCertificate();
    if (!peer?.raw) return;
    socket.pause();
    credentials
      .byThumbprint(fromDer(peer.raw).thumbprintSha256)
      .then((status) => {
        if (!status || status.revoked) {
          logger.warn(`Refused ${status ? 'revoked' : 'unregistered'} certificate from ${socket.remoteAddress}`);
          socket.destroy();
        } else {
          socket.resume();
        }
      })
      // The register could not be read (database down): let the request in. The token endpoint
      // and the token guard look the certificate up again and answer 503 in the one error shape,
      // where closing the socket here would leave the client an empty reply.
      .catch(() => socket.resume());
  });
}
