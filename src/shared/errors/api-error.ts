import { HttpStatus } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ValidationError } from 'class-validator';

export class FieldProblem {
  @ApiProperty({ example: 'priority', description: 'JSON path of the offending field' })
  field: string;

  @ApiProperty({ example: 'must not be greater than 5' })
  problem: string;
}

/** The one error shape of the gateway (CONTRACT.md → Errors). */
export class ApiErrorBody {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'Bad Request' })
  error: string;

  @ApiProperty({ example: 'Validation failed' })
  message: string;

  @ApiPropertyOptional({ example: 'Dữ liệu gửi lên không hợp lệ; đề nghị sửa các trường được liệt kê (mục details)', description: 'The same in Vietnamese (by code): what happened and what to do' })
  messageVi?: string;

  @ApiPropertyOptional({
    example: 'OUTSIDE_WRITE_SCOPE',
    description: 'Stable machine-readable reason, e.g. CONNECTION_SUSPENDED, TOKEN_CERTIFICATE_MISMATCH',
  })
  code?: string;

  @ApiPropertyOptional({ type: [FieldProblem] })
  details?: FieldProblem[];

  @ApiProperty({ example: '1f0c6a4e-2d7b-4c8e-9a51-0b6f3f2d9e11', description: 'Also in X-Request-Id and the audit log' })
  requestId: string;
}

/** A domain error that the global filter turns into ApiErrorBody. */
export class ApiError extends Error {
  /** Sent as Retry-After (429, suspended connections). */
  retryAfterSeconds?: number;

  constructor(
    readonly status: HttpStatus,
    readonly code: string,
    message: string,
    readonly details?: FieldProblem[],
  ) {
    super(message);
  }

  static badRequest(message: string, details?: FieldProblem[], code = 'VALIDATION_FAILED') {
    return new ApiError(HttpStatus.BAD_REQUEST, code, message, details);
  }
  static unauthorized(code: string, message: string) {
    return new ApiError(HttpStatus.UNAUTHORIZED, code, message);
  }
  static forbidden(code: string, message: string) {
    return new ApiError(HttpStatus.FORBIDDEN, code, message);
  }
  static notFound(message: string) {
    return new ApiError(HttpStatus.NOT_FOUND, 'NOT_FOUND', message);
  }
  static conflict(code: string, message: string) {
    return new ApiError(HttpStatus.CONFLICT, code, message);
  }
  static tooLarge(message: string) {
    return new ApiError(HttpStatus.PAYLOAD_TOO_LARGE, 'PAYLOAD_TOO_LARGE', message);
  }
}

/** Flattens class-validator's tree into `{field, problem}` rows with dotted paths. */
/**
 * class-validator's checks of a value's type. When one fails, the field's other problems (a range,
 * a length) only mislead: `"priority": "1"` is not "greater than 5", it is not a number at all.
 */
const TYPE_CHECKS = new Set(['isDefined', 'isInt', 'isNumber', 'isString', 'isBoolean', 'isArray', 'isObject', 'nestedValidation']);

export function toFieldProblems(errors: ValidationError[], prefix = ''): FieldProblem[] {
  const rows: FieldProblem[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const constraints = Object.entries(error.constraints ?? {});
    // Absent: "is required" says it all; of the wrong type: the type alone; else every problem.
    const missing = constraints.filter(([name]) => name === 'isDefined');
    const typeProblems = constraints.filter(([name]) => TYPE_CHECKS.has(name));
    for (const [, problem] of missing.length > 0 ? missing : typeProblems.length > 0 ? typeProblems : constraints) {
      rows.push({ field, problem: problem.replace(/^property \S+ /, '').replace(new RegExp(`^${error.property} `), '') });
    }
    if (error.children?.length) rows.push(...toFieldProblems(error.children, field));
  }
  return rows;
}
