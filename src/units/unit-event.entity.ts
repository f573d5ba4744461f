import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The history of the register: every creation, rename and merger, who, when and on what basis. */
@Entity('unit_events')
@Index('IDX_unit_events_unit', ['unitCode', 'occurredAt'])
export class UnitEvent {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_unit_events_id' })
  id: string;

  @Column({ name: 'unit_code', type: 'varchar', length: 32 })
  unitCode: string;

  /** CREATE, RENAME or MERGE. */
  @Column({ type: 'varchar', length: 16 })
  action: string;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_name', type: 'varchar', length: 200 })
  actorName: string;

  /** The decision or law the change records. */
  @Column({ type: 'varchar', length: 500 })
  source: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  changes: Record<string, unknown>;

  @CreateDateColumn({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;
}
