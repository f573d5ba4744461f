import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ClientCertificate, clientCertificateOf } from '../../auth/client-certificate.js';
import { type CredentialStatus, CredentialStatusService } from '../../auth/credential-status.service.js';
import { ConnectionState } from '../../connections/connection-lifecycle.js';
import type { ApiError } from '../../shared/errors/api-error.js';
import { GlobalExceptionFilter } from '../../shared/errors/global-exception.filter.js';
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
  const errors = app.get(GlobalExceptionFilter);

  const refuse = (request: FastifyRequest, reply: FastifyReply, error: ApiError) => {
    const body = errors.toBody(error, String(request.id));
    request.errorCode = body.code;
    if (error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.retryAfterSeconds));
    return reply.code(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  };

  /** Feeds an answered call of a known connection to the anomaly detector. */
  const observe = (request: FastifyRequest, reply: FastifyReply) => {
    const certificate = clientCertificateOf(request);
    const cached = certificate ? credentials.cached(certificate.thumbprintSha256) : null;
    if (cached !== undefined) return feed(request, reply, certificate, cached);
    void detector.track(
      credentials.byThumbprint(certificate!.thumbprintSha256).then(
        (status) => feed(request, reply, certificate, status),
        () => undefined, // the credential lookup failed (database down): the call was answered; nothing to observe
      ),
    );
  };
  const feed = (request: FastifyRequest, reply: FastifyReply, certificate: ClientCertificate | null, status: CredentialStatus | null) => {
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
  };

  // Callback-style, where there is usually nothing to wait for: an async hook costs every request
  // a promise and a turn of the microtask queue, and these three run on every call.
  fastify.addHook('onRequest', (request, reply, done) => {
    const refusal = screening.screenRequest(request);
    if (refusal === null) return done();
    refusal.then((error) => (error ? refuse(request, reply, error) : done()), done);
  });

  fastify.addHook('preHandler', (request, reply, done) => {
    if (request.body === undefined || request.body === null || Buffer.isBuffer(request.body)) return done(); // nothing parsed to screen (GET)
    screening.screenBody(request).then((refusal) => (refusal ? refuse(request, reply, refusal) : done()), done);
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    done(); // the answer has gone: observing it delays nothing
    try {
      observe(request, reply);
    } catch {
      // Detection never breaks serving; the detector logs its own failures.
    }
  });
}
