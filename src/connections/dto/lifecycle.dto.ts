import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsDefined,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate } from '../../data-exchange/shared/validators.js';
import { CLASSIFIED_CLEARANCES, DATA_SET_ROLES, DATA_SETS, DIRECTIONS } from '../connection-scope.js';
import { ENVIRONMENTS } from '../environment.js';
import { REVOCATION_REASON_MAX } from '../../pki/client-certificate.entity.js';

export class ContactPointDto {
  @ApiProperty() @IsString() @Length(1, 200) name: string;
  @ApiProperty() @IsEmail({}, { message: 'must be an e-mail address' }) email: string;
  @ApiProperty() @Matches(/^[+0-9 ()-]{6,20}$/, { message: 'must be a phone number' }) phone: string;
}

/** An official letter as the guidance cites it: số, ngày, người ký, and its scan. */
export class OfficialLetterDto {
  @ApiProperty({ description: 'Số văn bản', example: '123/BTC-CNTT' }) @IsString() @Length(1, 100) number: string;
  @ApiProperty({ format: 'date', description: 'Ngày văn bản; not in the future' }) @IsCalendarDate() date: string;
  @ApiProperty({ description: 'Người ký (name and position)' }) @IsString() @Length(1, 300) signedBy: string;
  @ApiProperty({ format: 'uuid', description: 'The signed letter, uploaded to POST /control/v1/documents' }) @IsUUID() documentId: string;
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
  @ApiProperty({ type: ContactPointDto }) @IsDefined({ message: 'is required: the technical contact (name, email, phone)' }) @IsObject({ message: 'must be an object' }) @ValidateNested() @Type(() => ContactPointDto) technicalContact: ContactPointDto;
  @ApiProperty({ type: ContactPointDto }) @IsDefined({ message: 'is required: the business contact (name, email, phone)' }) @IsObject({ message: 'must be an object' }) @ValidateNested() @Type(() => ContactPointDto) businessContact: ContactPointDto;
  @ApiProperty({ format: 'uuid', description: 'The confirmed security-level assessment, uploaded to POST /control/v1/documents' })
  @IsUUID()
  securityAssessmentDocumentId: string;
  @ApiProperty({ type: OfficialLetterDto, description: "Công văn đề nghị kết nối: the unit's official request letter" })
  @IsDefined({ message: 'is required: the official request letter (number, date, signedBy, documentId)' })
  @IsObject({ message: 'must be an object' }) @ValidateNested()
  @Type(() => OfficialLetterDto)
  requestLetter: OfficialLetterDto;
}

/** Step 1 (IV.5.đ): the security check of the unit's system by the competent body. */
export class SecurityCheckDto {
  @ApiProperty({ description: 'The competent body that checked (cơ quan có thẩm quyền)' }) @IsString() @Length(1, 300) checkedBy: string;
  @ApiProperty({ format: 'date', description: 'Date of the check; not in the future' }) @IsCalendarDate() checkedOn: string;
  @ApiProperty({ enum: ['SATISFACTORY', 'UNSATISFACTORY'], description: 'Only a SATISFACTORY check lets the request be approved' })
  @IsIn(['SATISFACTORY', 'UNSATISFACTORY'], { message: 'must be SATISFACTORY or UNSATISFACTORY' })
  result: 'SATISFACTORY' | 'UNSATISFACTORY';
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 10000) findings?: string;
  @ApiProperty({ format: 'uuid', description: "The competent body's written result, uploaded to POST /control/v1/documents" }) @IsUUID() documentId: string;
}

/** Step 2: "báo cáo Lãnh đạo Văn phòng Trung ương Đảng quyết định" — the decision the appraisal reports. */
export class LeadershipDecisionDto {
  @ApiProperty({ description: 'Who decided (name and position)' }) @IsString() @Length(1, 300) decidedBy: string;
  @ApiProperty({ format: 'date', description: 'Date of the decision; not in the future, not before the request was registered' }) @IsCalendarDate() decidedOn: string;
  @ApiPropertyOptional({ description: 'Số văn bản of the decision, when it has one' }) @IsOptional() @IsString() @Length(1, 100) number?: string;
  @ApiProperty({ format: 'uuid', description: 'The decision, uploaded to POST /control/v1/documents' }) @IsUUID() documentId: string;
}

export class RegisterConnectionDto {
  @ApiProperty({ description: 'Name of the connecting information system' }) @IsString() @Length(1, 200) name: string;
  @ApiProperty({ type: TechnicalDossierDto }) @IsDefined({ message: 'is required: the technical dossier' }) @IsObject({ message: 'must be an object' }) @ValidateNested() @Type(() => TechnicalDossierDto) dossier: TechnicalDossierDto;
}

export class ResubmitConnectionDto {
  @ApiProperty({ type: TechnicalDossierDto }) @IsDefined({ message: 'is required: the revised technical dossier' }) @IsObject({ message: 'must be an object' }) @ValidateNested() @Type(() => TechnicalDossierDto) dossier: TechnicalDossierDto;
  @ApiPropertyOptional({ description: 'What was revised' }) @IsOptional() @IsString() @Length(1, 5000) note?: string;
}

export class AppraisalDto {
  @ApiProperty({ enum: ['APPROVE', 'RETURN'] }) @IsIn(['APPROVE', 'RETURN'], { message: 'must be APPROVE or RETURN' }) decision: 'APPROVE' | 'RETURN';
  @ApiProperty({ description: 'Findings; for RETURN, the reasons the unit must address' }) @IsString() @Length(1, 10000) reasons: string;
  @ApiPropertyOptional({ type: LeadershipDecisionDto, description: 'Required for APPROVE: the leadership decision the appraisal reported' })
  @ValidateIf((o: AppraisalDto) => o.decision === 'APPROVE' || o.leadershipDecision !== undefined)
  @IsDefined({ message: 'is required to APPROVE: who decided, when, and the document' })
  @IsObject({ message: 'must be an object' }) @ValidateNested()
  @Type(() => LeadershipDecisionDto)
  leadershipDecision?: LeadershipDecisionDto;
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

/** Authority per data set (PRODUCT.md §3a; README "Data authority"). */
export class RolesByDataSetDto {
  @ApiPropertyOptional({ enum: DATA_SET_ROLES, name: 'task-results' })
  @IsOptional()
  @IsIn(DATA_SET_ROLES, { message: `must be one of ${DATA_SET_ROLES.join(', ')}` })
  'task-results'?: (typeof DATA_SET_ROLES)[number];

  @ApiPropertyOptional({ enum: DATA_SET_ROLES, name: 'kpi-results' })
  @IsOptional()
  @IsIn(DATA_SET_ROLES, { message: `must be one of ${DATA_SET_ROLES.join(', ')}` })
  'kpi-results'?: (typeof DATA_SET_ROLES)[number];
}

export class AgreedScopeDto {
  @ApiProperty({ enum: DATA_SETS, isArray: true }) @IsArray() @ArrayMinSize(1) @IsIn(DATA_SETS, { each: true }) dataSets: (typeof DATA_SETS)[number][];
  @ApiProperty({ enum: DIRECTIONS, isArray: true }) @IsArray() @ArrayMinSize(1) @IsIn(DIRECTIONS, { each: true }) directions: (typeof DIRECTIONS)[number][];
  @ApiPropertyOptional({
    description: 'Directions per data set where they differ from `directions`, e.g. {"task-results":["push"],"kpi-results":["pull"]}',
    example: { 'task-results': ['push'], 'kpi-results': ['pull'] },
  })
  @IsOptional()
  @IsObject({ message: 'must be an object' }) @ValidateNested()
  @Type(() => DirectionsByDataSetDto)
  directionsByDataSet?: DirectionsByDataSetDto;
  @ApiPropertyOptional({
    type: RolesByDataSetDto,
    description:
      'Authority per data set: ASSIGNER (Standing Agency: creates, owns the assignment fields, reviews, revokes), REPORTER (executing unit: confirms, disputes, owns the result fields), READER. ' +
      'A data set without a role keeps the authority agreements had before roles: ASSIGNER and REPORTER at once where it pushes, READER where it only pulls.',
    example: { 'task-results': 'REPORTER', 'kpi-results': 'REPORTER' },
  })
  @IsOptional()
  @IsObject({ message: 'must be an object' }) @ValidateNested()
  @Type(() => RolesByDataSetDto)
  roles?: RolesByDataSetDto;
  @ApiProperty({ type: [String], description: 'Units whose records the connection may push' }) @IsArray() @ArrayMaxSize(1000) @IsString({ each: true }) writeUnits: string[];
  @ApiProperty({ type: [String], description: 'Units whose records it may pull; "*" for all' }) @IsArray() @ArrayMaxSize(1000) @IsString({ each: true }) readUnits: string[];
  @ApiPropertyOptional({
    enum: CLASSIFIED_CLEARANCES,
    default: 'NONE',
    description: 'Reader clearance: the highest classification whose records (status only) the connection may learn exist. NONE: classified records are invisible to it, whatever its units',
  })
  @IsOptional()
  @IsIn(CLASSIFIED_CLEARANCES)
  classifiedClearance?: (typeof CLASSIFIED_CLEARANCES)[number];
}

export class SignatoryDto {
  @ApiProperty() @IsString() @Length(1, 200) name: string;
  @ApiProperty() @IsString() @Length(1, 200) position: string;
  @ApiProperty() @IsString() @Length(1, 300) organisation: string;
}

/** Step 3 — biên bản thỏa thuận kết nối: the signed minutes. */
export class RecordAgreementDto {
  @ApiProperty({ type: AgreedScopeDto }) @IsDefined({ message: 'is required: the agreed scope (data sets, directions, units)' }) @IsObject({ message: 'must be an object' }) @ValidateNested() @Type(() => AgreedScopeDto) scope: AgreedScopeDto;
  @ApiProperty({ description: 'Định dạng dữ liệu' }) @IsString() @Length(1, 2000) dataFormat: string;
  @ApiProperty({ description: 'Tần suất — as agreed in words; enforced through quotas' }) @IsString() @Length(1, 2000) frequency: string;
  @ApiProperty({ type: QuotasDto }) @IsDefined({ message: 'is required: the agreed quotas (an empty object for the defaults)' }) @IsObject({ message: 'must be an object' }) @ValidateNested() @Type(() => QuotasDto) quotas: QuotasDto;
  @ApiProperty({ description: 'Biện pháp bảo mật' }) @IsString() @Length(1, 5000) securityMeasures: string;
  @ApiPropertyOptional({ type: [String], description: 'Allowed source addresses (IP or CIDR)' })
  @IsOptional()
  @IsArray()
  @Matches(/^[0-9a-fA-F.:]+(\/\d{1,3})?$/, { each: true, message: 'each must be an IP address or CIDR block' })
  allowedSourceAddresses?: string[];
  @ApiProperty({ description: 'Trách nhiệm các bên' }) @IsString() @Length(1, 5000) responsibilities: string;
  @ApiProperty({ description: 'Phương thức xử lý sự cố' }) @IsString() @Length(1, 5000) incidentHandling: string;
  @ApiProperty({ type: [SignatoryDto] }) @IsDefined({ message: 'is required: the signatories of both parties' }) @IsArray() @ArrayMinSize(2) @ValidateNested({ each: true }) @Type(() => SignatoryDto) signatories: SignatoryDto[];
  @ApiProperty({
    format: 'date',
    description: 'Date of signing: not in the future (today in the gateway TIMEZONE), not before the request was registered, not before the version it replaces',
  })
  @IsCalendarDate()
  signedOn: string;
  @ApiProperty({ format: 'uuid', description: 'The signed minutes, scanned and uploaded to POST /control/v1/documents' }) @IsUUID() documentId: string;
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
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 5000) notes?: string;
}

export class TestAreaResultDto {
  @ApiProperty({ enum: ['PASS', 'FAIL'] }) @IsIn(['PASS', 'FAIL'], { message: 'must be PASS or FAIL' }) result: 'PASS' | 'FAIL';
  @ApiProperty({ description: 'What was tested and what it showed' }) @IsString() @Length(1, 5000) notes: string;
}

export class TestResultsDto {
  @ApiProperty({ type: TestAreaResultDto, description: 'Chức năng' }) @IsDefined({ message: 'is required' }) @IsObject({ message: 'must be an object' }) @ValidateNested() @Type(() => TestAreaResultDto) functional: TestAreaResultDto;
  @ApiProperty({ type: TestAreaResultDto, description: 'Hiệu năng' }) @IsDefined({ message: 'is required' }) @IsObject({ message: 'must be an object' }) @ValidateNested() @Type(() => TestAreaResultDto) performance: TestAreaResultDto;
  @ApiProperty({ type: TestAreaResultDto, description: 'An toàn, bảo mật' }) @IsDefined({ message: 'is required' }) @IsObject({ message: 'must be an object' }) @ValidateNested() @Type(() => TestAreaResultDto) security: TestAreaResultDto;
}

/** Step 5 — biên bản kết quả thử nghiệm: filed by DTD, then confirmed by both sides. */
export class TestReportDto {
  @ApiProperty({ format: 'uuid', description: 'The test report, uploaded to POST /control/v1/documents' }) @IsUUID() documentId: string;
  @ApiProperty({ type: TestResultsDto }) @IsDefined({ message: 'is required' }) @IsObject({ message: 'must be an object' }) @ValidateNested() @Type(() => TestResultsDto) results: TestResultsDto;
}

export class GoLiveDto {
  @ApiProperty({
    format: 'date',
    description:
      'The agreed date of official operation. Today or earlier: LIVE at once. A later date: GO_LIVE_SCHEDULED — the production certificate is issued now, production calls are refused (403 NOT_YET_LIVE) until that date comes in the gateway TIMEZONE, then the connection becomes LIVE by itself',
  })
  @IsCalendarDate()
  goLiveDate: string;
  @ApiProperty({ type: ContactPointDto, description: "The unit's 24/7 incident contact (đầu mối ứng cứu sự cố 24/7), shown to the security officer" })
  @IsDefined({ message: 'is required: the 24/7 incident contact (name, phone, email)' })
  @IsObject({ message: 'must be an object' }) @ValidateNested()
  @Type(() => ContactPointDto)
  incidentContact: ContactPointDto;
}

export class IssueCertificateDto {
  @ApiProperty({ enum: ENVIRONMENTS }) @IsIn(ENVIRONMENTS, { message: 'must be test or production' }) environment: (typeof ENVIRONMENTS)[number];
}

export class ReasonDto {
  @ApiProperty() @IsString() @Length(1, 5000) reason: string;
}

export class RevokeCertificateDto {
  // Composed (NFC) before it is measured: a decomposed Vietnamese keyboard's text is longer than it looks.
  @ApiProperty({ maxLength: REVOCATION_REASON_MAX, description: 'Kept on the certificate and in the connection history' })
  @Transform(({ value }) => (typeof value === 'string' ? value.normalize('NFC') : value))
  @IsString()
  @Length(1, REVOCATION_REASON_MAX)
  reason: string;
}

export class ReEvaluationDto {
  @ApiProperty({ enum: ['CONDITIONS_MET', 'CONDITIONS_NOT_MET'] })
  @IsIn(['CONDITIONS_MET', 'CONDITIONS_NOT_MET'], { message: 'must be CONDITIONS_MET or CONDITIONS_NOT_MET' })
  outcome: string;
  @ApiProperty() @IsString() @Length(1, 10000) findings: string;
  @ApiPropertyOptional({
    enum: ['SUSPEND', 'DEADLINE'],
    description: 'Required when CONDITIONS_NOT_MET: suspend the connection now, or set a deadline to fix (the unit is told now and reminded when it is due)',
  })
  @ValidateIf((o: ReEvaluationDto) => o.outcome === 'CONDITIONS_NOT_MET' || o.consequence !== undefined)
  @IsIn(['SUSPEND', 'DEADLINE'], { message: 'must be SUSPEND or DEADLINE when the conditions are not met' })
  consequence?: 'SUSPEND' | 'DEADLINE';
  @ApiPropertyOptional({ format: 'date', description: 'Required with DEADLINE: the date by which the conditions must be met; after today' })
  @ValidateIf((o: ReEvaluationDto) => o.consequence === 'DEADLINE' || o.remedyDeadline !== undefined)
  @IsDefined({ message: 'is required with the DEADLINE consequence' })
  @IsCalendarDate()
  remedyDeadline?: string;
}

/**
 * What a step-7 record is (guidance Appendix II.I step 7 and IV.5.e): monitoring and maintenance
 * minutes; a spot check at the connection point; the unit's annual security assessment dossier as
 * received; or DTD's demand for that dossier by a date, which the unit is told of.
 */
/** IV.5.e, the unit's side: its annual security assessment dossier, filed by the unit itself. */
export class SubmitAssessmentDossierDto {
  @ApiProperty({ description: 'What the dossier holds (the assessment, by whom, its conclusions)' }) @IsString() @Length(1, 10000) summary: string;
  @ApiProperty({ format: 'uuid', description: 'The dossier, uploaded to POST /control/v1/documents' }) @IsUUID() documentId: string;
}

export const MINUTES_KINDS = ['MAINTENANCE', 'SPOT_CHECK', 'ASSESSMENT_REQUESTED', 'ASSESSMENT_DOSSIER'] as const;
export type MinutesKind = (typeof MINUTES_KINDS)[number];

export class MaintenanceMinutesDto {
  @ApiPropertyOptional({ enum: MINUTES_KINDS, default: 'MAINTENANCE', description: 'MAINTENANCE (step 7), SPOT_CHECK, ASSESSMENT_REQUESTED or ASSESSMENT_DOSSIER (IV.5.e)' })
  @IsOptional()
  @IsIn(MINUTES_KINDS, { message: `must be one of ${MINUTES_KINDS.join(', ')}` })
  kind?: MinutesKind;
  @ApiProperty({ description: 'Biên bản giám sát, bảo trì; the spot check\'s findings; what the demand asks for; what the dossier holds' }) @IsString() @Length(1, 10000) summary: string;
  // Which kind needs which of these is checked by recordMaintenance: one problem per missing field.
  @ApiPropertyOptional({ format: 'uuid', description: 'The signed minutes or the dossier (required for ASSESSMENT_DOSSIER)' }) @IsOptional() @IsUUID() documentId?: string;
  @ApiPropertyOptional({ format: 'date', description: 'ASSESSMENT_REQUESTED only, and required there: the date the dossier is due; after today' })
  @IsOptional()
  @IsCalendarDate()
  dueDate?: string;
}

