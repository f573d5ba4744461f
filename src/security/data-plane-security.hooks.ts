import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clientCertificateOf } from '../auth/client-certificate.js';
import { CredentialStatusService } from '../auth/credential-status.service.js';
import { ConnectionState } from '../connections/connection-lifecycle.js';
import type { ApiError } from '../shared/errors/api-error.js';
import { GlobalExceptionFilter } from '../shared/errors/global-exception.filter.js';
import { AnomalyDetectorService } from './anomaly-detector.service.js';
import { RequestScreeningService } from './request-screening.service.js';

/**
 * Plugs security enforcement into the data plane's Fastify instance:
 * - onRequest: source address and URL signatures, before anything else reads the request;
 * - preHandler: body signatures, once the body is parsed and before guards and handlers;
 * - onResponse: every answered call of a known connection is fed to the anomaly detector
 *   (after the response is sent: detection never delays a client).
 * Register after the request-id hook, so refusals carry the request id.
 */
export function registerDataPlaneSecurity(fastify: FastifyInstance, app: INestApplication): void {
  const screening = app.get(RequestScreeningService);
  const detector = app.get(AnomalyDetectorService);
  const credentials = app.get(CredentialStatusService);
  const errors = new GlobalExceptionFilter();

  const refuse = (request: FastifyRequest, reply: FastifyReply, error: ApiError) => {
    const body = errors.toBody(error, String(request.id));
    request.errorCode = body.code;
    if (error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.retryAfterSeconds));
    return reply.code(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  };

  /** Feeds an answered call of a known connection to the anomaly detector. */
  const observe = async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const certificate = clientCertificateOf(request);
      const status = certificate ? await credentials.byThumbprint(certificate.thumbprintSha256) : null;
      const connectionId = request.principal?.connectionId ?? status?.connectionId;
      if (!connectionId || status?.connectionState === ConnectionState.SUSPENDED) return;
      void detector.observe({
        connectionId,
        unknownRoute: request.is404,
        call: {
          requestId: String(request.id),
          at: new Date().toISOString(),
          method: request.method,
          path: request.url.slice(0, 1000),
          status: reply.statusCode,
          errorCode: request.errorCode ?? null,
          sourceAddress: request.ip,
          certificateThumbprint: certificate?.thumbprintSha256 ?? null,
        },
      });
    } catch {
      // The credential lookup failed (database down): the call was answered; nothing to observe.
    }
  };

  fastify.addHook('onRequest', async (request, reply) => {
    const refusal = await screening.screenRequest(request);
    if (refusal) return refuse(request, reply, refusal);
  });

  // Callback-style where there is usually nothing to wait for: an async hook costs every request
  // a promise and a turn of the microtask queue, and these two run on every call.
  fastify.addHook('preHandler', (request, reply, done) => {
    if (request.body === undefined || request.body === null || Buffer.isBuffer(request.body)) return done(); // nothing parsed to screen (GET)
    screening.screenBody(request).then((refusal) => (refusal ? refuse(request, reply, refusal) : done()), done);
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    done(); // the answer has gone: observing it delays nothing
    void observe(request, reply);
  });
}
