import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One suspension of a connection, from cut-off to restoration: who, why, from which state, and
 * who restored it with what justification (IV.5.b-c).
 */
@Entity('connection_suspensions')
@Index(['connectionId', 'suspendedAt'])
export class ConnectionSuspension {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId: string;

  /** The state to return to on restoration. */
  @Column({ name: 'previous_state', type: 'varchar', length: 32 })
  previousState: string;

  @Column({ name: 'reason_code', type: 'varchar', length: 64 })
  reasonCode: string;

  @Column({ name: 'suspended_by', type: 'varchar', length: 200 })
  suspendedBy: string;

  @Column({ name: 'suspended_at', type: 'timestamptz' })
  suspendedAt: Date;

  @Column({ name: 'incident_id', type: 'uuid', nullable: true })
  incidentId: string | null;

  @Column({ name: 'restored_at', type: 'timestamptz', nullable: true })
  restoredAt: Date | null;

  @Column({ name: 'restored_by', type: 'varchar', length: 200, nullable: true })
  restoredBy: string | null;

  @Column({ name: 'restore_justification', type: 'text', nullable: true })
  restoreJustification: string | null;
}
