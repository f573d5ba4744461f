import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { UNIT_CODE_PATTERN } from '../../../units/record-units.js';
import { UNIT_CODE_MESSAGE } from '../../shared/validators.js';
import { FeedPullQueryDto } from '../../shared/pull-query.dto.js';
import { DEADLINE_STATUSES } from '../deadline-status.js';
import { TASK_RESULTS, TaskResultInputDto } from './task-result-input.dto.js';

export class TaskResultDto extends TaskResultInputDto {
  @ApiProperty({ description: '1. Mã nhiệm vụ — task code', example: '012_TBKL_NQ57' })
  declare taskCode: string;

  @ApiProperty({ example: 'Đảng ủy Bộ Khoa học và Công nghệ', description: '5. Đơn vị chủ trì — as sent, or the register\'s name when only the code was sent' })
  declare leadUnit: string;

  @ApiProperty({ type: String, nullable: true, example: 'GW-BKHCN', description: 'Register code of the lead unit answerable now; null only on records written before the register that it could not place' })
  declare leadUnitCode: string;

  @ApiProperty({ type: [String], example: ['GW-BTP'], description: 'Register codes of the coordinating units, in the order of coordinatingUnits' })
  declare coordinatingUnitCodes: string[];

  @ApiProperty({ enum: DEADLINE_STATUSES, description: 'Tín hiệu thời hạn (III.1.đ): ON_TIME, DUE_SOON, OVERDUE, COMPLETED_LATE' })
  deadlineStatus: string;

  @ApiProperty({ enum: ['GREEN', 'YELLOW', 'RED'], description: 'Màu cảnh báo: xanh / vàng / đỏ' })
  deadlineColor: string;

  @ApiProperty({ description: 'Version; the ETag is this number in quotes' })
  version: number;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ enum: [false] })
  revoked: false;
}

export class TaskResultTombstoneDto {
  @ApiProperty() taskCode: string;
  @ApiProperty({ enum: [true] }) revoked: true;
  @ApiProperty({ format: 'date-time' }) revokedAt: string;
}

@ApiExtraModels(TaskResultDto, TaskResultTombstoneDto)
export class TaskResultPageDto {
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ $ref: getSchemaPath(TaskResultDto) }, { $ref: getSchemaPath(TaskResultTombstoneDto) }] },
    description: 'Records in change order; revoked records appear as tombstones when a cursor or updatedSince is given',
  })
  items: Array<TaskResultDto | TaskResultTombstoneDto>;

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null when there is none yet' })
  nextCursor: string | null;

  @ApiProperty({ description: 'The position after this page: pass it as `cursor` next time to receive only later changes, never skipping one' })
  resumeCursor: string;
}

export class PullTaskResultsQueryDto extends FeedPullQueryDto {
  @ApiPropertyOptional({ description: 'Đơn vị chủ trì, by name: resolved through the unit register; selects the unit answerable now and the units merged into it' })
  @IsOptional()
  @IsString()
  leadUnit?: string;

  @ApiPropertyOptional({ description: 'Mã đơn vị chủ trì — register code, as leadUnit', example: 'GW-BKHCN' })
  @IsOptional()
  @Matches(UNIT_CODE_PATTERN, { message: UNIT_CODE_MESSAGE })
  leadUnitCode?: string;

  @ApiPropertyOptional({ description: 'Mã nhóm nhiệm vụ' })
  @IsOptional()
  @IsString()
  taskGroupCode?: string;

  @ApiPropertyOptional({ enum: TASK_RESULTS })
  @IsOptional()
  @IsIn(TASK_RESULTS, { message: `must be one of ${TASK_RESULTS.join(', ')}` })
  result?: string;

  @ApiPropertyOptional({ enum: DEADLINE_STATUSES })
  @IsOptional()
  @IsIn(DEADLINE_STATUSES, { message: `must be one of ${DEADLINE_STATUSES.join(', ')}` })
  deadlineStatus?: string;
}
