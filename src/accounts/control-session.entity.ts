import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A control-plane session as it was opened (its token's id), so that a person can see where they
 * are signed in and end a session they do not recognise (SessionRegistry). The token itself is
 * never stored: only its id, whose end goes into `ended_sessions` as signing out does.
 */
@Entity('control_sessions')
@Index('IDX_control_sessions_account', ['accountId', 'expiresAt'])
@Index('IDX_control_sessions_assistant', ['assistantAccountId'], { where: 'assistant_account_id IS NOT NULL' })
export class ControlSession {
  /** The token's `jti`. */
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** Whose session it is (`sub`): under delegation, the delegator's. */
  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  /** The account's credentials version at opening: a password change or handover ends every session opened before it. */
  @Column({ name: 'account_version', type: 'integer' })
  accountVersion: number;

  /** Under delegation, the assistant who opened it to act for `accountId`. */
  @Column({ name: 'assistant_account_id', type: 'uuid', nullable: true })
  assistantAccountId: string | null;

  /** The assistant's credentials version at opening (as `accountVersion` for the head). */
  @Column({ name: 'assistant_version', type: 'integer', nullable: true })
  assistantVersion: number | null;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt: Date;

  /** The token's expiry, moved on when the console's cookie session is renewed while in use. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'source_address', type: 'varchar', length: 64 })
  sourceAddress: string;

  @Column({ name: 'user_agent', type: 'varchar', length: 300, nullable: true })
  userAgent: string | null;

  /** `cookie` (the console) or `bearer` (a script). */
  @Column({ type: 'varchar', length: 8 })
  via: 'cookie' | 'bearer';

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;
}
