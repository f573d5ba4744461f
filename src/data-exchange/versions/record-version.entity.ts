import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Every accepted version of an exchanged record, as it was (PRODUCT.md §3a, IV.6: disputes are
 * settled from the system's log). Written in the same statement as the record (record-store.ts),
 * never updated or deleted. `requestId` is the audit entry's request id, so the audit log and the
 * version history point at each other.
 */
@Entity('record_versions')
// From an audit entry to the versions its request wrote: the audit log points at the version by request id.
@Index('record_versions_request', ['requestId'])
export class RecordVersion {
  @PrimaryColumn({ name: 'data_set', type: 'varchar', length: 16 })
  dataSet: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  environment: string;

  /** The record's key fields joined by '/', e.g. `012_TBKL_NQ57` or `A.02.01/2026-Q2`. */
  @PrimaryColumn({ name: 'record_key', type: 'varchar', length: 300 })
  recordKey: string;

  @PrimaryColumn({ type: 'integer' })
  version: number;

  /** write, revoke, receipt, dispute or review. */
  @Column({ type: 'varchar', length: 16 })
  change: string;

  /** The record's fields and flow state after the change (json_build_object: fixed key order). */
  @Column({ type: 'jsonb' })
  body: Record<string, unknown>;

  @Column({ name: 'connection_id', type: 'uuid' })
  connectionId: string;

  @Column({ name: 'certificate_thumbprint', type: 'varchar', length: 128 })
  certificateThumbprint: string;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}
