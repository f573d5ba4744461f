import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { ENVIRONMENTS, type Environment } from '../../connections/environment.js';
import { OrderedPageQueryDto, PageQueryDto } from '../../shared/http/paging.js';
import { UNIT_CODE_PATTERN } from '../../units/record-units.js';

export const VERSION_CHANGES = ['write', 'revoke', 'receipt', 'dispute', 'review'] as const;
export type VersionChange = (typeof VERSION_CHANGES)[number];

/** Which record's history: the environment, newest or oldest first, paged. */
export class RecordHistoryQueryDto extends OrderedPageQueryDto {
  @ApiPropertyOptional({ enum: ENVIRONMENTS, default: 'production', description: 'The environment the record was exchanged in' })
  @IsOptional()
  @IsIn(ENVIRONMENTS)
  environment?: Environment;
}

export class KpiRecordHistoryQueryDto extends RecordHistoryQueryDto {
  @ApiPropertyOptional({
    description: 'The reporting agency (unit code) whose record it is; required when several agencies report the indicator for the period (400 REPORTING_AGENCY_REQUIRED names them)',
    example: 'HN',
  })
  @IsOptional()
  @Matches(UNIT_CODE_PATTERN, { message: 'must be a unit code of the register (letters, digits, dot, dash, underscore)' })
  reportingAgencyCode?: string;
}

/** The versions one data-plane call wrote, found from its audit entry's request id. */
export class VersionsByRequestQueryDto extends PageQueryDto {
  @ApiProperty({ format: 'uuid', description: "The request id of the call (an audit entry's, or the X-Request-Id its answer carried)" })
  @IsUUID('all', { message: 'must be a request id (UUID)' })
  requestId: string;
}

export class VersionConnectionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true, description: 'The connected system, as registered' }) name: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The agency the connection belongs to' }) ownerUnit: string | null;
}

/**
 * One accepted version of an exchanged record, for people settling a dispute (IV.6): what the
 * record said after the change, who sent it and when, and which fields the change touched.
 */
export class RecordVersionView {
  @ApiProperty({ enum: ['task-results', 'kpi-results'] }) dataSet: 'task-results' | 'kpi-results';
  @ApiProperty({ enum: ENVIRONMENTS }) environment: Environment;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: "The record's key: taskCode, or indicatorCode, period and reportingAgencyCode ('' for an agency the register could not place)",
    example: { taskCode: '012_TBKL_NQ57' },
  })
  key: Record<string, string>;
  @ApiProperty({ type: 'integer', description: 'The record version this change produced (1 for the first)' }) version: number;
  @ApiProperty({ enum: VERSION_CHANGES, description: 'What the change was: a write of the fields, a revocation, the executing unit confirming receipt, its dispute of the assignment, or the Standing Agency\'s review' })
  change: VersionChange;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ type: VersionConnectionView, description: 'The connection whose call made the change' }) connection: VersionConnectionView;
  @ApiProperty({ description: 'SHA-256 thumbprint of the client certificate the call presented' }) certificateThumbprint: string;
  @ApiProperty({ format: 'uuid', description: "The call's request id: its audit entry (GET /control/v1/audit/entries?requestId=…)" }) requestId: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The record after the change: every field under its API name, classification, evidence, revocation and review state; without the fields in `withheldFields`' })
  body: Record<string, unknown>;
  @ApiProperty({ type: [String], description: 'Fields left out because the record is, or was at this version, classified (III.1.d): its description, evidence and the narrative of disputes and reviews' })
  withheldFields: string[];
  @ApiProperty({ type: [String], nullable: true, description: 'The fields whose value differs from the previous version (withheld fields are not compared); null for the first version' })
  changedFields: string[] | null;
}
