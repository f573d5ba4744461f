import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyServerOptions } from 'fastify';
import type { HttpStatus } from '@nestjs/common';
import { ApiError } from '../errors/api-error.js';
import { newRequestId } from './request-id.js';
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

  /**
   * What Node's HTTP parser refuses before there is a request (a method it does not know, a control
   * character in a header, headers over the limit, a request too slow to arrive): Fastify's default
   * writes its own body with no request id. Answered here in the one shape, with a request id of its
   * own for support and the plane's headers, then the socket is closed as Node does.
   */
  readonly clientErrorHandler = (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    if (socket.writable && this.filter) {
      const refusal =
        error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? new ApiError(408, 'REQUEST_TIMEOUT', 'The request did not arrive in time')
          : error.code === 'HPE_HEADER_OVERFLOW'
            ? new ApiError(431 as HttpStatus, 'REQUEST_HEADERS_TOO_LARGE', 'The request headers exceed the allowed size')
            : new ApiError(400, 'MALFORMED_REQUEST', 'The request is not valid HTTP/1.1 (its method, a header or the framing)');
      const requestId = newRequestId();
      const body = JSON.stringify(this.filter.toBody(refusal, requestId));
      const headers = new Map<string, string>([['content-type', 'application/json; charset=utf-8'], ['content-length', String(Buffer.byteLength(body))], ['connection', 'close']]);
      this.setHeaders({ setHeader: (name: string, value: unknown) => headers.set(name, String(value)), removeHeader: (name: string) => headers.delete(name.toLowerCase()) } as never);
      headers.set('x-request-id', requestId);
      const head = [...headers].map(([name, value]) => `${name}: ${value}`).join('\r\n');
      socket.write(`HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\n${head}\r\n\r\n${body}`);
    }
    socket.destroy(error);
  };
}
