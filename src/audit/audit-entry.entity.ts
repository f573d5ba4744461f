import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One call or action, as legal evidence (guidance IV.4). Rows are only ever inserted: a trigger
 * refuses UPDATE, DELETE and TRUNCATE, and every row is a link of one hash chain (audit-chain.ts).
 */
@Entity('audit_entries')
@Index(['connectionId', 'occurredAt'])
export class AuditEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Index()
  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Index()
  @Column({ name: 'request_id', type: 'uuid' })
  requestId: string;

  /** `data` (mTLS API) or `control` (people). */
  @Column({ type: 'varchar', length: 16 })
  plane: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  environment: string | null;

  @Column({ name: 'connection_id', type: 'uuid', nullable: true })
  connectionId: string | null;

  @Column({ name: 'certificate_thumbprint', type: 'char', length: 64, nullable: true })
  certificateThumbprint: string | null;

  @Column({ name: 'source_address', type: 'varchar', length: 64 })
  sourceAddress: string;

  @Column({ type: 'varchar', length: 10 })
  method: string;

  @Column({ type: 'text' })
  path: string;

  @Column({ name: 'status_code', type: 'smallint' })
  statusCode: number;

  /** `success`, `rejected` (4xx) or `failed` (5xx). */
  @Column({ type: 'varchar', length: 16 })
  outcome: string;

  @Column({ name: 'error_code', type: 'varchar', length: 64, nullable: true })
  errorCode: string | null;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;

  /** Position in the hash chain: 1, 2, 3, … without gaps, assigned under the chain lock. */
  @Index('audit_entries_seq', { unique: true })
  @Column({ type: 'bigint' })
  seq: string;

  /** `entry_hash` of entry `seq - 1` (64 zeros for the first). */
  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash: string;

  /** SHA-256 of the entry's fields and `prev_hash` (see canonicalEntry). */
  @Column({ name: 'entry_hash', type: 'char', length: 64 })
  entryHash: string;
}
