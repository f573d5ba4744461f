import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate } from '../../data-exchange/shared/validators.js';
import { DATA_SETS, DIRECTIONS } from '../connection-scope.js';
import { ENVIRONMENTS } from '../environment.js';

export class ContactPointDto {
  @ApiProperty() @IsString() @Length(1, 200) name: string;
  @ApiProperty() @IsEmail({}, { message: 'must be an e-mail address' }) email: string;
  @ApiProperty() @Matches(/^[+0-9 ()-]{6,20}$/, { message: 'must be a phone number' }) phone: string;
}

/** Step 1 — hồ sơ kỹ thuật: the technical dossier of a connection request. */
export class TechnicalDossierDto {
  @ApiProperty({ description: 'Phạm vi dữ liệu — the data requested' }) @IsString() @Length(1, 5000) dataScope: string;
  @ApiProperty({ description: 'Mục đích sử dụng — purpose of use' }) @IsString() @Length(1, 5000) purpose: string;
  @ApiProperty({ description: 'Mô tả hệ thống thông tin — the information system' }) @IsString() @Length(1, 10000) systemDescription: string;
  @ApiProperty({ description: 'Cấp độ an toàn hệ thống thông tin (Decree 85/2016)', minimum: 1, maximum: 5 })
  @IsInt()
  @Min(1)
  @Max(5)
  securityLevel: number;
  @ApiProperty({ type: ContactPointDto }) @ValidateNested() @Type(() => ContactPointDto) technicalContact: ContactPointDto;
  @ApiProperty({ type: ContactPointDto }) @ValidateNested() @Type(() => ContactPointDto) businessContact: ContactPointDto;
  @ApiProperty({ format: 'uuid', description: 'The confirmed security-level assessment, uploaded to POST /control/v1/documents' })
  @IsUUID()
  securityAssessmentDocumentId: string;
}

export class RegisterConnectionDto {
  @ApiProperty({ description: 'Name of the connecting information system' }) @IsString() @Length(1, 200) name: string;
  @ApiProperty({ type: TechnicalDossierDto }) @ValidateNested() @Type(() => TechnicalDossierDto) dossier: TechnicalDossierDto;
}

export class ResubmitConnectionDto {
  @ApiProperty({ type: TechnicalDossierDto }) @ValidateNested() @Type(() => TechnicalDossierDto) dossier: TechnicalDossierDto;
  @ApiPropertyOptional({ description: 'What was revised' }) @IsOptional() @IsString() @Length(1, 5000) note?: string;
}

export class AppraisalDto {
  @ApiProperty({ enum: ['APPROVE', 'RETURN'] }) @IsIn(['APPROVE', 'RETURN'], { message: 'must be APPROVE or RETURN' }) decision: 'APPROVE' | 'RETURN';
  @ApiProperty({ description: 'Findings; for RETURN, the reasons the unit must address' }) @IsString() @Length(1, 10000) reasons: string;
}

export class QuotasDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) readsPerMinute?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) writesPerMinute?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) readsPerDay?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) writesPerDay?: number;
}

export class DirectionsByDataSetDto {
  @ApiPropertyOptional({ enum: DIRECTIONS, isArray: true, name: 'task-results' })
  @IsOptional()
  @IsArray()
  @IsIn(DIRECTIONS, { each: true })
  'task-results'?: (typeof DIRECTIONS)[number][];

  @ApiPropertyOptional({ enum: DIRECTIONS, isArray: true, name: 'kpi-results' })
  @IsOptional()
  @IsArray()
  @IsIn(DIRECTIONS, { each: true })
  'kpi-results'?: (typeof DIRECTIONS)[number][];
}

export class AgreedScopeDto {
  @ApiProperty({ enum: DATA_SETS, isArray: true }) @IsArray() @ArrayMinSize(1) @IsIn(DATA_SETS, { each: true }) dataSets: (typeof DATA_SETS)[number][];
  @ApiProperty({ enum: DIRECTIONS, isArray: true }) @IsArray() @ArrayMinSize(1) @IsIn(DIRECTIONS, { each: true }) directions: (typeof DIRECTIONS)[number][];
  @ApiPropertyOptional({
    description: 'Directions per data set where they differ from `directions`, e.g. {"task-results":["push"],"kpi-results":["pull"]}',
    example: { 'task-results': ['push'], 'kpi-results': ['pull'] },
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => DirectionsByDataSetDto)
  directionsByDataSet?: DirectionsByDataSetDto;
  @ApiProperty({ type: [String], description: 'Units whose records the connection may push' }) @IsArray() @ArrayMaxSize(1000) @IsString({ each: true }) writeUnits: string[];
  @ApiProperty({ type: [String], description: 'Units whose records it may pull; "*" for all' }) @IsArray() @ArrayMaxSize(1000) @IsString({ each: true }) readUnits: string[];
}

export class SignatoryDto {
  @ApiProperty() @IsString() @Length(1, 200) name: string;
  @ApiProperty() @IsString() @Length(1, 200) position: string;
  @ApiProperty() @IsString() @Length(1, 300) organisation: string;
}

/** Step 3 — biên bản thỏa thuận kết nối: the signed minutes. */
export class RecordAgreementDto {
  @ApiProperty({ type: AgreedScopeDto }) @ValidateNested() @Type(() => AgreedScopeDto) scope: AgreedScopeDto;
  @ApiProperty({ description: 'Định dạng dữ liệu' }) @IsString() @Length(1, 2000) dataFormat: string;
  @ApiProperty({ description: 'Tần suất — as agreed in words; enforced through quotas' }) @IsString() @Length(1, 2000) frequency: string;
  @ApiProperty({ type: QuotasDto }) @ValidateNested() @Type(() => QuotasDto) quotas: QuotasDto;
  @ApiProperty({ description: 'Biện pháp bảo mật' }) @IsString() @Length(1, 5000) securityMeasures: string;
  @ApiPropertyOptional({ type: [String], description: 'Allowed source addresses (IP or CIDR)' })
  @IsOptional()
  @IsArray()
  @Matches(/^[0-9a-fA-F.:]+(\/\d{1,3})?$/, { each: true, message: 'each must be an IP address or CIDR block' })
  allowedSourceAddresses?: string[];
  @ApiProperty({ description: 'Trách nhiệm các bên' }) @IsString() @Length(1, 5000) responsibilities: string;
  @ApiProperty({ description: 'Phương thức xử lý sự cố' }) @IsString() @Length(1, 5000) incidentHandling: string;
  @ApiProperty({ type: [SignatoryDto] }) @IsArray() @ArrayMinSize(2) @ValidateNested({ each: true }) @Type(() => SignatoryDto) signatories: SignatoryDto[];
  @ApiProperty({ format: 'date' }) @IsCalendarDate() signedOn: string;
}

export class SubmitCsrDto {
  @ApiProperty({ enum: ENVIRONMENTS }) @IsIn(ENVIRONMENTS, { message: 'must be test or production' }) environment: (typeof ENVIRONMENTS)[number];
  @ApiProperty({ description: 'PKCS#10 request in PEM, RSA 2048 bits or more (EC is not supported)' }) @IsString() @Length(100, 20000) csrPem: string;
}

export class ConfigureConnectionDto {
  @ApiProperty({ description: 'Mã định danh đơn vị — the unit identifier DTD assigns', example: 'G09.BTC' })
  @Matches(/^[A-Za-z0-9._-]{2,64}$/, { message: 'must be 2-64 of letters, digits, ".", "_", "-"' })
  unitCode: string;
}

export class ConfirmTestDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The signed test report (uploaded document)' }) @IsOptional() @IsUUID() reportDocumentId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 5000) notes?: string;
}

export class GoLiveDto {
  @ApiProperty({ format: 'date', description: 'The agreed date of official operation' }) @IsCalendarDate() goLiveDate: string;
}

export class IssueCertificateDto {
  @ApiProperty({ enum: ENVIRONMENTS }) @IsIn(ENVIRONMENTS, { message: 'must be test or production' }) environment: (typeof ENVIRONMENTS)[number];
}

export class ReasonDto {
  @ApiProperty() @IsString() @Length(1, 5000) reason: string;
}

export class ReEvaluationDto {
  @ApiProperty({ enum: ['CONDITIONS_MET', 'CONDITIONS_NOT_MET'] })
  @IsIn(['CONDITIONS_MET', 'CONDITIONS_NOT_MET'], { message: 'must be CONDITIONS_MET or CONDITIONS_NOT_MET' })
  outcome: string;
  @ApiProperty() @IsString() @Length(1, 10000) findings: string;
}

export class MaintenanceMinutesDto {
  @ApiProperty({ description: 'Biên bản giám sát, bảo trì' }) @IsString() @Length(1, 10000) summary: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() documentId?: string;
}

