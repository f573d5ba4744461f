import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class SetCalendarDayDto {
  @ApiProperty({ enum: ['HOLIDAY', 'WORKDAY'], description: 'HOLIDAY: a public holiday or swapped day off (Ngày nghỉ); WORKDAY: a make-up working day (Ngày làm bù)' })
  @IsIn(['HOLIDAY', 'WORKDAY'])
  kind: 'HOLIDAY' | 'WORKDAY';

  @ApiProperty({ example: 'Tết Nguyên đán Đinh Mùi' })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'Thông báo số …/TB-BNV ngày … của Bộ Nội vụ', description: 'The law or announcement the day comes from' })
  @IsString()
  @MinLength(5)
  @MaxLength(500)
  source: string;
}

export class CalendarYearQueryDto {
  @ApiPropertyOptional({ example: 2026, description: 'Calendar year (default: this year)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;
}

export class CalendarDayView {
  @ApiProperty({ example: '2026-02-17' })
  day: string;

  @ApiProperty({ enum: ['HOLIDAY', 'WORKDAY'] })
  kind: string;

  @ApiProperty({ example: 'Tết Nguyên đán Bính Ngọ' })
  name: string;

  @ApiProperty()
  source: string;

  @ApiProperty({ example: '2026-12-04T08:00:00.000Z' })
  updatedAt: string;

  @ApiProperty({ nullable: true, type: String, description: 'Account that set the day; null for the shipped register' })
  updatedBy: string | null;
}

export class CalendarYearView {
  @ApiProperty({ example: 'Asia/Ho_Chi_Minh' })
  timeZone: string;

  @ApiProperty({ example: 2026 })
  year: number;

  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: { type: 'string', pattern: '^\\d{2}:\\d{2}$' }, minItems: 2, maxItems: 2 },
    example: [['08:00', '12:00'], ['13:00', '17:00']],
    description: 'Working periods of a working day, each [start, end]',
  })
  workingHours: string[][];

  @ApiProperty({ type: [CalendarDayView], description: 'Days that differ from their weekday (Monday–Friday work, Saturday–Sunday off)' })
  days: CalendarDayView[];
}
