import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length } from 'class-validator';
import { IsCalendarDate } from '../../data-exchange/shared/validators.js';

export class SubmitRemediationReportDto {
  @ApiProperty({ description: 'Nguyên nhân — the cause of the incident' }) @IsString() @Length(1, 10000) cause: string;
  @ApiProperty({ description: 'Biện pháp khắc phục đã thực hiện — measures taken' }) @IsString() @Length(1, 10000) measuresTaken: string;
  @ApiProperty({ description: 'Cam kết bảo đảm an toàn thông tin — security commitment' }) @IsString() @Length(1, 10000) securityCommitment: string;
  @ApiProperty({ format: 'uuid', description: "The competent body's written confirmation, uploaded to POST /control/v1/documents" })
  @IsUUID()
  confirmationDocumentId: string;
}

export class RemediationDecisionDto {
  @ApiProperty({ enum: ['ACCEPT', 'RECOMMEND'], description: 'ACCEPT: re-test, then restore within 24 h. RECOMMEND: written recommendations; stays suspended' })
  @IsIn(['ACCEPT', 'RECOMMEND'], { message: 'must be ACCEPT or RECOMMEND' })
  decision: 'ACCEPT' | 'RECOMMEND';

  @ApiProperty({ description: 'Findings, or the written recommendations' }) @IsString() @Length(1, 10000) text: string;
}

export class RestoreConnectionDto {
  @ApiProperty({ description: 'What the re-test against test data showed' }) @IsString() @Length(1, 10000) retestFindings: string;
}

export class JustificationDto {
  @ApiProperty() @IsString() @Length(1, 5000) justification: string;
}

/** The document an incident's reporting step was done with (App. III.III steps 5 and 7). */
export class IncidentStepDocumentDto {
  @ApiProperty({ description: 'Số văn bản', example: '45/BC-CĐS' }) @IsString() @Length(1, 100) number: string;
  @ApiProperty({ format: 'date', description: 'Ngày văn bản; not in the future' }) @IsCalendarDate() date: string;
  @ApiProperty({ description: 'Nơi nhận: the competent authority or body it was sent to' }) @IsString() @Length(1, 300) recipient: string;
  @ApiProperty({ format: 'uuid', description: 'The document, uploaded to POST /control/v1/documents' }) @IsUUID() documentId: string;
}
