import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ApiError, toFieldProblems } from '../errors/api-error.js';

/** Distinct valid query strings remembered per DTO class. */
const REMEMBERED_QUERIES = 1000;

/**
 * Strict validation of bodies and queries: unknown fields are errors, and every problem is named.
 *
 * Queries repeat: a polling consumer sends the same `?limit=100` all day, and class-transformer
 * plus class-validator were a few percent of a cached pull's CPU. So a query that passed is
 * remembered per DTO class and raw value, and the next identical one gets a copy of its result
 * without being validated again. That is sound because no query DTO rule reads anything but the
 * value (no clock, no database); a query that failed is never remembered. Bodies are not
 * remembered: they are large, rarely repeat, and batch items have their own fast check.
 */
export class StrictValidationPipe extends ValidationPipe {
  private readonly validQueries = new WeakMap<object, LRUCache<string, object>>();

  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => ApiError.badRequest('Validation failed', toFieldProblems(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = metadata.metatype;
    if (metadata.type !== 'query' || !type || !value || typeof value !== 'object') return super.transform(value, metadata);
    let remembered = this.validQueries.get(type);
    if (!remembered) this.validQueries.set(type, (remembered = new LRUCache({ max: REMEMBERED_QUERIES })));
    const key = JSON.stringify(value);
    const known = remembered.get(key);
    if (known) return copyOf(known);
    const result = (await super.transform(value, metadata)) as object;
    remembered.set(key, copyOf(result));
    return result;
  }
}

/**
 * A copy a handler may change freely: same class, own properties copied, arrays (repeated query
 * parameters) copied too. A parsed query string holds nothing deeper.
 */
function copyOf<T extends object>(query: T): T {
  const copy = Object.create(Object.getPrototypeOf(query)) as T;
  for (const [name, value] of Object.entries(query)) (copy as Record<string, unknown>)[name] = Array.isArray(value) ? [...value] : value;
  return copy;
}

export function strictValidationPipe(): ValidationPipe {
  return new StrictValidationPipe();
}
