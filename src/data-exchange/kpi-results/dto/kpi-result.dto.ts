import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { FeedPullQueryDto } from '../../shared/pull-query.dto.js';
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

export class PullKpiResultsQueryDto extends FeedPullQueryDto {
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
}
