import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

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
