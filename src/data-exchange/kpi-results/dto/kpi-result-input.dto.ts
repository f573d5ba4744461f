import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { SECURITY_CLASSIFICATIONS, type SecurityClassification } from '../../shared/record-schema.js';
import { UNIT_CODE_PATTERN } from '../../../units/record-units.js';
import { CODE_MESSAGE, CODE_PATTERN, NormaliseText, UNIT_CODE_MESSAGE } from '../../shared/validators.js';
import { PERIOD_TYPES, type PeriodType } from '../kpi-period.js';

/** Numbers are accepted and kept as decimal text: some indicators report values like "Đạt". */
const NumberAsText = () => Transform(({ value }) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value));

/** Kết quả thực hiện bộ chỉ số — the 14 fields of Appendix II, II.2, as pushed by a connected system. */
export class KpiResultInputDto {
  @ApiProperty({ description: '1. Nhóm chỉ số — indicator group', example: 'A.02 - Chỉ số kết quả, hiệu quả, chuyển biến thực chất và tác động' })
  @IsString()
  @Length(1, 500)
  indicatorGroup: string;

  @ApiPropertyOptional({ description: '2. Mã chỉ số — indicator code (unique). Required in a batch; in a PUT it is the path.', example: 'A.02.01' })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: CODE_MESSAGE })
  indicatorCode?: string;

  @ApiProperty({ description: '3. Tên chỉ số — indicator name', example: 'Mức đóng góp của năng suất nhân tố tổng hợp (TFP) vào tăng trưởng kinh tế.' })
  @IsString()
  @Length(1, 2000)
  indicatorName: string;

  @ApiProperty({ description: '4. Đơn vị tính — unit of measure', example: '%' })
  @IsString()
  @Length(1, 50)
  unit: string;

  @ApiPropertyOptional({ description: '5. Mô tả chỉ số, công thức tính — methodology' })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  methodology?: string;

  @ApiProperty({ description: '6a. Kỳ dữ liệu (loại) — Tháng / Quý / 6 tháng / Năm / Đột xuất', enum: PERIOD_TYPES })
  @IsIn(PERIOD_TYPES, { message: `must be one of ${PERIOD_TYPES.join(', ')}` })
  periodType: PeriodType;

  @ApiPropertyOptional({ description: '6b. Kỳ dữ liệu — 2026-05 (MONTH), 2026-Q2 (QUARTER), 2026-H1 (HALF_YEAR, 6 tháng), 2026 (YEAR), 2026-06-15 (AD_HOC, đột xuất: the day it was requested for). Required in a batch; in a PUT it is the path.', example: '2026-Q2' })
  @IsOptional()
  @IsString()
  period?: string;

  @ApiPropertyOptional({ description: '7. Số mục tiêu — target', example: '>55% vào năm 2030' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  target?: string;

  @ApiPropertyOptional({
    description: '8. Cơ quan thực hiện — reporting agency (data provider), by name: resolved through the unit register (any spelling, tone placement or former name). Required unless reportingAgencyCode is given; must be within the connection\'s write scope',
    example: 'Bộ Tài chính',
  })
  @IsOptional()
  @NormaliseText()
  @IsString()
  @Length(1, 300)
  reportingAgency?: string;

  @ApiPropertyOptional({ description: 'Mã cơ quan thực hiện — the reporting agency\'s code in the unit register; with reportingAgency, both must name the same unit', example: 'GW-BTC' })
  @IsOptional()
  @Matches(UNIT_CODE_PATTERN, { message: UNIT_CODE_MESSAGE })
  reportingAgencyCode?: string;

  @ApiProperty({ description: '9. Kết quả thực hiện trong kỳ — result in the period (numbers are kept as decimal text)', example: '46.5' })
  @NumberAsText()
  @IsString()
  @Length(1, 500)
  periodResult: string;

  @ApiPropertyOptional({ description: '10. Kết quả thực hiện lũy kế — cumulative result', example: '47.1' })
  @IsOptional()
  @NumberAsText()
  @IsString()
  @MaxLength(500)
  cumulativeResult?: string;

  @ApiPropertyOptional({ description: '11. Mô tả tiến độ — progress analysis (not allowed on classified records)' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  progressDescription?: string;

  @ApiPropertyOptional({ description: '12. Khó khăn — difficulties (not allowed on classified records)' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  difficulties?: string;

  @ApiPropertyOptional({ description: '13. Đề xuất — proposals (not allowed on classified records)' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  proposals?: string;

  @ApiPropertyOptional({ description: '14. Tài liệu sở cứ đính kèm — evidence: ids from POST /api/v1/attachments (not allowed on classified records)', type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true, message: 'each must be an attachmentId (UUID)' })
  attachments?: string[];

  @ApiPropertyOptional({ description: 'Độ mật — security classification; a classified record carries only its status (III.1.d)', enum: SECURITY_CLASSIFICATIONS, default: 'UNCLASSIFIED' })
  @IsOptional()
  @IsIn(SECURITY_CLASSIFICATIONS, { message: `must be one of ${SECURITY_CLASSIFICATIONS.join(', ')}` })
  classification?: SecurityClassification;
}

/**
 * The fields above that hold free text (names, narrative, results reported as text): validated,
 * then stored and compared only through SQL parameters, so attack screening leaves them alone.
 * Every other field has a strict format. Keep in step with the class.
 */
export const KPI_RESULT_FREE_TEXT = ['indicatorGroup', 'indicatorName', 'unit', 'methodology', 'target', 'reportingAgency', 'periodResult', 'cumulativeResult', 'progressDescription', 'difficulties', 'proposals'] as const;
