import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One call or action, as legal evidence (guidance IV.4). Rows are only ever inserted: a trigger
 * refuses UPDATE, DELETE and TRUNCATE, and every row is a link of one hash chain (audit-chain.ts).
 *
 * The table is partitioned by month of `occurred_at` (migration 1796000000000-audit-partitions,
 * audit-partitions.ts), which TypeORM does not model. What it does see follows from it: the
 * primary key must hold the partition key, and `seq` is unique per partition (an index each
 * partition gets from audit_entries_ensure_partitions()), not on the parent.
 */
@Entity('audit_entries')
@Index(['connectionId', 'occurredAt'])
// Control-plane searches (who, which action). Partial: data-plane rows, which have no actor, cost
// these indexes nothing.
@Index('audit_entries_actor', ['actorAccountId', 'occurredAt'], { where: '"actor_account_id" IS NOT NULL' })
@Index('audit_entries_actor_username', ['actorUsername', 'occurredAt'], { where: '"actor_username" IS NOT NULL' })
@Index('audit_entries_assistant', ['assistantAccountId', 'occurredAt'], { where: '"assistant_account_id" IS NOT NULL' })
@Index('audit_entries_assistant_username', ['assistantUsername', 'occurredAt'], { where: '"assistant_username" IS NOT NULL' })
@Index('audit_entries_action', ['action', 'occurredAt'], { where: '"action" IS NOT NULL' })
export class AuditEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'audit_entries_pkey' })
  id: string;

  @Index()
  @PrimaryColumn({ name: 'occurred_at', type: 'timestamptz', primaryKeyConstraintName: 'audit_entries_pkey' })
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

  /** Which serialisation `entry_hash` covers: 1 (`audit-entry/v1`, first release) or 2 (see audit-chain.ts). */
  @Column({ name: 'entry_format', type: 'smallint', default: 1 })
  entryFormat: number;

  /**
   * Control plane: the route's declared action (PERMISSIONS in accounts/permissions.ts), or
   * `auth.<operation>` for the sign-in routes. Null on the data plane.
   */
  @Column({ type: 'varchar', length: 64, nullable: true })
  action: string | null;

  /** Who acted: the session's account (under delegation, the delegator, whose act it is). */
  @Column({ name: 'actor_account_id', type: 'uuid', nullable: true })
  actorAccountId: string | null;

  /** For a sign-in, the username attempted (even when no account has it). */
  @Column({ name: 'actor_username', type: 'varchar', length: 100, nullable: true })
  actorUsername: string | null;

  /** The person holding the account at the time (accounts change hands, II.2.đ). */
  @Column({ name: 'actor_holder_name', type: 'varchar', length: 200, nullable: true })
  actorHolderName: string | null;

  @Column({ name: 'actor_role', type: 'varchar', length: 32, nullable: true })
  actorRole: string | null;

  /** Under delegation (II.2.c): the assistant who actually did it. */
  @Column({ name: 'assistant_account_id', type: 'uuid', nullable: true })
  assistantAccountId: string | null;

  @Column({ name: 'assistant_username', type: 'varchar', length: 100, nullable: true })
  assistantUsername: string | null;

  @Column({ name: 'assistant_holder_name', type: 'varchar', length: 200, nullable: true })
  assistantHolderName: string | null;

  /** What the action was on: `connection`, `account`, `incident`, … and its id. */
  @Column({ name: 'target_type', type: 'varchar', length: 40, nullable: true })
  targetType: string | null;

  @Column({ name: 'target_id', type: 'varchar', length: 100, nullable: true })
  targetId: string | null;

  /** SHA-256 (hex) of the request body as received; null without a body, or for credentials. */
  @Column({ name: 'payload_sha256', type: 'char', length: 64, nullable: true })
  payloadSha256: string | null;

  /** A few facts of the action as a JSON object in text (e.g. both holder names of a handover). */
  @Column({ type: 'text', nullable: true })
  details: string | null;

  /**
   * Position in the hash chain: 1, 2, 3, … without gaps, assigned under the chain lock. Unique
   * within each partition; across partitions the chain lock prevents a fork and the verifier
   * reports one (`duplicate`).
   */
  @Column({ type: 'bigint' })
  seq: string;

  /** `entry_hash` of entry `seq - 1` (64 zeros for the first). */
  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash: string;

  /** SHA-256 of the entry's fields and `prev_hash` (see canonicalEntry). */
  @Column({ name: 'entry_hash', type: 'char', length: 64 })
  entryHash: string;
}
