import { AfterLoad, Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { notificationMessageVi } from '../shared/i18n/messages.vi.js';

/** A decision or deadline that a unit must hear about, kept in its control-plane inbox. */
@Entity('notifications')
@Index(['unit', 'createdAt'])
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 300 })
  unit: string;

  @Column({ name: 'connection_id', type: 'uuid', nullable: true })
  connectionId: string | null;

  @Column({ type: 'varchar', length: 40 })
  kind: string;

  @Column({ type: 'text' })
  message: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Vietnamese text beside the English `message`, from the kind and its data (not stored). */
  messageVi?: string;

  @AfterLoad()
  protected describeInVietnamese(): void {
    this.messageVi = notificationMessageVi(this.kind, this.data);
  }

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt: Date | null;
}

/** Where a unit wants its notifications pushed, and the key it verifies them with. */
@Entity('unit_webhooks')
export class UnitWebhook {
  @PrimaryColumn({ type: 'varchar', length: 300 })
  unit: string;

  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'varchar', length: 64 })
  secret: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** Failed attempts in a row at this URL (a delivered one resets it): how the unit learns it is failing. */
  @Column({ name: 'consecutive_failures', type: 'integer', default: 0 })
  consecutiveFailures: number;

  @Column({ name: 'failing_since', type: 'timestamptz', nullable: true })
  failingSince: Date | null;

  /** When the unit was told in its inbox that this run of failures began (once per run). */
  @Column({ name: 'failure_notified_at', type: 'timestamptz', nullable: true })
  failureNotifiedAt: Date | null;
}

/**
 * One notification on its way to the unit's webhook, retried with back-off until delivered or
 * given up (WEBHOOK_MAX_ATTEMPTS / WEBHOOK_MAX_AGE_HOURS). The unit reads these rows as its
 * delivery log (GET /control/v1/notifications/webhook/deliveries).
 */
@Entity('webhook_deliveries')
@Index(['deliveredAt', 'nextAttemptAt'])
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ name: 'notification_id', type: 'uuid' })
  notificationId: string;

  /** The URL of the last attempt (the unit's webhook when queued): each attempt goes to the current one. */
  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  @Column({ name: 'gave_up_at', type: 'timestamptz', nullable: true })
  gaveUpAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
