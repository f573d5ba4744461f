import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ApiError } from '../../shared/errors/api-error.js';

const cache = new Map<Type, Type>();

/** OpenAPI shape of `{"items": [...]}` for a batch of the given item type (validated per item, not here). */
export function BatchRequestDocs(item: Type): Type {
  if (!cache.has(item)) {
    class BatchRequest {
      @ApiProperty({ type: [item], maxItems: 1000, description: 'Up to 1,000 items; each is validated on its own' })
      items: unknown[];
    }
    Object.defineProperty(BatchRequest, 'name', { value: `${item.name.replace(/InputDto$/, '')}BatchRequest` });
    cache.set(item, BatchRequest);
  }
  return cache.get(item)!;
}

/**
 * The items of a batch body `{"items": [...]}`. A member other than `items` is refused, as an
 * unknown field anywhere else is: a client that believes it sent `"dryRun": true` must not have
 * its items written. (The items themselves are validated one by one by the service.)
 */
export function batchItems(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const unknown = Object.keys(body).filter((key) => key !== 'items');
  if (unknown.length > 0) throw ApiError.badRequest('Validation failed', unknown.map((field) => ({ field, problem: 'should not exist' })));
  return (body as { items?: unknown }).items;
}
