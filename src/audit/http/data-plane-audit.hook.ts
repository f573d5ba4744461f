import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clientCertificateOf } from '../../auth/client-certificate.js';
import type { AuditService } from '../chain/audit.service.js';
import { errorMessageVi } from '../../shared/i18n/messages.vi.js';
import { registerPayloadDigest } from './payload-digest.hook.js';

/**
 * Records every data-plane call before its response is sent (Fastify `onSend`): if the entry
 * cannot be written, the client gets a 503 instead of an answer the log does not show. The entry
 * carries the SHA-256 of the request body (payload-digest.hook.ts).
 */
export function registerDataPlaneAudit(fastify: FastifyInstance, audit: AuditService): void {
  registerPayloadDigest(fastify);
  fastify.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const principal = request.principal;
    try {
      await audit.record({
        occurredAt: new Date(),
        requestId: String(request.id),
        plane: 'data',
        environment: principal?.environment ?? null,
        connectionId: principal?.connectionId ?? null,
        certificateThumbprint: principal?.certificateThumbprint ?? clientCertificateOf(request)?.thumbprintSha256 ?? null,
        sourceAddress: request.ip ?? 'unknown (client disconnected)',
        method: request.method,
        path: request.url.slice(0, 2000),
        statusCode: reply.statusCode,
        errorCode: request.errorCode ?? null,
        durationMs: Math.round(reply.elapsedTime),
        payloadSha256: request.payloadSha256 ?? null,
      });
    } catch {
      reply.code(503).header('content-type', 'application/json; charset=utf-8');
      return auditUnavailableBody(request);
    }
    return payload;
  });
}

/** What a client gets instead of an answer the audit log could not record. */
export function auditUnavailableBody(request: FastifyRequest): string {
  return JSON.stringify({
    statusCode: 503,
    error: 'Service Unavailable',
    message: 'The call could not be recorded in the audit log, so it is not acknowledged',
    messageVi: errorMessageVi('AUDIT_UNAVAILABLE', 503),
    code: 'AUDIT_UNAVAILABLE',
    requestId: String(request.id),
  });
}
