import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A head authorises an assistant to act for them (II.2.c); the assistant's acts are the head's. */
@Entity('delegations')
@Index(['assistantId', 'delegatorId'])
export class Delegation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'delegator_id', type: 'uuid' })
  delegatorId: string;

  @Column({ name: 'assistant_id', type: 'uuid' })
  assistantId: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** Who ended it early: the delegator or an administrator. */
  @Column({ name: 'revoked_by', type: 'uuid', nullable: true })
  revokedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
