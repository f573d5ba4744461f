import { Column, CreateDateColumn } from 'typeorm';

/**
 * Columns every exchanged record carries: versioning for If-Match, a content hash for
 * "unchanged" outcomes, revocation, and the change-feed position that pull cursors follow.
 *
 * `changeSeq` orders the change feed that pull cursors follow (see pull-cursor.ts);
 * `changeTxid` is the writing transaction's id, kept for investigation.
 */
export abstract class ChangeTrackedRecord {
  @Column({ type: 'varchar', length: 32 })
  classification: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  attachments: string[];

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'content_hash', type: 'char', length: 64 })
  contentHash: string;

  @Column({ type: 'boolean', default: false })
  revoked: boolean;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'change_txid', type: 'bigint' })
  changeTxid: string;

  @Column({ name: 'change_seq', type: 'bigint' })
  changeSeq: string;

  @Column({ name: 'updated_by_connection', type: 'uuid' })
  updatedByConnection: string;

  @Column({ name: 'updated_by_request', type: 'uuid' })
  updatedByRequest: string;

  /**
   * The record as consumers see it, as JSON text, kept by a trigger on every insert and update
   * (record-view.ts says why; migration 1798500000001). Never written or read through TypeORM.
   */
  @Column({ name: 'view_json', type: 'text', select: false, insert: false, update: false })
  viewJson: string;
}
