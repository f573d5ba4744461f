import { Column } from 'typeorm';
import { ChangeTrackedRecord } from '../shared/change-tracking.columns.js';

export const REVIEW_STATUSES = ['PENDING', 'APPROVED', 'RETURNED'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const DISPUTE_STATUSES = ['OPEN', 'ANSWERED'] as const;

/**
 * The task flow of Appendix I carried by each record (task-flow/record-flow.ts):
 * receipt (step 4), dispute (step 5) and the Standing Agency's review (III.1.c).
 *
 * `reviewStatus` is PENDING until the assigner reviews, and returns to PENDING whenever the
 * result fields change afterwards: an approval approves what was reported, not what comes next.
 * A dispute is OPEN until the assigner changes an assignment field (its answer), then ANSWERED.
 */
export abstract class FlowTrackedRecord extends ChangeTrackedRecord {
  @Column({ name: 'review_status', type: 'varchar', length: 16, default: 'PENDING' })
  reviewStatus: ReviewStatus;

  @Column({ name: 'review_explanation', type: 'text', nullable: true })
  reviewExplanation: string | null;

  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true })
  reviewedAt: Date | null;

  @Column({ name: 'received_at', type: 'timestamptz', nullable: true })
  receivedAt: Date | null;

  @Column({ name: 'dispute_status', type: 'varchar', length: 16, nullable: true })
  disputeStatus: string | null;

  @Column({ name: 'dispute_reason', type: 'text', nullable: true })
  disputeReason: string | null;

  @Column({ name: 'disputed_at', type: 'timestamptz', nullable: true })
  disputedAt: Date | null;
}
