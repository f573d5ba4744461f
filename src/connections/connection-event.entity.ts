import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The history of a connection: every transition and record, who, when, why and what changed. */
@Entity('connection_events')
@Index(['connectionId', 'occurredAt'])
export class ConnectionEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId: string;

  @Column({ type: 'varchar', length: 40 })
  action: string;

  @Column({ name: 'from_state', type: 'varchar', length: 32, nullable: true })
  fromState: string | null;

  @Column({ name: 'to_state', type: 'varchar', length: 32 })
  toState: string;

  /** The acting account (the delegator under delegation). */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_name', type: 'varchar', length: 200 })
  actorName: string;

  /** Under delegation: the assistant who actually acted. */
  @Column({ name: 'assistant_name', type: 'varchar', length: 200, nullable: true })
  assistantName: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  changes: Record<string, unknown>;

  @CreateDateColumn({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;
}
