import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { DATA_SETS } from './periodic-report.service.js';
import { PERIOD_PATTERN } from './report-period.js';
import { SECTION_KEYS } from './report-sections.js';

export const FORMATS = ['json', 'xlsx', 'csv'] as const;

/** How a report is delivered: JSON for the console, a workbook, or one section as CSV. */
export class ReportFormatQueryDto {
  @ApiPropertyOptional({ enum: FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(FORMATS)
  format?: (typeof FORMATS)[number];

  @ApiPropertyOptional({ enum: SECTION_KEYS, description: 'Required with format=csv: a CSV file holds one table' })
  @IsOptional()
  @IsIn(SECTION_KEYS)
  section?: (typeof SECTION_KEYS)[number];
}

export class PeriodicReportQueryDto extends ReportFormatQueryDto {
  @ApiPropertyOptional({ example: '2026-Q3', description: 'A quarter (2026-Q3), half-year (2026-H1) or year (2026); or give from and to instead' })
  @IsOptional()
  @Matches(PERIOD_PATTERN, { message: 'must be a quarter (2026-Q3), a half-year (2026-H1) or a year (2026)' })
  period?: string;

  @ApiPropertyOptional({ example: '2026-10-01', description: 'First day (YYYY-MM-DD), with to' })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Last day, included (YYYY-MM-DD), with from' })
  @IsOptional()
  @IsString()
  to?: string;

  @ApiPropertyOptional({ example: 'Bộ Tài chính', description: 'Only this unit (lead unit, reporting agency, connection owner)' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  unit?: string;

  @ApiPropertyOptional({ enum: DATA_SETS })
  @IsOptional()
  @IsIn(DATA_SETS)
  dataSet?: (typeof DATA_SETS)[number];

  @ApiPropertyOptional({ enum: ['production', 'test'], default: 'production' })
  @IsOptional()
  @IsIn(['production', 'test'])
  environment?: 'production' | 'test';
}
