import type { FastifyReply, FastifyServerOptions } from 'fastify';
import type { HelmetOptions } from 'helmet';
import type { GlobalExceptionFilter } from '../errors/global-exception.filter.js';
import { type SecurityHeaders, securityHeaders } from './security-headers.js';

type FrameworkErrorHandler = NonNullable<FastifyServerOptions['frameworkErrors']>;

/**
 * Fastify's router refuses some URLs itself — a malformed percent-encoding (400), a path parameter
 * over `maxParamLength` (414) — before any hook or Nest filter runs; by default it answers with its
 * own body and internal code (`FST_ERR_MAX_PARAM_LENGTH`), no request id and no security headers.
 * This answers them like every other error: the one shape, X-Request-Id and the plane's headers.
 *
 * The handler is a Fastify option, so it exists before the Nest application whose filter gives the
 * shape: the plane's bootstrap hands it the filter from dependency injection (`answerWith`) right
 * after creating the application, before it listens.
 */
export class FrameworkErrors {
  private filter: GlobalExceptionFilter | null = null;
  private readonly setHeaders: SecurityHeaders;

  constructor(headers: HelmetOptions = {}) {
    this.setHeaders = securityHeaders(headers);
  }

  answerWith(filter: GlobalExceptionFilter): void {
    this.filter = filter;
  }

  readonly handler: FrameworkErrorHandler = (error, request, reply) => {
    if (!this.filter) throw new Error('FrameworkErrors: answerWith(filter) was not called before the plane listened');
    this.setHeaders(reply.raw);
    const body = this.filter.toBody(error, String(request.id));
    void (reply as FastifyReply)
      .status(body.statusCode)
      .header('X-Request-Id', body.requestId)
      .header('content-type', 'application/json; charset=utf-8')
      .send(body);
  };
}
