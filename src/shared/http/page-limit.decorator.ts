import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `limit` of a paged list in a query string: 1 to 500, 100 when absent (the handler's default). */
export function PageLimit(): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 }), IsOptional(), Type(() => Number), IsInt(), Min(1), Max(500));
}
