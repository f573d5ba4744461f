import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, ValidateBy, ValidationArguments } from 'class-validator';
import { PageLimit } from '../../../shared/http/page-limit.decorator.js';

/**
 * `to` not before `from`: an inverted range is a mistake (fields swapped, a wrong year), and
 * answering it with an empty result would hide that.
 */
function NotBeforeFrom() {
  return ValidateBy({
    name: 'notBeforeFrom',
    validator: {
      validate: (to: unknown, args?: ValidationArguments) => {
        const from = (args?.object as { from?: unknown }).from;
        if (typeof to !== 'string' || typeof from !== 'string') return true;
        const [start, end] = [Date.parse(from), Date.parse(to)];
        return Number.isNaN(start) || Number.isNaN(end) || end >= start;
      },
      defaultMessage: (args?: ValidationArguments) => `must not be before from (${(args?.object as { from?: string }).from})`,
    },
  });
}

export class AuditRangeQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'From the first entry at or after this instant (widened to whole checkpoints)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 timestamp' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'To the last entry at or before this instant (widened to whole checkpoints); not before from' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 timestamp' })
  @NotBeforeFrom()
  to?: string;
}

export class AuditSearchQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The call or action with this request id: the X-Request-Id of its response, the requestId of an error body' })
  @IsOptional()
  @IsUUID()
  requestId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Entries about this connection, on both planes' })
  @IsOptional()
  @IsUUID()
  connectionId?: string;

  @ApiPropertyOptional({ description: 'An account id or a username: entries where it acted, or assisted under delegation (sign-in attempts: the username tried)' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  actor?: string;

  @ApiPropertyOptional({ description: 'A control-plane action, e.g. connections.goLive, accounts.manage, auth.signIn' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  action?: string;

  @ApiPropertyOptional({ enum: ['data', 'control'] })
  @IsOptional()
  @IsIn(['data', 'control'], { message: 'must be data or control' })
  plane?: string;

  @ApiPropertyOptional({ enum: ['success', 'rejected', 'failed'], description: 'success (< 400), rejected (4xx), failed (5xx)' })
  @IsOptional()
  @IsIn(['success', 'rejected', 'failed'], { message: 'must be success, rejected or failed' })
  outcome?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'At or after this instant' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 timestamp' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'At or before this instant; not before from' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 timestamp' })
  @NotBeforeFrom()
  to?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  cursor?: string;

  @PageLimit()
  limit?: number;
}

export class AuditPersonDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null for a sign-in attempt with a username no account has' }) accountId: string | null;
  @ApiProperty({ nullable: true, type: String }) username: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The person holding the account at the time' }) holderName: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) role?: string | null;
}

export class AuditTargetDto {
  @ApiProperty({ example: 'connection' }) type: string;
  @ApiProperty({ nullable: true, type: String }) id: string | null;
}

export class AuditEntryDto {
  @ApiProperty({ description: 'Position in the hash chain' }) seq: string;
  @ApiProperty() id: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ format: 'uuid', description: 'Also in the X-Request-Id header of the response' }) requestId: string;
  @ApiProperty({ enum: ['data', 'control'] }) plane: string;
  @ApiProperty({ nullable: true, type: String }) environment: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) connectionId: string | null;
  @ApiProperty({ nullable: true, type: String }) certificateThumbprint: string | null;
  @ApiProperty() sourceAddress: string;
  @ApiProperty() method: string;
  @ApiProperty() path: string;
  @ApiProperty() statusCode: number;
  @ApiProperty({ enum: ['success', 'rejected', 'failed'] }) outcome: string;
  @ApiProperty({ nullable: true, type: String }) errorCode: string | null;
  @ApiProperty() durationMs: number;
  @ApiProperty({ description: '1 (audit-entry/v1) or 2 (audit-entry/v2): the serialisation entryHash covers' }) format: number;
  @ApiProperty({ nullable: true, type: String, description: 'The control-plane action the route declares' }) action: string | null;
  @ApiProperty({ type: AuditPersonDto, nullable: true, description: 'Who acted (under delegation, the delegator)' }) actor: AuditPersonDto | null;
  @ApiProperty({ type: AuditPersonDto, nullable: true, description: 'Under delegation: who actually acted' }) assistant: AuditPersonDto | null;
  @ApiProperty({ type: AuditTargetDto, nullable: true }) target: AuditTargetDto | null;
  @ApiProperty({ nullable: true, type: String, description: 'SHA-256 (hex) of the request body' }) payloadSha256: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, description: 'E.g. previousHolder and newHolder of a handover' }) details: Record<string, unknown> | null;
  @ApiProperty() prevHash: string;
  @ApiProperty() entryHash: string;
}

export class AuditEntryPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) entries: AuditEntryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class AuditFailureDto {
  @ApiProperty({ enum: ['missing', 'duplicate', 'chain-broken', 'altered', 'out-of-order', 'checkpoint-signature', 'checkpoint-invalid', 'checkpoint-gap', 'checkpoint-mismatch', 'checkpoint-journal'] }) kind: string;
  @ApiProperty() seq: string;
  @ApiPropertyOptional() entryId?: string;
  @ApiPropertyOptional() checkpointId?: string;
  @ApiProperty() message: string;
}

export class AuditRequestedRangeDto {
  @ApiProperty({ nullable: true, type: String }) from: string | null;
  @ApiProperty({ nullable: true, type: String }) to: string | null;
}

export class AuditJournalCheckDto {
  @ApiProperty({ description: 'Checkpoints of the journal outside the database compared with it: those newer than its newest, and one more (0: this instance has no journal yet, so a log cut back at its end would go unnoticed)' })
  compared: number;

  @ApiProperty({ description: 'Journal lines that are no checkpoint, passed over (a crash mid-append leaves one)' })
  unreadableLines: number;
}

export class AuditVerificationDto {
  @ApiProperty() ok: boolean;
  @ApiProperty({ type: AuditRequestedRangeDto }) requested: AuditRequestedRangeDto;
  @ApiProperty() startSeq: string;
  @ApiProperty({ nullable: true, type: String }) endSeq: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Entries up to this seq were archived out of the database (audit:archive): the range starts after them; verify them from their export files',
  })
  archivedThroughSeq: string | null;
  @ApiProperty({ type: AuditJournalCheckDto }) journal: AuditJournalCheckDto;
  @ApiProperty() entriesChecked: number;
  @ApiProperty() checkpointsChecked: number;
  @ApiProperty({ description: 'False when nothing trusted precedes the first entry of the range' }) anchored: boolean;
  @ApiProperty({ nullable: true, type: String }) sealedThroughSeq: string | null;
  @ApiProperty({ description: 'Entries after the last checkpoint: chained, not yet signed' }) unsealedEntries: number;
  @ApiProperty({ type: AuditFailureDto, nullable: true, description: 'The first place the log does not match' }) firstMismatch: AuditFailureDto | null;
  @ApiProperty({ type: [AuditFailureDto], description: 'In chain order (at most 100)' }) failures: AuditFailureDto[];
  @ApiProperty() failureCount: number;
  @ApiProperty({ type: [String] }) trustedKeyIds: string[];
}
