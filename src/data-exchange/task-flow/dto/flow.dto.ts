import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, ValidateIf } from 'class-validator';

export class DisputeDto {
  @ApiProperty({ description: 'Lý do — why the assignment is wrong or outside the unit\'s competence (Appendix I step 5)', minLength: 1, maxLength: 4000 })
  @IsString()
  @Length(1, 4000)
  reason: string;
}

export const REVIEW_DECISIONS = ['APPROVED', 'RETURNED'] as const;

export class ReviewDto {
  @ApiProperty({ enum: REVIEW_DECISIONS, description: 'APPROVED (phê duyệt) or RETURNED (từ chối phê duyệt, yêu cầu giải trình; III.1.c)' })
  @IsIn(REVIEW_DECISIONS, { message: `must be one of ${REVIEW_DECISIONS.join(', ')}` })
  decision: (typeof REVIEW_DECISIONS)[number];

  @ApiPropertyOptional({ description: 'Yêu cầu giải trình — required when RETURNED: what the unit must explain or correct', maxLength: 4000 })
  @ValidateIf((review: ReviewDto) => review.decision === 'RETURNED' || review.explanation !== undefined)
  @Length(1, 4000, { message: 'is required when decision is RETURNED (1 to 4000 characters)' })
  explanation?: string;
}

export class RecordVersionDto {
  @ApiProperty() version: number;
  @ApiProperty({ enum: ['write', 'revoke', 'receipt', 'dispute', 'review'] }) change: string;
  @ApiProperty({ description: 'The record as it was after this change (fields, classification, evidence, revocation, review/receipt/dispute state); a classified record\'s without description and evidence' })
  body: Record<string, unknown>;
  @ApiProperty({ format: 'uuid' }) connectionId: string;
  @ApiProperty({ description: 'SHA-256 thumbprint of the client certificate the change came with' }) certificateThumbprint: string;
  @ApiProperty({ format: 'uuid', description: 'The request id: the audit log entry of the change' }) requestId: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}

export class RecordVersionsDto {
  @ApiProperty({ type: [RecordVersionDto] }) items: RecordVersionDto[];
}

/**
 * The task-flow state every task and KPI result carries (flow-state.columns.ts). Documented as
 * part of TaskResultDto and KpiResultDto by authority/openapi-authority.ts.
 */
export class FlowStateDto {
  @ApiProperty({ enum: ['PENDING', 'APPROVED', 'RETURNED'], description: 'Thẩm định: PENDING until reviewed, and again after the result fields change; only APPROVED data is aggregated (III.1.e)' })
  reviewStatus: string;
  @ApiProperty({ format: 'date-time', nullable: true }) reviewedAt: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Yêu cầu giải trình of the last RETURNED review (absent on a classified record)' }) reviewExplanation?: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, description: 'When the reporter confirmed receipt (Appendix I step 4)' }) receivedAt: string | null;
  @ApiProperty({ enum: ['OPEN', 'ANSWERED'], nullable: true, description: 'Phản hồi về việc giao nhiệm vụ (step 5): OPEN until the assigner changes the assignment' }) disputeStatus: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) disputedAt: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'The reporter\'s reason (absent on a classified record)' }) disputeReason?: string | null;
}
