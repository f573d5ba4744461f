import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { AuditService } from '../audit/audit.service.js';
import { registerDataPlaneAudit } from '../audit/data-plane-audit.hook.js';
import { fromDer } from '../auth/client-certificate.js';
import { CredentialStatusService } from '../auth/credential-status.service.js';
import { FeedPageCache } from '../data-exchange/shared/feed-page-cache.js';
import { QuotaService } from '../security/quota.service.js';
import { registerDataPlaneSecurity } from '../security/data-plane-security.hooks.js';
import type { GatewayConfig } from '../shared/config/gateway-config.js';
import { registerSecurityHeaders } from '../shared/http/security-headers.js';
import { DataPlaneModule } from './data-plane.module.js';
import { acceptRawBodyOnlyOn } from './raw-body.js';

/**
 * Builds the data-plane application: Fastify over HTTPS that demands a client certificate of the
 * gateway's CA (the handshake fails without one, before any HTTP is spoken), plus the request id,
 * audit and revocation plumbing around the Nest modules.
 */
export interface DataPlaneAppOptions {
  /** Benchmarks only: leave the audit hook out to measure what it costs. Never in production. */
  withoutAuditForBenchmark?: boolean;
  /** Benchmarks only: no quotas, screening or anomaly detection, to measure what they cost. */
  withoutSecurityForBenchmark?: boolean;
  /** Benchmarks only: build every pull page afresh, to measure what the page cache saves. */
  withoutPageCacheForBenchmark?: boolean;
}

export async function createDataPlaneApp(config: GatewayConfig, options: DataPlaneAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    https: {
      key: fs.readFileSync(config.TLS_SERVER_KEY),
      cert: fs.readFileSync(config.TLS_SERVER_CERT),
      ca: fs.readFileSync(config.TLS_CA_CERT),
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
    bodyLimit: config.JSON_BODY_MAX_BYTES,
    genReqId: () => crypto.randomUUID(),
    // The gateway's request id is its own: a client-sent X-Request-Id must not forge audit ids.
    requestIdHeader: false,
    logger: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(DataPlaneModule.forRoot(config), adapter, {
    logger: config.LOG_LEVEL === 'silent' ? false : undefined,
  });
  const fastify = app.getHttpAdapter().getInstance();

  // No content security policy: the data plane serves no pages.
  registerSecurityHeaders(fastify, { contentSecurityPolicy: false });
  acceptRawBodyOnlyOn(fastify, '/api/v1/attachments', config.ATTACHMENT_MAX_BYTES);
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', String(request.id));
  });
  if (options.withoutSecurityForBenchmark) app.get(QuotaService).stopCountingForBenchmark();
  else registerDataPlaneSecurity(fastify, app);
  if (!options.withoutAuditForBenchmark) registerDataPlaneAudit(fastify, app.get(AuditService));
  if (options.withoutPageCacheForBenchmark) app.get(FeedPageCache).disable();
  app.enableShutdownHooks();
  await app.init();
  refuseRevokedCertificatesAtHandshake(fastify.server as HttpsServer, app.get(CredentialStatusService));
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
      .catch(() => socket.destroy());
  });
}
