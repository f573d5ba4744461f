import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID } from 'class-validator';

/** One minute of a connection's data-plane calls, by outcome (the audit log's `outcome`). */
export class TrafficMinuteView {
  @ApiProperty({ format: 'date-time', description: 'Start of the minute' }) at: string;
  @ApiProperty({ type: 'integer', description: 'Answered 2xx/3xx' }) success: number;
  @ApiProperty({ type: 'integer', description: 'Refused (4xx): scope, quota, suspension, screening…' }) rejected: number;
  @ApiProperty({ type: 'integer', description: 'Failed (5xx)' }) failed: number;
}

export class TrafficTotalsView {
  @ApiProperty({ type: 'integer' }) calls: number;
  @ApiProperty({ type: 'integer' }) success: number;
  @ApiProperty({ type: 'integer' }) rejected: number;
  @ApiProperty({ type: 'integer' }) failed: number;
}

export class RefusalCountView {
  @ApiProperty({ type: String, nullable: true, example: 'QUOTA_EXCEEDED', description: 'The error code answered; null when none was recorded' }) errorCode: string | null;
  @ApiProperty({ type: 'integer' }) count: number;
}

/**
 * A connection's data-plane traffic over the last hour, minute by minute (what the security
 * officer's board shows). Fixed size — 60 minutes, at most 10 refusal codes — so not paged.
 */
export class ConnectionTrafficView {
  @ApiProperty({ format: 'uuid' }) connectionId: string;
  @ApiProperty({ format: 'date-time', description: 'Start of the first minute (59 minutes before the current one)' }) from: string;
  @ApiProperty({ format: 'date-time', description: 'When it was counted' }) to: string;
  @ApiProperty({ type: 'integer', enum: [60], description: 'Width of each bucket, in seconds' }) bucketSeconds: 60;
  @ApiProperty({ type: TrafficTotalsView }) totals: TrafficTotalsView;
  @ApiProperty({ type: [TrafficMinuteView], description: '60 minutes, oldest first, quiet minutes included (zeros)' }) minutes: TrafficMinuteView[];
  @ApiProperty({ type: [RefusalCountView], description: 'The 10 most frequent refusal and failure codes of the hour, most frequent first' }) refusals: RefusalCountView[];
}

/** The connections whose last hour the security board shows beside each row: one page of them. */
export class LastHourTotalsQuery {
  @ApiProperty({ type: String, description: 'Connection ids, comma-separated (1 to 100)', example: '6f1c…,9a2e…' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((id) => id.trim()).filter(Boolean) : value))
  @IsArray()
  @ArrayMinSize(1, { message: 'name at least one connection' })
  @ArrayMaxSize(100, { message: 'name at most 100 connections (one page)' })
  @IsUUID('all', { each: true, message: 'each must be a connection id (UUID)' })
  connectionIds: string[];
}

export class ConnectionTotalsView extends TrafficTotalsView {
  @ApiProperty({ format: 'uuid' }) connectionId: string;
}

/** The last hour's totals of each connection asked for that the caller may see (quiet ones with zeros). */
export class LastHourTotalsView {
  @ApiProperty({ format: 'date-time', description: 'Start of the first minute counted' }) from: string;
  @ApiProperty({ format: 'date-time' }) to: string;
  @ApiProperty({ type: [ConnectionTotalsView], description: 'In the order asked; bounded by the request (at most 100), so not paged' }) connections: ConnectionTotalsView[];
}
