import { applyDecorators, HttpCode, Type } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiResponse } from '@nestjs/swagger';
import { ApiErrorBody } from './api-error.js';

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503;

const DEFAULT_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'Invalid input (VALIDATION_FAILED): `details` names each field and its problem',
  401: 'No valid session',
  403: 'Your role may not do this',
  404: 'No such resource among those you may see (NOT_FOUND)',
  409: 'Not allowed in the current state (e.g. ILLEGAL_TRANSITION); `message` says what is possible',
  413: 'Body too large',
  429: 'Too many calls from this address (Retry-After)',
  503: 'A dependency is unavailable; try again later',
};

/**
 * The error statuses an operation can answer, each with the one error shape (ApiErrorBody).
 * A status can carry its own description: `[409, 'NOTHING_EXCHANGED_IN_TEST: …']`.
 * 401 and 403 come with ControlPlaneRoute.
 */
export function ApiFailures(...statuses: Array<ErrorStatus | [ErrorStatus, string]>) {
  return applyDecorators(
    ...statuses.map((entry) => {
      const [status, description] = Array.isArray(entry) ? entry : [entry, DEFAULT_DESCRIPTIONS[entry]];
      return ApiResponse({ status, description, type: ApiErrorBody });
    }),
  );
}

/** The success answer of an operation: its status code (set on the route too) and body schema. */
export function ApiSuccess(status: 200 | 201, type: Type<unknown> | [Type<unknown>], description?: string) {
  const decorate = status === 201 ? ApiCreatedResponse : ApiOkResponse;
  return applyDecorators(HttpCode(status), decorate({ type, description }));
}

/** An operation that answers 204 with no body. */
export function ApiNoContent(description = 'Done; no body') {
  return applyDecorators(HttpCode(204), ApiNoContentResponse({ description }));
}
