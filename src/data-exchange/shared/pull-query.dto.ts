import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { REVIEW_STATUSES } from '../task-flow/flow-state.columns.js';
import { PageLimit } from '../../shared/http/page-limit.decorator.js';

/** What every change-feed pull takes, whatever its data set; each adds its own filters. */
export class FeedPullQueryDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'Only records changed at or after this instant; includes tombstones of revoked records. Safe under concurrent writers: a change committed later never carries an earlier time, ' +
      'so passing the greatest `updatedAt` seen misses nothing (records stamped exactly that instant come again). The cursor is the cheaper way to follow the feed.',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 timestamp with offset' })
  // Without an offset PostgreSQL would read the instant in its session's zone, not the caller's.
  @Matches(/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/, { message: 'must be a timestamp with its offset, e.g. 2026-06-30T08:00:00+07:00 or …Z' })
  updatedSince?: string;

  @ApiPropertyOptional({ description: 'nextCursor or resumeCursor of an earlier page', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ enum: REVIEW_STATUSES, description: "The assigner's review: PENDING (not reviewed since the last reported change), APPROVED, RETURNED. Only APPROVED data is aggregated (III.1.e)." })
  @IsOptional()
  @IsIn(REVIEW_STATUSES, { message: `must be one of ${REVIEW_STATUSES.join(', ')}` })
  reviewStatus?: string;

  @PageLimit()
  limit?: number;
}
