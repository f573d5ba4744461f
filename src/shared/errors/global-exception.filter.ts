import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { ApiError, ApiErrorBody, FieldProblem } from './api-error.js';

/** Fastify's own errors that reach us (body parsing, limits), keyed by code. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; message?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'Request body is larger than allowed' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'MALFORMED_BODY', message: 'Body is empty but Content-Type is JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'MALFORMED_BODY' },
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
    if (body.statusCode >= 500) this.logger.error(exception);
    request.errorCode = body.code;
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
      code = status === 404 ? 'NOT_FOUND' : (STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/\W+/g, '_');
      // The adapter's body parser reports unparsable JSON as a plain 400.
      if (status === 400 && /JSON|Unexpected|body/i.test(message)) code = 'MALFORMED_BODY';
    } else if (isDomainError(exception)) {
      status = DOMAIN_ERROR_STATUS[exception.kind];
      code = exception.code;
      message = exception.message;
    } else if (isFastifyError(exception)) {
      const known = FASTIFY_ERRORS[exception.code];
      status = known?.status ?? exception.statusCode ?? 500;
      code = known?.code ?? (exception.code.includes('JSON') || status === 400 ? 'MALFORMED_BODY' : exception.code);
      message = known?.message ?? exception.message;
    } else if (exception instanceof SyntaxError) {
      status = 400;
      code = 'MALFORMED_BODY';
      message = `Malformed JSON: ${exception.message}`;
    }
    if (status >= 500) message = 'Internal server error';
    return {
      statusCode: status,
      error: STATUS_CODES[status] ?? 'Error',
      message,
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

function isFastifyError(e: unknown): e is { code: string; statusCode?: number; message: string } {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' && 'statusCode' in e;
}
