import { Type as Constructor } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export const PAGE_LIMIT_DEFAULT = 50;
export const PAGE_LIMIT_MAX = 100;

/**
 * `limit` and `cursor` of every paged control-plane list. The cursor is opaque to clients: they
 * pass back the `nextCursor` of the page they have (today it is an offset, so a row inserted
 * before it shifts the next page by one; every list is ordered oldest or newest first with a
 * tie-breaker, so a client never loops).
 */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: PAGE_LIMIT_MAX, default: PAGE_LIMIT_DEFAULT, description: 'Rows per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_LIMIT_MAX)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page; absent for the first page', pattern: '^[0-9]{1,9}$', example: '50' })
  @IsOptional()
  @Matches(/^[0-9]{1,9}$/, { message: 'must be the nextCursor of a previous page' })
  cursor?: string;
}

/** A page of a list that people read newest first and scripts read in the order things happened. */
export class OrderedPageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['oldest', 'newest'], default: 'oldest', description: 'oldest: in the order things happened (a script catching up); newest: what a person reads first' })
  @IsOptional()
  @IsIn(['oldest', 'newest'])
  order?: 'oldest' | 'newest';
}

/** Rows to skip and to take for a page; `take` is one more than the page, to learn whether another follows. */
export interface PageWindow {
  skip: number;
  take: number;
}

export function pageWindow(query: PageQueryDto): PageWindow {
  return { skip: query.cursor ? Number(query.cursor) : 0, take: (query.limit ?? PAGE_LIMIT_DEFAULT) + 1 };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A page from the rows fetched with `pageWindow` (at most one more than the page). */
export function toPage<R, T>(rows: R[], window: PageWindow, map: (row: R) => T): Page<T> {
  const size = window.take - 1;
  return { items: rows.slice(0, size).map(map), nextCursor: rows.length > size ? String(window.skip + size) : null };
}

const pageClasses = new Map<Constructor<unknown>, Constructor<unknown>>();

/** The OpenAPI schema of a page of `item` (`{items, nextCursor}`), one named class per item type. */
export function PageOf(item: Constructor<unknown>): Constructor<unknown> {
  let page = pageClasses.get(item);
  if (!page) {
    class PageDto {
      @ApiProperty({ type: [item] }) items: unknown[];
      @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' }) nextCursor: string | null;
    }
    Object.defineProperty(PageDto, 'name', { value: `${item.name.replace(/View$|Dto$/, '')}Page` });
    pageClasses.set(item, (page = PageDto));
  }
  return page;
}
