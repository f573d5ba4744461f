import { ApiProperty } from '@nestjs/swagger';
import { ConnectionState } from '../connection-lifecycle.js';

/**
 * What waits for a DTD reviewer (Appendix II part I): the step, and the connection it is for.
 * CERTIFICATE_EXPIRY is a valid certificate close to its end (renewal, step 7). After a cut-off
 * (IV.5.c): REMEDIATION_DECISION is a unit's remediation report awaiting DTD's answer, RESTORATION
 * an accepted one whose connection is due back within 24 hours of the acceptance.
 */
export const REVIEW_TASKS = [
  'APPRAISAL',
  'AGREEMENT',
  'CONFIGURATION',
  'TEST_CONFIRMATION',
  'GO_LIVE',
  'RE_EVALUATION',
  'CERTIFICATE_EXPIRY',
  'REMEDIATION_DECISION',
  'RESTORATION',
] as const;
export type ReviewTask = (typeof REVIEW_TASKS)[number];

export const REVIEW_DEADLINE_STATUSES = ['ON_TIME', 'DUE_SOON', 'OVERDUE'] as const;
export type ReviewDeadlineStatus = (typeof REVIEW_DEADLINE_STATUSES)[number];
/** The guidance's colours (III.1.đ), as task results carry them. */
export const REVIEW_DEADLINE_COLORS: Record<ReviewDeadlineStatus, 'GREEN' | 'YELLOW' | 'RED'> = { ON_TIME: 'GREEN', DUE_SOON: 'YELLOW', OVERDUE: 'RED' };

export class ReviewTaskView {
  @ApiProperty({ enum: REVIEW_TASKS }) task: ReviewTask;
  @ApiProperty({ format: 'uuid' }) connectionId: string;
  @ApiProperty() connectionName: string;
  @ApiProperty() ownerUnit: string;
  @ApiProperty({ enum: ConnectionState }) state: ConnectionState;
  @ApiProperty({ format: 'date-time', description: 'Since when it waits: the connection entered its state (the test CSR arrived, for CONFIGURATION)' }) since: Date;
  @ApiProperty({
    format: 'date-time',
    description: 'When it is due: the end of the N-th working day after `since` (working calendar), the re-evaluation date, or the certificate\'s end; RESTORATION: 24 hours after the acceptance',
  })
  dueAt: Date;
  @ApiProperty({ type: Number, nullable: true, description: 'Working days allowed for the step; null for date-bound tasks (RE_EVALUATION, CERTIFICATE_EXPIRY, RESTORATION)' }) workingDays: number | null;
  @ApiProperty({ enum: REVIEW_DEADLINE_STATUSES }) deadlineStatus: ReviewDeadlineStatus;
  @ApiProperty({ enum: ['GREEN', 'YELLOW', 'RED'] }) deadlineColor: 'GREEN' | 'YELLOW' | 'RED';
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'CERTIFICATE_EXPIRY: the certificate' }) certificateId: string | null;
}
