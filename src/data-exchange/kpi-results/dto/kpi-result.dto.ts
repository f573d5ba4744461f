import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, Min } from 'class-validator';
import { PERIOD_TYPES } from '../kpi-period.js';
import { KpiResultInputDto } from './kpi-result-input.dto.js';

export class KpiResultDto extends KpiResultInputDto {
  @ApiProperty({ example: 'A.02.01' }) declare indicatorCode: string;
  @ApiProperty({ example: '2026-Q2' }) declare period: string;
  @ApiProperty({ description: 'Version; the ETag is this number in quotes' }) version: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ enum: [false] }) revoked: false;
}

export class KpiResultTombstoneDto {
  @ApiProperty() indicatorCode: string;
  @ApiProperty() period: string;
  @ApiProperty({ enum: [true] }) revoked: true;
  @ApiProperty({ format: 'date-time' }) revokedAt: string;
}

@ApiExtraModels(KpiResultDto, KpiResultTombstoneDto)
export class KpiResultPageDto {
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ $ref: getSchemaPath(KpiResultDto) }, { $ref: getSchemaPath(KpiResultTombstoneDto) }] },
    description: 'Records in change order; revoked records appear as tombstones when updatedSince is given',
  })
  items: Array<KpiResultDto | KpiResultTombstoneDto>;

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null when there is none yet' })
  nextCursor: string | null;

  @ApiProperty({ description: 'The position after this page: pass it as `cursor` next time to receive only later changes' })
  resumeCursor: string;
}

export class PullKpiResultsQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Only records changed at or after this instant; includes tombstones' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 timestamp with offset' })
  updatedSince?: string;

  @ApiPropertyOptional({ description: 'Nhóm chỉ số' })
  @IsOptional()
  @IsString()
  indicatorGroup?: string;

  @ApiPropertyOptional({ description: 'Cơ quan thực hiện' })
  @IsOptional()
  @IsString()
  reportingAgency?: string;

  @ApiPropertyOptional({ enum: PERIOD_TYPES })
  @IsOptional()
  @IsIn(PERIOD_TYPES, { message: `must be one of ${PERIOD_TYPES.join(', ')}` })
  periodType?: string;

  @ApiPropertyOptional({ example: '2026-Q2' })
  @IsOptional()
  @IsString()
  period?: string;

  @ApiPropertyOptional({ description: 'nextCursor or resumeCursor of an earlier page' })
  @IsOptional()
  @IsString()
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
