import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Failed sign-ins counted per (username tried, source address): a guesser backs off only its own
 * address, never the holder's. Usernames no account has are counted the same way, so the work
 * and the answer do not tell a real account from an unknown one.
 */
@Entity('sign_in_failures')
export class SignInFailure {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  username: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  source: string;

  @Column({ type: 'integer', default: 0 })
  failures: number;

  @Column({ name: 'blocked_until', type: 'timestamptz', nullable: true })
  blockedUntil: Date | null;

  @Column({ name: 'last_failure_at', type: 'timestamptz' })
  lastFailureAt: Date;
}

/** Calls to the public sign-in routes per source address, in fixed one-minute windows. */
@Entity('sign_in_sources')
export class SignInSourceWindow {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  source: string;

  @Column({ name: 'window_started_at', type: 'timestamptz' })
  windowStartedAt: Date;

  @Column({ type: 'integer' })
  hits: number;
}

/** Sessions ended before their expiry (sign-out). Kept until they would have expired anyway. */
@Entity('ended_sessions')
export class EndedSession {
  @PrimaryColumn({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
