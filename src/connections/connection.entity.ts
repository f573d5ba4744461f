import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { ConnectionState } from './connection-lifecycle.js';
import type { ConnectionScope } from './connection-scope.js';

@Entity('connections')
export class Connection {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** The agency that owns the connected system. */
  @Column({ name: 'owner_unit', type: 'varchar', length: 300 })
  ownerUnit: string;

  @Column({ type: 'varchar', length: 32 })
  state: ConnectionState;

  /** Why the connection is suspended (a stable reason code), when it is. */
  @Column({ name: 'suspension_reason', type: 'varchar', length: 64, nullable: true })
  suspensionReason: string | null;

  /** The enforced permissions of the current connection agreement. */
  @Column({ type: 'jsonb' })
  scope: ConnectionScope;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
