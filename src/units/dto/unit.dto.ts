import { PageQueryDto } from '../../shared/http/paging.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsCalendarDate, UNIT_CODE_MESSAGE } from '../../data-exchange/shared/validators.js';
import { UNIT_CODE_PATTERN } from '../record-units.js';
import { UNIT_KINDS, type UnitKind } from '../unit-kinds.js';

const Nfc = () => Transform(({ value }) => (typeof value === 'string' ? value.normalize('NFC').trim().replace(/\s+/g, ' ') : value));
const KIND_DESCRIPTION = 'PARTY_COMMITTEE_UNDER_CC (Đảng bộ trực thuộc Trung ương), CENTRAL_PARTY_BODY (cơ quan Đảng ở Trung ương), MINISTRY_OR_CENTRAL_AGENCY (bộ, cơ quan ngang bộ), PROVINCE (tỉnh, thành phố), COMMUNE (xã, phường)';

export class CreateUnitDto {
  @ApiProperty({ example: '16279', description: 'Stable code: the official one where there is one, else one the DTD assigns (say so in `source`)' })
  @Matches(UNIT_CODE_PATTERN, { message: UNIT_CODE_MESSAGE })
  code: string;

  @ApiProperty({ example: 'Phường Hạc Thành', description: 'Official Vietnamese name' })
  @Nfc() @IsString() @Length(2, 300)
  name: string;

  @ApiPropertyOptional({ example: 'Hạc Thành', description: 'Short name (default: the name)' })
  @IsOptional() @Nfc() @IsString() @Length(2, 300)
  shortName?: string;

  @ApiProperty({ enum: UNIT_KINDS, description: KIND_DESCRIPTION })
  @IsIn(UNIT_KINDS, { message: `must be one of ${UNIT_KINDS.join(', ')}` })
  kind: UnitKind;

  @ApiPropertyOptional({ example: '38', description: 'Code of the unit it belongs to (a commune: its province)' })
  @IsOptional() @Matches(UNIT_CODE_PATTERN, { message: UNIT_CODE_MESSAGE })
  parentCode?: string;

  @ApiPropertyOptional({ format: 'date', example: '2025-07-01' })
  @IsOptional() @IsCalendarDate()
  validFrom?: string;

  @ApiPropertyOptional({ type: [String], description: 'Names it was known by before' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @Length(2, 300, { each: true })
  formerNames?: string[];

  @ApiProperty({ example: 'Nghị quyết số …/NQ-UBTVQH15 của Ủy ban Thường vụ Quốc hội', description: 'The decision the unit and its code come from' })
  @Nfc() @IsString() @Length(5, 500)
  source: string;
}

export class RenameUnitDto {
  @ApiProperty({ example: 'Thành phố Huế' }) @Nfc() @IsString() @Length(2, 300) name: string;
  @ApiPropertyOptional({ example: 'Huế' }) @IsOptional() @Nfc() @IsString() @Length(2, 300) shortName?: string;
  @ApiProperty({ description: 'The decision that renames it' }) @Nfc() @IsString() @Length(5, 500) source: string;
}

export class MergeUnitDto {
  @ApiProperty({ example: 'GW-T-BAC-NINH', description: 'The unit it is merged into; scopes and records pass on to it' })
  @Matches(UNIT_CODE_PATTERN, { message: UNIT_CODE_MESSAGE })
  successorCode: string;

  @ApiProperty({ format: 'date', example: '2025-07-01', description: 'First day of the successor; the merged unit\'s validTo is the day before' })
  @IsCalendarDate()
  effectiveOn: string;

  @ApiProperty({ description: 'The decision that merges it' }) @Nfc() @IsString() @Length(5, 500) source: string;
}

export class UnitListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: UNIT_KINDS }) @IsOptional() @IsIn(UNIT_KINDS, { message: `must be one of ${UNIT_KINDS.join(', ')}` }) kind?: UnitKind;
  @ApiPropertyOptional({ description: 'Also units no longer in force (merged or dissolved)', enum: ['true', 'false'] })
  @IsOptional() @IsIn(['true', 'false'], { message: 'must be true or false' }) includeFormer?: string;
}

export class ResolveUnitQueryDto {
  @ApiProperty({ example: 'Tỉnh ủy Thanh Hoá', description: 'A name in any spelling, or a code' }) @IsString() @Length(1, 300) name: string;
}

export class UnitView {
  @ApiProperty({ example: '38' }) code: string;
  @ApiProperty({ example: 'Tỉnh Thanh Hóa' }) name: string;
  @ApiProperty({ example: 'Thanh Hóa' }) shortName: string;
  @ApiProperty({ enum: UNIT_KINDS }) kind: UnitKind;
  @ApiProperty({ example: 'Tỉnh, thành phố trực thuộc Trung ương' }) kindLabel: string;
  @ApiProperty({ type: String, nullable: true }) parentCode: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) validFrom: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: 'Last day in force; null while in force' }) validTo: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The unit it was merged into' }) successorCode: string | null;
  @ApiProperty({ description: 'The unit answerable now: itself, or the end of its successor chain' }) currentCode: string;
  @ApiProperty({ type: [String] }) formerNames: string[];
  @ApiProperty({ type: [String], example: ['Tỉnh Thanh Hoá', 'Thanh Hoá'], description: 'The other tone placements of its names, all accepted' }) spellingVariants: string[];
  @ApiProperty() source: string;
  @ApiProperty({ type: String, nullable: true, description: 'DTD account of the last change; null for the shipped register' }) updatedBy: string | null;
}

export class UnitEventView {
  @ApiProperty({ enum: ['CREATE', 'RENAME', 'MERGE'] }) action: string;
  @ApiProperty() actorName: string;
  @ApiProperty() source: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) changes: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
}

export class UnitDetailView extends UnitView {
  @ApiProperty({ type: [String], description: 'Units merged into this one' }) predecessorCodes: string[];
  @ApiProperty({ type: [UnitEventView] }) history: UnitEventView[];
}

export class UnitResolutionView {
  @ApiProperty({ type: UnitView, nullable: true, description: 'The unit answerable now for that name; null when unknown or ambiguous' }) unit: UnitView | null;
  @ApiProperty({ type: [UnitView], description: 'The candidates of an ambiguous name, or the closest entries to an unknown one' }) suggestions: UnitView[];
}
