import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { FieldProblem, toFieldProblems } from '../../shared/errors/api-error.js';
import { compileInstanceBuilder } from './fast-instance.js';
import { compileValidityCheck } from './fast-validity.js';

export const STRICT_VALIDATION = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

type Result<T> = { value: T; problems: [] } | { value: null; problems: FieldProblem[] };
type FastPath = (plain: object) => object | undefined;

const fastPaths = new Map<Function, FastPath | null>();
/** Off only in the benchmark (bench/authority.ts) and tests, to measure what the fast path saves. */
let fastPathEnabled = true;

/** Benchmark/test-only: every item takes the library path while `enabled` is false. Not configuration. */
export function setValidationFastPathForBenchmark(enabled: boolean): void {
  fastPathEnabled = enabled;
}

/**
 * Validates one plain object against a DTO class; returns the instance or the field problems.
 * A valid flat item takes the fast path (same instance, same verdict, a fraction of the CPU:
 * see bench/validation.ts); anything it is not sure of, every invalid item included, takes
 * class-transformer and class-validator, which therefore write every message.
 */
export function validateItem<T extends object>(type: ClassConstructor<T>, plain: unknown): Result<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) return notAnObject();
  const fast = fastPathEnabled ? validateItemFast(type, plain) : undefined;
  return fast ? { value: fast, problems: [] } : validateItemReference(type, plain);
}

/** The instance when the fast path is sure the item is valid; undefined when it is not sure. */
export function validateItemFast<T extends object>(type: ClassConstructor<T>, plain: object): T | undefined {
  return fastPathOf(type)?.(plain) as T | undefined;
}

/** The reference path: class-transformer, then class-validator. */
export function validateItemReference<T extends object>(type: ClassConstructor<T>, plain: unknown): Result<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) return notAnObject();
  const value = plainToInstance(type, plain);
  const problems = [...inheritedNameProblems(plain), ...toFieldProblems(validateSync(value, STRICT_VALIDATION))];
  return problems.length ? { value: null, problems } : { value, problems: [] };
}

/**
 * class-transformer silently drops keys named like Object.prototype members (`toString`,
 * `constructor`…), so class-validator never sees them: refused here as any unknown field is.
 */
const INHERITED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
function inheritedNameProblems(plain: object): FieldProblem[] {
  return Object.keys(plain)
    .filter((key) => INHERITED_NAMES.has(key))
    .map((key) => ({ field: key, problem: "should not exist" }));
}

function notAnObject(): { value: null; problems: FieldProblem[] } {
  return { value: null, problems: [{ field: '', problem: 'must be a JSON object' }] };
}

/** Compiled on first use, when every decorator of the class has run. */
function fastPathOf(type: ClassConstructor<object>): FastPath | null {
  let fast = fastPaths.get(type);
  if (fast === undefined) {
    const check = compileValidityCheck(type);
    const build = check && compileInstanceBuilder(type, check.properties);
    fast = check && build ? (plain) => {
      const instance = build(plain);
      return instance && check.isValid(instance) ? instance : undefined;
    } : null;
    fastPaths.set(type, fast);
  }
  return fast;
}
