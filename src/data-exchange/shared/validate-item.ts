import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { FieldProblem, toFieldProblems } from '../../shared/errors/api-error.js';

export const STRICT_VALIDATION = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/** Validates one plain object against a DTO class; returns the instance or the field problems. */
export function validateItem<T extends object>(
  type: ClassConstructor<T>,
  plain: unknown,
): { value: T; problems: [] } | { value: null; problems: FieldProblem[] } {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { value: null, problems: [{ field: '', problem: 'must be a JSON object' }] };
  }
  const value = plainToInstance(type, plain);
  const problems = toFieldProblems(validateSync(value, STRICT_VALIDATION));
  return problems.length ? { value: null, problems } : { value, problems: [] };
}
