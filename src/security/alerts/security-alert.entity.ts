import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The alert outbox: written in the transaction that opens an incident, delivered afterwards to
 * SECURITY_ALERT_WEBHOOK_URL with exponential back-off until the receiver acknowledges it.
 */
@Entity('security_alerts')
@Index('security_alerts_pending', ['nextAttemptAt'], { where: 'delivered_at IS NULL' })
export class SecurityAlert {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'incident_id', type: 'uuid', nullable: true })
  incidentId: string | null;

  @Column({ type: 'varchar', length: 40 })
  kind: string;

  /** The JSON body POSTed, as text: every attempt sends the same bytes. */
  @Column({ type: 'text' })
  payload: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;
}
