import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { UNIT_CODE_PATTERN } from '../../../units/record-units.js';
import { UNIT_CODE_MESSAGE } from '../../shared/validators.js';
import { FeedPullQueryDto } from '../../shared/pull-query.dto.js';
import { PERIOD_TYPES } from '../kpi-period.js';
import { KpiResultInputDto } from './kpi-result-input.dto.js';

export class KpiResultDto extends KpiResultInputDto {
  @ApiProperty({ example: 'A.02.01' }) declare indicatorCode: string;
  @ApiProperty({ example: '2026-Q2' }) declare period: string;
  @ApiProperty({ example: 'Bộ Tài chính', description: '8. Cơ quan thực hiện — as sent, or the register\'s name when only the code was sent' }) declare reportingAgency: string;
  @ApiProperty({ type: String, nullable: true, example: 'GW-BTC', description: 'Register code of the agency answerable now; null only on records written before the register that it could not place' })
  declare reportingAgencyCode: string;
  @ApiProperty({ description: 'Version; the ETag is this number in quotes' }) version: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ enum: [false] }) revoked: false;
}

export class KpiResultTombstoneDto {
  @ApiProperty() indicatorCode: string;
  @ApiProperty() period: string;
  @ApiProperty({ type: String, nullable: true, description: 'Mã cơ quan thực hiện: part of the key, as on the record (issue 14.5)', example: 'GW-BTC' })
  reportingAgencyCode: string | null;
  @ApiProperty({ enum: [true] }) revoked: true;
  @ApiProperty({ format: 'date-time' }) revokedAt: string;
}

@ApiExtraModels(KpiResultDto, KpiResultTombstoneDto)
export class KpiResultPageDto {
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ $ref: getSchemaPath(KpiResultDto) }, { $ref: getSchemaPath(KpiResultTombstoneDto) }] },
    description: 'Records in change order; revoked records appear as tombstones when a cursor or updatedSince is given',
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

  @ApiPropertyOptional({ description: 'Cơ quan thực hiện, by name: resolved through the unit register; selects the unit answerable now and the units merged into it' })
  @IsOptional()
  @IsString()
  reportingAgency?: string;

  @ApiPropertyOptional({ description: 'Mã cơ quan thực hiện — register code, as reportingAgency', example: 'GW-BTC' })
  @IsOptional()
  @Matches(UNIT_CODE_PATTERN, { message: UNIT_CODE_MESSAGE })
  reportingAgencyCode?: string;

  @ApiPropertyOptional({ enum: PERIOD_TYPES })
  @IsOptional()
  @IsIn(PERIOD_TYPES, { message: `must be one of ${PERIOD_TYPES.join(', ')}` })
  periodType?: string;

  @ApiPropertyOptional({ example: '2026-Q2' })
  @IsOptional()
  @IsString()
  period?: string;
}
