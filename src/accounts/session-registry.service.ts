import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JwtService } from '@nestjs/jwt';
import { Repository } from 'typeorm';
import type { PageWindow } from '../shared/http/paging.js';
import { Clock } from '../calendar/clock.js';
import { ApiError } from '../shared/errors/api-error.js';
import type { SessionClaims } from './actor.js';
import { AuthenticationService, type SessionToken } from './authentication.service.js';
import { deliverSession, wantsCookieSession } from './browser-session.js';
import { ControlSession } from './control-session.entity.js';

/** A session in the person's own list. */
export interface OpenSession {
  session: ControlSession;
  /** The session this request came with. */
  current: boolean;
  /** The other party under delegation: the assistant acting for me, or the head I act for. */
  actingFor: string | null;
  actedBy: string | null;
}

/**
 * Where a person is signed in: each session opened (its token's id, from where, by which client,
 * until when) is kept, so that the person can list their open sessions and end one they do not
 * recognise, as signing out ends their own. A session is open while it is neither ended nor
 * expired and the account's credentials have not changed since (a new password or a handover ends
 * every older session at resolve(); the list agrees).
 *
 * Its times are the wall clock's, not the gateway's Clock: a session's life is its token's, and
 * the token's expiry is checked against the wall clock (jsonwebtoken reads Date.now()). Locks and
 * delegations are read on the Clock, as resolve() reads them.
 */
@Injectable()
export class SessionRegistry {
  private readonly logger = new Logger(SessionRegistry.name);

  constructor(
    @InjectRepository(ControlSession) private readonly sessions: Repository<ControlSession>,
    private readonly authentication: AuthenticationService,
    private readonly jwt: JwtService,
    private readonly clock: Clock,
  ) {}

  /** Hands a new session out as the caller asked for it (browser-session.ts), and keeps it. */
  async deliver<T extends SessionToken>(request: FastifyRequest, reply: FastifyReply, session: T) {
    await this.opened(session.accessToken, request, wantsCookieSession(request) ? 'cookie' : 'bearer');
    return deliverSession(request, reply, session);
  }

  /** The session id (`jti`) of a token this gateway signed; null for one without. */
  idOf(token: string): string | null {
    return this.jwt.decode<SessionClaims>(token)?.jti ?? null;
  }

  /** Keeps a session just handed out (the token's claims, where the request came from). */
  private async opened(token: string, request: FastifyRequest, via: 'cookie' | 'bearer'): Promise<void> {
    const claims = this.jwt.decode<SessionClaims & { exp: number }>(token);
    if (!claims?.jti) return;
    const userAgent = request.headers['user-agent'];
    await this.sessions.insert({
      id: claims.jti,
      accountId: claims.sub,
      accountVersion: claims.ver,
      assistantAccountId: claims.act?.sub ?? null,
      assistantVersion: claims.act?.ver ?? null,
      openedAt: new Date(),
      expiresAt: new Date(claims.exp * 1000),
      sourceAddress: (request.ip ?? 'unknown').slice(0, 64),
      userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 300) : null,
      via,
      endedAt: null,
    });
  }

  /**
   * The console's session re-issued while in use: its new expiry. Bookkeeping only: if it cannot
   * be written, the request goes on (the list then shows the earlier expiry).
   */
  async renewed(token: string): Promise<void> {
    const claims = this.jwt.decode<SessionClaims & { exp: number }>(token);
    if (!claims?.jti) return;
    await this.sessions.update({ id: claims.jti }, { expiresAt: new Date(claims.exp * 1000) }).catch((error: Error) => this.logger.warn(`Session ${claims.jti}'s renewal not recorded: ${error.message}`));
  }

  /** Signed out: the session is no longer listed. */
  async ended(sessionId: string): Promise<void> {
    await this.sessions.update({ id: sessionId }, { endedAt: new Date() });
  }

  /** The person's open sessions, newest first: their own, those they opened for a head, and an assistant's acting for them. */
  async openFor(accountId: string, currentSessionId: string | null, page: PageWindow): Promise<OpenSession[]> {
    return this.open(accountId, currentSessionId, null, page);
  }

  /**
   * Ends one of the person's open sessions, as signing out would (AuthenticationService.endSession);
   * 404 for any other id.
   */
  async end(accountId: string, sessionId: string): Promise<void> {
    const [mine] = await this.open(accountId, null, sessionId, { skip: 0, take: 1 });
    if (!mine) throw ApiError.notFound('No open session of yours has this id');
    await this.sessions.manager.transaction(async (manager) => {
      await this.authentication.endSession(sessionId, mine.session.openedAt, mine.session.expiresAt, manager);
      await manager.update(ControlSession, { id: sessionId }, { endedAt: new Date() });
    });
  }

  /**
   * Open sessions as resolve() would accept them: not ended or expired, the head's credentials and,
   * under delegation, the assistant's unchanged since, and the delegation still in force.
   */
  private async open(accountId: string, currentSessionId: string | null, onlyId: string | null, page: PageWindow): Promise<OpenSession[]> {
    const now = new Date();
    const rows: Array<ControlSession & { holder: string; assistant: string | null }> = await this.sessions.query(
      `SELECT s.id, s.account_id AS "accountId", s.assistant_account_id AS "assistantAccountId", s.opened_at AS "openedAt", s.expires_at AS "expiresAt",
              s.source_address AS "sourceAddress", s.user_agent AS "userAgent", s.via, h.holder_name AS holder, a.holder_name AS assistant
         FROM control_sessions s
         JOIN accounts h ON h.id = s.account_id AND h.credentials_version = s.account_version AND h.active AND (h.locked_until IS NULL OR h.locked_until <= $6)
         LEFT JOIN accounts a ON a.id = s.assistant_account_id AND a.credentials_version = s.assistant_version AND a.active AND (a.locked_until IS NULL OR a.locked_until <= $6)
        WHERE (s.account_id = $1 OR s.assistant_account_id = $1) AND s.ended_at IS NULL AND s.expires_at > $2
          AND ($5::uuid IS NULL OR s.id = $5)
          AND (s.assistant_account_id IS NULL OR (a.id IS NOT NULL AND EXISTS (
                SELECT 1 FROM delegations d WHERE d.delegator_id = s.account_id AND d.assistant_id = s.assistant_account_id AND d.revoked_at IS NULL AND d.expires_at > $6)))
        ORDER BY s.opened_at DESC, s.id OFFSET $3 LIMIT $4`,
      // Tokens expire by the wall clock; locks and delegations by the gateway's Clock, as resolve() reads them.
      [accountId, now, page.skip, page.take, onlyId, this.clock.now()],
    );
    return rows.map((row) => ({
      session: row,
      current: row.id === currentSessionId,
      actingFor: row.assistantAccountId === accountId ? row.holder : null,
      actedBy: row.assistantAccountId && row.accountId === accountId ? row.assistant : null,
    }));
  }
}
