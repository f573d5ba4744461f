import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { Clock } from '../calendar/clock.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { ApiError } from '../shared/errors/api-error.js';

/** Failures older than this are forgotten: a holder's typo last week does not shorten today's allowance. */
const FORGET_AFTER = `interval '1 day'`;

/**
 * The sign-in's defences against guessing, kept in PostgreSQL so that every instance shares them
 * and a Redis outage does not open them:
 * - a throttle per source address on the public sign-in routes (429 with Retry-After);
 * - failures counted per (username tried, source address), with a back-off that doubles from
 *   SIGN_IN_LOCKOUT_SECONDS once SIGN_IN_MAX_FAILURES is reached. The holder signing in from
 *   another address is not affected: there is no account-wide lock an outsider could aim.
 * Windows and back-offs run on the gateway's Clock (passed to each statement as $now), not on
 * the database's now(), so that they end when every other expiry of the control plane does.
 */
@Injectable()
export class SignInThrottle {
  private readonly logger = new Logger('SignInThrottle');
  private sweptAt = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: GatewayConfig,
    private readonly clock: Clock,
  ) {}

  /** Counts one call from `source` in its one-minute window; refuses it over the limit. */
  async admit(source: string): Promise<void> {
    // One statement, so parallel calls each count (a read-then-write would lose some).
    const [row]: Array<{ hits: number; reset: number }> = await this.db.query(
      `INSERT INTO sign_in_sources AS s (source, window_started_at, hits) VALUES ($1, $2, 1)
       ON CONFLICT (source) DO UPDATE SET
         hits = CASE WHEN s.window_started_at <= $2::timestamptz - interval '1 minute' THEN 1 ELSE s.hits + 1 END,
         window_started_at = CASE WHEN s.window_started_at <= $2::timestamptz - interval '1 minute' THEN $2 ELSE s.window_started_at END
       RETURNING hits, ceil(extract(epoch FROM window_started_at + interval '1 minute' - $2::timestamptz))::int AS reset`,
      [source.slice(0, 64), this.clock.now()],
    );
    await this.sweep();
    const limit = this.config.SIGN_IN_PER_SOURCE_PER_MINUTE;
    if (row.hits <= limit) return;
    const error = new ApiError(429, 'SIGN_IN_THROTTLED', `Over ${limit} sign-in calls per minute from this address; retry after ${Math.max(1, row.reset)} s`);
    error.retryAfterSeconds = Math.max(1, row.reset);
    throw error;
  }

  /** Whether (username, source) is backing off now. */
  async blocked(username: string, source: string): Promise<boolean> {
    const rows: Array<{ blocked: boolean }> = await this.db.query(
      `SELECT blocked_until > $3 AS blocked FROM sign_in_failures WHERE username = $1 AND source = $2`,
      [username.slice(0, 100), source.slice(0, 64), this.clock.now()],
    );
    return rows[0]?.blocked === true;
  }

  /**
   * Counts a failure of (username, source) and, for a real account, one more failure for its
   * holder to be shown at the next sign-in. The same statement runs whether or not the username
   * exists. Returns the back-off it started (seconds), or null.
   */
  async recordFailure(username: string, source: string): Promise<{ failures: number; backOffSeconds: number | null; accountId: string | null }> {
    const [row]: Array<{ failures: number; account_id: string | null }> = await this.db.query(
      `WITH counted AS (
         INSERT INTO sign_in_failures AS f (username, source, failures, blocked_until, last_failure_at) VALUES ($1, $2, 1, NULL, $3)
         ON CONFLICT (username, source) DO UPDATE SET
           failures = CASE WHEN f.last_failure_at < $3::timestamptz - ${FORGET_AFTER} THEN 1 ELSE f.failures + 1 END,
           last_failure_at = $3
         RETURNING failures),
       a AS (UPDATE accounts SET failed_logins = failed_logins + 1 WHERE username = $1 RETURNING id)
       SELECT (SELECT failures FROM counted) AS failures, (SELECT id FROM a) AS account_id`,
      [username.slice(0, 100), source.slice(0, 64), this.clock.now()],
    );
    const beyond = row.failures - this.config.SIGN_IN_MAX_FAILURES;
    if (beyond < 0) return { failures: row.failures, backOffSeconds: null, accountId: row.account_id };
    // Doubling: a guesser at one address gets ever fewer tries; a holder's typos cost a minute.
    const backOffSeconds = Math.min(this.config.SIGN_IN_BACKOFF_MAX_SECONDS, this.config.SIGN_IN_LOCKOUT_SECONDS * 2 ** Math.min(beyond, 30));
    await this.db.query(`UPDATE sign_in_failures SET blocked_until = $4::timestamptz + make_interval(secs => $3) WHERE username = $1 AND source = $2`, [
      username.slice(0, 100),
      source.slice(0, 64),
      backOffSeconds,
      this.clock.now(),
    ]);
    return { failures: row.failures, backOffSeconds, accountId: row.account_id };
  }

  /** After a successful sign-in from `source`: its count starts again. */
  async clear(username: string, source: string): Promise<void> {
    await this.db.query(`DELETE FROM sign_in_failures WHERE username = $1 AND source = $2`, [username.slice(0, 100), source.slice(0, 64)]);
  }

  /** Now and then, forgets old windows and failures (an address spraying usernames leaves rows). */
  private async sweep(): Promise<void> {
    const now = this.clock.now();
    if (now.getTime() - this.sweptAt < 600_000) return;
    this.sweptAt = now.getTime();
    try {
      await this.db.query(`DELETE FROM sign_in_sources WHERE window_started_at < $1::timestamptz - interval '1 hour'`, [now]);
      await this.db.query(`DELETE FROM sign_in_failures WHERE last_failure_at < $1::timestamptz - ${FORGET_AFTER} AND (blocked_until IS NULL OR blocked_until < $1)`, [now]);
      await this.db.query(`DELETE FROM ended_sessions WHERE expires_at < now()`);
      // Sessions past their expiry are no one's to list (session-registry.service.ts).
      await this.db.query(`DELETE FROM control_sessions WHERE expires_at < now()`);
    } catch (error) {
      this.logger.warn(`Could not forget old sign-in records: ${(error as Error).message}`);
    }
  }
}

/** Route guard of the public sign-in routes: the throttle per source address. */
@Injectable()
export class SignInThrottleGuard implements CanActivate {
  constructor(private readonly throttle: SignInThrottle) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.throttle.admit(context.switchToHttp().getRequest<FastifyRequest>().ip);
    return true;
  }
}
