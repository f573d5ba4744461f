import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageLimit } from '../../shared/http/page-limit.decorator.js';

/** What every change-feed pull takes, whatever its data set; each adds its own filters. */
export class FeedPullQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Only records changed at or after this instant; includes tombstones of revoked records' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 timestamp with offset' })
  updatedSince?: string;

  @ApiPropertyOptional({ description: 'nextCursor or resumeCursor of an earlier page', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @PageLimit()
  limit?: number;
}
