import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A signed seal over the audit entries `first_seq..last_seq`: the gateway's Ed25519 key signs
 * the `entry_hash` of the last entry (which commits to the whole chain before it), the count and
 * the period the entries cover. Consecutive checkpoints cover consecutive ranges. Insert-only,
 * like the entries (see audit-checkpoint.ts for the signed bytes).
 */
@Entity('audit_checkpoints')
export class AuditCheckpoint {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'audit_checkpoints_pkey' })
  id: string;

  @Column({ name: 'first_seq', type: 'bigint' })
  firstSeq: string;

  @Index('audit_checkpoints_last_seq', { unique: true })
  @Column({ name: 'last_seq', type: 'bigint' })
  lastSeq: string;

  @Column({ name: 'entry_count', type: 'integer' })
  entryCount: number;

  /** Earliest and latest `occurred_at` among the sealed entries. */
  @Column({ name: 'period_start', type: 'timestamptz' })
  periodStart: Date;

  @Column({ name: 'period_end', type: 'timestamptz' })
  periodEnd: Date;

  @Column({ name: 'last_entry_hash', type: 'char', length: 64 })
  lastEntryHash: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** SHA-256 of the signing public key (SubjectPublicKeyInfo DER), hex. */
  @Column({ name: 'key_id', type: 'char', length: 64 })
  keyId: string;

  /** Ed25519 signature over the canonical checkpoint, base64. */
  @Column({ type: 'text' })
  signature: string;
}
