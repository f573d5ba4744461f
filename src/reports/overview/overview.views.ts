import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ConnectionState } from '../../connections/connection-lifecycle.js';
import { DATA_SETS } from '../../connections/connection-scope.js';
import { SEVERITIES } from '../../security/incidents/incident.entity.js';
import { PageQueryDto } from '../../shared/http/paging.js';

/** What the console's overview page shows: counts only, nothing of a record's content. */

export class StateCountView {
  @ApiProperty({ enum: ConnectionState }) state: string;
  @ApiProperty({ type: 'integer' }) count: number;
}

export class SeverityCountView {
  @ApiProperty({ enum: SEVERITIES, nullable: true, description: 'Null: not classified yet' }) severity: string | null;
  @ApiProperty({ type: 'integer', description: 'Open incidents of this severity' }) open: number;
  @ApiProperty({ type: 'integer', description: 'Of which with a deadline passed undone' }) overdue: number;
}

export class TrafficHourView {
  @ApiProperty({ format: 'date-time', description: 'Start of the hour' }) at: string;
  @ApiProperty({ type: 'integer' }) success: number;
  @ApiProperty({ type: 'integer', description: 'Refused (4xx)' }) rejected: number;
  @ApiProperty({ type: 'integer', description: 'Failed (5xx)' }) failed: number;
}

export class UnitVolumeView {
  @ApiProperty({ description: "The unit that owns the calling connections (the connection's owner unit)" }) unit: string;
  @ApiProperty({ enum: DATA_SETS }) dataSet: string;
  @ApiProperty({ type: 'integer', description: 'Pulls answered (GET)' }) reads: number;
  @ApiProperty({ type: 'integer', description: 'Pushes answered (PUT, POST, PATCH, DELETE)' }) writes: number;
  @ApiProperty({ type: 'integer', description: 'Calls refused (4xx)' }) rejected: number;
}

export class OverviewView {
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ type: [StateCountView], description: 'Every state, zeros included, in the lifecycle order' }) connectionsByState: StateCountView[];
  @ApiProperty({ type: [SeverityCountView], description: 'Open incidents by severity (unclassified last)' }) incidentsBySeverity: SeverityCountView[];
  @ApiProperty({ type: [TrafficHourView], description: 'Data-plane calls of the last 24 hours, hour by hour, oldest first (24 buckets)' }) trafficByHour: TrafficHourView[];
  @ApiProperty({ type: [UnitVolumeView], description: 'Data-plane calls of the last 24 hours by unit and data set, the busiest first (at most 50 rows)' })
  volumesByUnit: UnitVolumeView[];
}

export const DEADLINE_COLOURS = ['RED', 'YELLOW', 'GREEN'] as const;

/** One unit's open tasks (production) by the deadline signal of III.1.đ, and its nearest deadline in working days. */
export class UnitDeadlinesView {
  @ApiProperty({ description: 'The lead unit, as the records name it' }) unit: string;
  @ApiProperty({ type: 'integer', description: 'Open tasks past their due date' }) overdue: number;
  @ApiProperty({ type: 'integer', description: 'Open tasks due within DUE_SOON_DAYS' }) dueSoon: number;
  @ApiProperty({ type: 'integer', description: 'Open tasks due later' }) onTime: number;
  @ApiProperty({ format: 'date', description: 'The nearest due date of its open tasks' }) nearestDueDate: string;
  @ApiProperty({ type: 'integer', description: 'Working days from today to that date (the working calendar: weekends, holidays, make-up days); negative: that many working days late' })
  workingDaysLeft: number;
  @ApiProperty({ enum: DEADLINE_COLOURS, description: 'RED with an overdue task, YELLOW with one due soon, GREEN otherwise (the colours of III.1.đ)' }) colour: string;
}

export class UnitDeadlinesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DEADLINE_COLOURS, description: 'Only units of this colour' })
  @IsOptional()
  @IsIn(DEADLINE_COLOURS, { message: `must be one of ${DEADLINE_COLOURS.join(', ')}` })
  colour?: (typeof DEADLINE_COLOURS)[number];
}
