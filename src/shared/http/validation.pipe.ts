import { ValidationPipe } from '@nestjs/common';
import { ApiError, toFieldProblems } from '../errors/api-error.js';

/** Strict validation of bodies and queries: unknown fields are errors, and every problem is named. */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => ApiError.badRequest('Validation failed', toFieldProblems(errors)),
  });
}
