import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const REMEDIATION_STATUSES = ['SUBMITTED', 'RECOMMENDATIONS', 'ACCEPTED', 'RESTORED'] as const;
export type RemediationStatus = (typeof REMEDIATION_STATUSES)[number];

/**
 * IV.5.c: the unit's official report after a cut-off — cause, measures, security commitment and
 * a competent body's written confirmation — and DTD's answer to it.
 */
@Entity('remediation_reports')
@Index(['connectionId', 'submittedAt'])
export class RemediationReport {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId: string;

  @Column({ type: 'text' })
  cause: string;

  @Column({ name: 'measures_taken', type: 'text' })
  measuresTaken: string;

  @Column({ name: 'security_commitment', type: 'text' })
  securityCommitment: string;

  /** The competent body's written confirmation (an uploaded document). */
  @Column({ name: 'confirmation_document_id', type: 'uuid' })
  confirmationDocumentId: string;

  @Column({ type: 'varchar', length: 20 })
  status: RemediationStatus;

  @Column({ name: 'submitted_by', type: 'varchar', length: 200 })
  submittedBy: string;

  @CreateDateColumn({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt: Date;

  @Column({ name: 'decided_by', type: 'varchar', length: 200, nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  /** DTD's written recommendations, or its findings when accepting. */
  @Column({ name: 'decision_text', type: 'text', nullable: true })
  decisionText: string | null;

  /** Accepted reports must lead to restoration within 24 hours (IV.5.c). */
  @Column({ name: 'restore_deadline', type: 'timestamptz', nullable: true })
  restoreDeadline: Date | null;

  @Column({ name: 'restored_at', type: 'timestamptz', nullable: true })
  restoredAt: Date | null;
}
