import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { isDatabaseUnreachable } from '../database/resilient-pg-client.js';
import { errorMessageVi } from '../i18n/messages.vi.js';
import { ApiError, ApiErrorBody, FieldProblem } from './api-error.js';

/** Fastify's own errors that reach us (body parsing, limits), keyed by code. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; message?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'Request body is larger than allowed' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'MALFORMED_BODY', message: 'Body is empty but Content-Type is JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'MALFORMED_BODY' },
  // The router's own refusals (src/shared/http/framework-errors.ts); its messages echo the whole path.
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'URI_TOO_LONG', message: 'A path parameter is longer than 100 characters' },
  FST_ERR_BAD_URL: { status: 400, code: 'MALFORMED_URL', message: 'The URL is not validly percent-encoded' },
};

/**
 * The only place an error becomes a response: every error has the body of CONTRACT.md,
 * with the request id that is also in X-Request-Id and in the audit entry.
 */
@Catch()
export class GlobalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const body = this.toBody(exception, String(request.id));
    if (body.code === 'DATABASE_UNAVAILABLE') this.logger.warn(`${request.method} ${request.url}: database unreachable`);
    else if (body.statusCode >= 500) this.logger.error(exception);
    request.errorCode = body.code;
    // Errors raised before the planes' onRequest hooks (routing: 414) would lack it otherwise.
    reply.header('X-Request-Id', body.requestId);
    if (exception instanceof ApiError && exception.retryAfterSeconds !== undefined) {
      reply.header('Retry-After', String(exception.retryAfterSeconds));
    }
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  toBody(exception: unknown, requestId: string): ApiErrorBody {
    let status: number = HttpStatus.INTERNAL_SERVER_ERROR;
    let code = 'INTERNAL_ERROR';
    let message = 'Internal server error';
    let details: FieldProblem[] | undefined;

    if (exception instanceof ApiError) {
      ({ status, code, message, details } = exception);
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      const response = exception.getResponse();
      message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? exception.message);
      code = status === 404 ? 'NOT_FOUND' : statusName(status);
      // The adapter's body parser reports unparsable JSON as a plain 400.
      if (status === 400 && /JSON|Unexpected|body/i.test(message)) code = 'MALFORMED_BODY';
    } else if (isDomainError(exception)) {
      status = DOMAIN_ERROR_STATUS[exception.kind];
      code = exception.code;
      message = exception.message;
    } else if (isFastifyError(exception)) {
      const known = FASTIFY_ERRORS[exception.code];
      status = known?.status ?? exception.statusCode ?? 500;
      // Fastify's internal FST_* codes are not the gateway's: an unlisted one gets its status's name.
      code = known?.code ?? (exception.code.includes('JSON') || status === 400 ? 'MALFORMED_BODY' : statusName(status));
      message = known?.message ?? exception.message;
    } else if (isDatabaseUnreachable(exception)) {
      // An outage, not a bug: the caller may retry; nothing of this call was acknowledged.
      status = 503;
      code = 'DATABASE_UNAVAILABLE';
      message = 'The gateway cannot reach its database; nothing of this call was stored. Retry later';
    } else if (exception instanceof SyntaxError) {
      status = 400;
      code = 'MALFORMED_BODY';
      message = `Malformed JSON: ${exception.message}`;
    }
    // Our own 5xx (ApiError, an outage) say what to do; anything else may carry internals.
    if (status >= 500 && !(exception instanceof ApiError) && code !== 'DATABASE_UNAVAILABLE') message = 'Internal server error';
    return {
      statusCode: status,
      error: STATUS_CODES[status] ?? 'Error',
      message,
      messageVi: errorMessageVi(code, status),
      code,
      ...(details?.length ? { details } : {}),
      requestId,
    };
  }
}

/**
 * Feature modules may throw errors without HTTP knowledge (e.g. SecurityError): a `kind` from
 * this table and a stable `code`. The table is the one place their kinds become statuses.
 */
const DOMAIN_ERROR_STATUS = { NOT_FOUND: 404, INVALID: 400, CONFLICT: 409 } as const;

function isDomainError(e: unknown): e is { kind: keyof typeof DOMAIN_ERROR_STATUS; code: string; message: string } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && (e as { kind?: string }).kind! in DOMAIN_ERROR_STATUS;
}

/** `URI Too Long` → `URI_TOO_LONG`. */
function statusName(status: number): string {
  return (STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/\W+/g, '_');
}

function isFastifyError(e: unknown): e is { code: string; statusCode?: number; message: string } {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' && 'statusCode' in e;
}
