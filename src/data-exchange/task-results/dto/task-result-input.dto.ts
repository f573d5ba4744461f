import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { SECURITY_CLASSIFICATIONS, type SecurityClassification } from '../../shared/record-schema.js';
import { UNIT_CODE_PATTERN } from '../../../units/record-units.js';
import { CODE_MESSAGE, CODE_PATTERN, IsCalendarDate, NormaliseText, UNIT_CODE_MESSAGE } from '../../shared/validators.js';

export const TASK_RESULTS = ['COMPLETED', 'IN_PROGRESS', 'NOT_STARTED'] as const;
export type TaskResultValue = (typeof TASK_RESULTS)[number];

/** Kết quả thực hiện nhiệm vụ — the 17 fields of Appendix II, II.1, as pushed by a connected system. */
export class TaskResultInputDto {
  @ApiPropertyOptional({ description: '1. Mã nhiệm vụ — task code (unique). Required in a batch; in a PUT it is the path and may be omitted.', example: '012_TBKL_NQ57' })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: CODE_MESSAGE })
  taskCode?: string;

  @ApiProperty({ description: '2. Tên nhiệm vụ — task name', example: 'Khẩn trương xây dựng, ban hành Nghị định …' })
  @IsString()
  @Length(1, 2000)
  taskName: string;

  @ApiProperty({ description: '3. Mã nhóm nhiệm vụ — task group code within the resolution', example: '57_N02' })
  @Matches(CODE_PATTERN, { message: CODE_MESSAGE })
  taskGroupCode: string;

  @ApiPropertyOptional({ description: '4. Tên nhóm nhiệm vụ — task group name', example: 'Về xây dựng hoàn thiện thể chế' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  taskGroupName?: string;

  @ApiPropertyOptional({
    description: '5. Đơn vị chủ trì thực hiện — lead unit, by name: resolved through the unit register (any spelling, tone placement or former name; "Tỉnh ủy"/"UBND tỉnh" prefixes accepted when unambiguous). Required unless leadUnitCode is given; must be within the connection\'s write scope',
    example: 'Đảng ủy Bộ Khoa học và Công nghệ',
  })
  @IsOptional()
  @NormaliseText()
  @IsString()
  @Length(1, 300)
  leadUnit?: string;

  @ApiPropertyOptional({ description: 'Mã đơn vị chủ trì — the lead unit\'s code in the unit register; with leadUnit, both must name the same unit. Responses carry the code of the unit answerable now (a merged unit\'s successor).', example: 'GW-BKHCN' })
  @IsOptional()
  @Matches(UNIT_CODE_PATTERN, { message: UNIT_CODE_MESSAGE })
  leadUnitCode?: string;

  @ApiPropertyOptional({ description: '6. Đơn vị phối hợp thực hiện — coordinating units, by name (resolved like leadUnit)', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 300, { each: true })
  coordinatingUnits?: string[];

  @ApiPropertyOptional({ description: 'Mã đơn vị phối hợp — their register codes, in the order of coordinatingUnits when both are given', type: [String], example: ['GW-BTP'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(UNIT_CODE_PATTERN, { each: true, message: `each ${UNIT_CODE_MESSAGE}` })
  coordinatingUnitCodes?: string[];

  @ApiProperty({ description: '7. Văn bản giao nhiệm vụ — assigning document (legal basis)', example: 'Thông báo số 03-TB/BCĐTW ngày 06/3/2025' })
  @IsString()
  @Length(1, 1000)
  assigningDocument: string;

  @ApiPropertyOptional({ description: '8. Sản phẩm đầu ra, Kết quả yêu cầu — expected output' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  expectedOutput?: string;

  @ApiProperty({ description: '9. Thời gian giao nhiệm vụ — date assigned', example: '2026-03-06', format: 'date' })
  @IsCalendarDate()
  assignedAt: string;

  @ApiProperty({ description: '10. Thời hạn hoàn thành — due date', example: '2026-12-31', format: 'date' })
  @IsCalendarDate()
  dueDate: string;

  @ApiProperty({ description: '11. Thứ tự ưu tiên — priority, 1 (highest) to 5', minimum: 1, maximum: 5, example: 1 })
  @IsInt()
  @Min(1)
  @Max(5)
  priority: number;

  @ApiProperty({ description: '12. Kết quả — Đã hoàn thành / Đang thực hiện / Chưa thực hiện', enum: TASK_RESULTS })
  @IsIn(TASK_RESULTS, { message: `must be one of ${TASK_RESULTS.join(', ')}` })
  result: TaskResultValue;

  @ApiPropertyOptional({ description: '13. Ngày hoàn thành thực tế — actual completion date; required when result is COMPLETED, absent otherwise', format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  completedAt?: string;

  @ApiPropertyOptional({ description: '14. Mô tả — narrative of implementation (not allowed on classified records)' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  description?: string;

  @ApiPropertyOptional({ description: '15. Khó khăn/vướng mắc — difficulties (not allowed on classified records)' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  difficulties?: string;

  @ApiPropertyOptional({ description: '16. Đề xuất/kiến nghị — proposals (not allowed on classified records)' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  proposals?: string;

  @ApiPropertyOptional({ description: '17. File sở cứ đính kèm — evidence: ids from POST /api/v1/attachments (not allowed on classified records)', type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true, message: 'each must be an attachmentId (UUID)' })
  attachments?: string[];

  @ApiPropertyOptional({ description: 'Độ mật — security classification. A classified record carries only its status: no description, difficulties, proposals or evidence (III.1.d).', enum: SECURITY_CLASSIFICATIONS, default: 'UNCLASSIFIED' })
  @IsOptional()
  @IsIn(SECURITY_CLASSIFICATIONS, { message: `must be one of ${SECURITY_CLASSIFICATIONS.join(', ')}` })
  classification?: SecurityClassification;
}

/**
 * The fields above that hold free text (names, narrative): validated, then stored and compared
 * only through SQL parameters, so attack screening leaves them alone ("Hướng dẫn về thẻ <script>"
 * is a legitimate title). Every other field has a strict format. Keep in step with the class.
 */
export const TASK_RESULT_FREE_TEXT = ['taskName', 'taskGroupName', 'leadUnit', 'coordinatingUnits', 'assigningDocument', 'expectedOutput', 'description', 'difficulties', 'proposals'] as const;
