import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ConnectionState } from './connection-lifecycle.js';
import type { ConnectionScope } from './connection-scope.js';
import type { IncidentContact, LeadershipDecision, PendingCsr, RemedyDeadline, SecurityCheck, TechnicalDossier, TestConfirmation } from './lifecycle/lifecycle-records.js';

@Entity('connections')
export class Connection {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** The agency that owns the connected system. */
  @Column({ name: 'owner_unit', type: 'varchar', length: 300 })
  ownerUnit: string;

  @Column({ type: 'varchar', length: 32 })
  state: ConnectionState;

  /** Why the connection is suspended (a stable reason code), when it is. */
  @Column({ name: 'suspension_reason', type: 'varchar', length: 64, nullable: true })
  suspensionReason: string | null;

  /** The state to return to when a suspension is lifted. */
  @Column({ name: 'state_before_suspension', type: 'varchar', length: 32, nullable: true })
  stateBeforeSuspension: ConnectionState | null;

  /** The enforced permissions of the current connection agreement. */
  @Column({ type: 'jsonb' })
  scope: ConnectionScope;

  /** Step 1: the technical dossier as filed (null for connections an operator created by CLI). */
  @Column({ type: 'jsonb', nullable: true })
  dossier: TechnicalDossier | null;

  /** Step 1 (IV.5.đ): the competent body's security check, a precondition of approval. */
  @Column({ name: 'security_check', type: 'jsonb', nullable: true })
  securityCheck: SecurityCheck | null;

  /** Step 2: the leadership decision the approving appraisal reported. */
  @Column({ name: 'leadership_decision', type: 'jsonb', nullable: true })
  leadershipDecision: LeadershipDecision | null;

  /** Step 2: the reviewer's reasons when returned for revision. */
  @Column({ name: 'return_reason', type: 'text', nullable: true })
  returnReason: string | null;

  /** Step 3: the version of the agreement now in force. */
  @Column({ name: 'agreement_version', type: 'integer', nullable: true })
  agreementVersion: number | null;

  /** Step 4: the unit identifier DTD assigns. */
  @Column({ name: 'unit_code', type: 'varchar', length: 64, nullable: true })
  unitCode: string | null;

  /** Step 4: certificate requests the unit uploaded, waiting for DTD to issue. */
  @Column({ name: 'pending_csrs', type: 'jsonb', default: () => "'[]'" })
  pendingCsrs: PendingCsr[];

  /** Step 5: both sides' confirmation of the test report. */
  @Column({ name: 'test_confirmation', type: 'jsonb', nullable: true })
  testConfirmation: TestConfirmation | null;

  /** Step 6. */
  @Column({ name: 'go_live_date', type: 'date', nullable: true })
  goLiveDate: string | null;

  /** Step 6: the unit's 24/7 incident contact, recorded at go-live. */
  @Column({ name: 'incident_contact', type: 'jsonb', nullable: true })
  incidentContact: IncidentContact | null;

  /** Step 7: the deadline to fix conditions a re-evaluation found not met; null when none is open. */
  @Column({ name: 'remedy_deadline', type: 'jsonb', nullable: true })
  remedyDeadline: RemedyDeadline | null;

  /** Step 7: conditions are re-evaluated at least yearly. */
  @Column({ name: 're_evaluation_due', type: 'date', nullable: true })
  reEvaluationDue: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
