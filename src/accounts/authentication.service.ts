import { Injectable, Logger } from '@nestjs/common';
import crypto from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Clock } from '../calendar/clock.js';
import { enqueueAlert } from '../security/alerts/alert-outbox.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { ApiError } from '../shared/errors/api-error.js';
import { AccountEvent } from './account-event.entity.js';
import { Account } from './account.entity.js';
import { Actor, ENROLMENT_AUDIENCE, SESSION_AUDIENCE, SessionClaims } from './actor.js';
import { activationHash, checkTotp, hashPassword, newTotpSecret, sameHash, totpUri, totpVerdict, unusablePasswordHash, verifyPassword } from './credentials.js';
import { Delegation } from './delegation.entity.js';
import { EndedSession } from './sign-in-records.entity.js';
import { assertStrongPassword } from './password-policy.js';
import { SecondFactor } from './roles.js';
import type { PresentedCertificate } from './presented-certificate.js';
import { SecondFactors } from './second-factors.js';
import { SignInThrottle } from './sign-in-throttle.service.js';

export interface SessionToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  /** Failed sign-ins under this username since the holder last signed in (from any address). */
  failedSignInsSinceLastSignIn?: number;
  /** The password has expired: this session may only change it (POST /auth/password). */
  passwordChangeRequired?: true;
}

export interface EnrolmentChallenge {
  mfaEnrolmentRequired: true;
  enrolmentToken: string;
  otpauthUri: string;
}

/**
 * The one answer to every refused sign-in — unknown username, wrong password, wrong or missing
 * code, an address backing off, an account not activated or deactivated — so that nothing tells
 * an outsider whether a username exists or whether it is locked (issue 12, point 10).
 */
const INVALID = () => ApiError.unauthorized('INVALID_CREDENTIALS', 'Wrong username, password or second-factor code');

/**
 * Password + TOTP sign-in, TOTP enrolment on first sign-in, short sessions and sign-out.
 * Guessing is slowed per (username, source address) and per address (SignInThrottle); every
 * refusal looks and takes the same, whether or not the account exists.
 */
@Injectable()
export class AuthenticationService {
  private readonly logger = new Logger('ControlPlaneAuth');

  constructor(
    @InjectRepository(Account) private readonly accounts: Repository<Account>,
    @InjectRepository(AccountEvent) private readonly events: Repository<AccountEvent>,
    @InjectRepository(Delegation) private readonly delegations: Repository<Delegation>,
    @InjectRepository(EndedSession) private readonly endedSessions: Repository<EndedSession>,
    private readonly throttle: SignInThrottle,
    private readonly jwt: JwtService,
    private readonly config: GatewayConfig,
    private readonly factors: SecondFactors,
    private readonly clock: Clock,
  ) {}

  async signIn(username: string, password: string, totpCode: string | undefined, source: string, certificate?: PresentedCertificate | null): Promise<SessionToken | EnrolmentChallenge> {
    const blocked = await this.throttle.blocked(username, source);
    const account = await this.accounts.findOneBy({ username });
    // Always one Argon2 verification, against a hash nobody knows when there is no usable account:
    // the answer takes as long for an unknown username as for a wrong password.
    const passwordOk = await verifyPassword(account?.passwordHash ?? (await unusablePasswordHash()), password);
    const locked = !!account?.lockedUntil && account.lockedUntil.getTime() > this.clock.nowMs();
    if (!account || !account.active || locked || blocked || !passwordOk) return this.fail(username, source, 'password');
    if ((await this.factors.of(account)) === SecondFactor.CLIENT_CERTIFICATE) {
      // III.2.c: the registered certificate is the second factor; a TOTP code alone does not do.
      if (!this.factors.certificateMatches(account, certificate)) return this.fail(username, source, 'certificate');
      await this.accounts.update(account.id, { failedLogins: 0 });
      await this.throttle.clear(username, source);
      return { ...this.sessionFor(account, { sub: account.id, ver: account.credentialsVersion }), failedSignInsSinceLastSignIn: account.failedLogins };
    }
    if (!account.totpEnrolled) {
      account.totpSecret ??= newTotpSecret();
      await this.accounts.save(account);
      const enrolmentToken = this.jwt.sign({ sub: account.id, ver: account.credentialsVersion }, { audience: ENROLMENT_AUDIENCE, expiresIn: 600 });
      return { mfaEnrolmentRequired: true, enrolmentToken, otpauthUri: totpUri(account.totpSecret, account.username) };
    }
    const verdict = totpCode ? totpVerdict(account.totpSecret!, totpCode, account.totpLastStep === null ? null : Number(account.totpLastStep), this.clock.nowMs()) : null;
    if (verdict === 'reused') {
      // Only someone with the right password gets here, so saying so tells a guesser nothing; and
      // the holder who typed the code twice is not pushed towards a back-off for it.
      throw ApiError.unauthorized('TOTP_CODE_REUSED', 'This second-factor code was already used; wait for the next code of the authenticator app');
    }
    if (verdict === null) return this.fail(username, source, 'totp');
    // The step is taken in the same statement that checks it: of two calls racing with one code,
    // only one gets a session.
    const [taken]: [Array<{ failed: number }>, number] = await this.accounts.query(
      `UPDATE accounts a SET failed_logins = 0, totp_last_step = $2 FROM (SELECT id, failed_logins FROM accounts WHERE id = $1 FOR UPDATE) b
        WHERE a.id = b.id AND (a.totp_last_step IS NULL OR a.totp_last_step < $2) RETURNING b.failed_logins AS failed`,
      [account.id, String(verdict)],
    );
    const before = taken[0];
    if (!before) throw ApiError.unauthorized('TOTP_CODE_REUSED', 'This second-factor code was already used; wait for the next code of the authenticator app');
    await this.throttle.clear(username, source);
    return { ...this.sessionFor(account, { sub: account.id, ver: account.credentialsVersion }), failedSignInsSinceLastSignIn: before.failed };
  }

  /**
   * The holder takes up an account created or handed over to them: both parts of the one-time
   * code (one from the administrator, one from the security officers) and a password of their
   * own choosing, which nobody else ever sees. The second factor is enrolled at the first
   * sign-in, as before. Unknown username, wrong or expired code: one answer.
   */
  async activate(username: string, administratorPart: string, securityOfficerPart: string, newPassword: string, source: string): Promise<{ activated: true }> {
    const account = await this.accounts.findOneBy({ username });
    const presented = activationHash(administratorPart, securityOfficerPart);
    const valid =
      !!account?.active && !!account.activationHash && sameHash(account.activationHash, presented) && !!account.activationExpiresAt && account.activationExpiresAt.getTime() > this.clock.nowMs();
    if (!valid) {
      throw ApiError.unauthorized('ACTIVATION_INVALID', 'Wrong username or activation code, or the code has expired or was used; ask for a new handover');
    }
    // Checked once the code is known good: a stranger learns nothing about the policy's inputs.
    assertStrongPassword(newPassword, this.config.PASSWORD_MIN_STRENGTH, [username, account!.holderName]);
    const passwordHash = await hashPassword(newPassword);
    // Consumed in the statement that checks it: a code activates at most once.
    const result = await this.accounts.update(
      { id: account!.id, activationHash: presented },
      { passwordHash, passwordChangedAt: this.clock.now(), passwordHistory: [], activationHash: null, activationExpiresAt: null, failedLogins: 0 },
    );
    if (!result.affected) throw ApiError.unauthorized('ACTIVATION_INVALID', 'Wrong username or activation code, or the code has expired or was used; ask for a new handover');
    await this.events.save(this.events.create({ accountId: account!.id, kind: 'ACTIVATED', actorId: account!.id, details: { source } }));
    return { activated: true };
  }

  /** Confirms TOTP enrolment with a first code, and opens a session. */
  async completeEnrolment(enrolmentToken: string, totpCode: string): Promise<SessionToken> {
    let claims: SessionClaims;
    try {
      claims = this.jwt.verify(enrolmentToken, { audience: ENROLMENT_AUDIENCE });
    } catch {
      throw ApiError.unauthorized('ENROLMENT_TOKEN_INVALID', 'The enrolment token is invalid or expired; sign in again');
    }
    const account = await this.accounts.findOneBy({ id: claims.sub });
    const locked = !!account?.lockedUntil && account.lockedUntil.getTime() > this.clock.nowMs();
    if (!account || !account.active || locked || account.credentialsVersion !== claims.ver || !account.totpSecret || account.totpEnrolled) {
      throw ApiError.unauthorized('ENROLMENT_TOKEN_INVALID', 'The enrolment token is no longer valid; sign in again');
    }
    const step = checkTotp(account.totpSecret, totpCode, null, this.clock.nowMs());
    if (step === null) throw ApiError.unauthorized('INVALID_CREDENTIALS', 'The second-factor code is wrong; check the device clock');
    await this.accounts.update(account.id, { totpEnrolled: true, totpLastStep: String(step), failedLogins: 0 });
    await this.events.save(this.events.create({ accountId: account.id, kind: 'MFA_ENROLLED', actorId: account.id, details: {} }));
    return this.sessionFor(account, { sub: account.id, ver: account.credentialsVersion });
  }

  /** A session in which the assistant acts for the delegator (II.2.c). */
  async actFor(assistant: Actor, delegatorId: string): Promise<SessionToken> {
    if (assistant.assistant) throw ApiError.forbidden('DELEGATION_CHAIN', 'A delegated session cannot delegate further');
    const delegation = await this.delegations
      .createQueryBuilder('d')
      .where('d.delegator_id = :delegatorId AND d.assistant_id = :assistantId', { delegatorId, assistantId: assistant.accountId })
      .andWhere('d.revoked_at IS NULL AND d.expires_at > :now', { now: this.clock.now() })
      .getOne();
    const delegator = delegation ? await this.accounts.findOneBy({ id: delegatorId, active: true }) : null;
    if (!delegation || !delegator) throw ApiError.forbidden('NO_DELEGATION', 'No valid delegation from that account to you');
    const self = await this.accounts.findOneByOrFail({ id: assistant.accountId });
    return this.session({ sub: delegator.id, ver: delegator.credentialsVersion, act: { sub: self.id, ver: self.credentialsVersion } });
  }

  /** Resolves a session token to its actor, or refuses (expired, revoked by handover, locked). */
  async resolve(token: string): Promise<Actor> {
    let claims: SessionClaims;
    try {
      claims = this.jwt.verify(token, { audience: SESSION_AUDIENCE, algorithms: ['HS256'] });
    } catch (error) {
      const expired = (error as Error).name === 'TokenExpiredError';
      throw ApiError.unauthorized(expired ? 'SESSION_EXPIRED' : 'SESSION_INVALID', expired ? 'The session has expired; sign in again' : 'Not a control-plane session');
    }
    if (claims.jti && (await this.endedSessions.existsBy({ sessionId: claims.jti }))) {
      throw ApiError.unauthorized('SESSION_ENDED', 'The session was ended by signing out; sign in again');
    }
    const account = await this.usable(claims.sub, claims.ver);
    const actor: Actor = { accountId: account.id, username: account.username, role: account.role, unit: account.unit, holderName: account.holderName };
    if (claims.pwc) actor.passwordChangeRequired = true;
    if (claims.act) {
      const assistant = await this.usable(claims.act.sub, claims.act.ver);
      const stillDelegated = await this.delegations
        .createQueryBuilder('d')
        .where('d.delegator_id = :delegator AND d.assistant_id = :assistant', { delegator: account.id, assistant: assistant.id })
        .andWhere('d.revoked_at IS NULL AND d.expires_at > :now', { now: this.clock.now() })
        .getExists();
      if (!stillDelegated) throw ApiError.unauthorized('SESSION_REVOKED', 'The delegation behind this session has ended');
      actor.assistant = { accountId: assistant.id, username: assistant.username, holderName: assistant.holderName };
    }
    return actor;
  }

  private async usable(id: string, version: number): Promise<Account> {
    const account = await this.accounts.findOneBy({ id });
    // A locked account's open sessions end with the lock, not when they expire.
    const locked = account?.lockedUntil && account.lockedUntil.getTime() > this.clock.nowMs();
    if (!account || !account.active || locked || account.credentialsVersion !== version) {
      throw ApiError.unauthorized('SESSION_REVOKED', 'The session was revoked (account handed over, reset, locked or deactivated)');
    }
    return account;
  }

  /**
   * Ends this session before its expiry (endSession). Other sessions of the same person (another
   * browser, a delegated one) go on.
   */
  async signOut(token: string): Promise<void> {
    const claims = this.jwt.decode<SessionClaims & { exp: number; iat: number }>(token);
    if (!claims?.jti) throw ApiError.unauthorized('SESSION_INVALID', 'This session cannot be ended; it has no id (sign in again)');
    await this.endSession(claims.jti, new Date((claims.auth_time ?? claims.iat) * 1000), new Date(claims.exp * 1000));
  }

  /**
   * Refuses a session's id from now on: it is kept (ended_sessions) until the latest any token of
   * it could live, and resolve() refuses it. Not only the token's own expiry: a request of the same
   * console session already under way may renew it (renewBrowserSession) after this, up to
   * CONSOLE_SESSION_MAX_SECONDS after the sign-in.
   */
  async endSession(sessionId: string, signedInAt: Date, expiresAt: Date, manager: EntityManager = this.endedSessions.manager): Promise<void> {
    const latest = Math.max(expiresAt.getTime(), signedInAt.getTime() + this.config.CONSOLE_SESSION_MAX_SECONDS * 1000);
    await manager.upsert(EndedSession, { sessionId, expiresAt: new Date(latest) }, ['sessionId']);
  }

  /**
   * The console's cookie session, re-issued while in use (idle expiry, see browser-session.ts):
   * the same claims and session id, a fresh expiry of CONTROL_SESSION_TTL_SECONDS, never past
   * CONSOLE_SESSION_MAX_SECONDS after the sign-in. Null when that would not extend the token by a
   * minute (no Set-Cookie on every request). Only for a token resolve() has just accepted.
   */
  renewBrowserSession(token: string, now: number = Date.now()): { token: string; expiresIn: number } | null {
    const claims = this.jwt.decode<SessionClaims & { iat: number; exp: number }>(token);
    const nowSeconds = Math.floor(now / 1000);
    const authTime = claims.auth_time ?? claims.iat;
    const exp = Math.min(nowSeconds + this.config.CONTROL_SESSION_TTL_SECONDS, authTime + this.config.CONSOLE_SESSION_MAX_SECONDS);
    if (exp < claims.exp + 60) return null;
    const renewed: SessionClaims = { sub: claims.sub, ver: claims.ver, auth_time: authTime, ...(claims.act ? { act: claims.act } : {}) };
    const expiresIn = exp - nowSeconds;
    return { token: this.jwt.sign(renewed, { audience: SESSION_AUDIENCE, expiresIn, jwtid: claims.jti }), expiresIn };
  }

  private session(claims: SessionClaims): SessionToken {
    const expiresIn = this.config.CONTROL_SESSION_TTL_SECONDS;
    return { accessToken: this.jwt.sign(claims, { audience: SESSION_AUDIENCE, expiresIn, jwtid: crypto.randomUUID() }), tokenType: 'Bearer', expiresIn };
  }

  /**
   * A session of the account's own; once its password has expired (PASSWORD_MAX_AGE_DAYS), one
   * that may only change the password (`pwc`, enforced by ControlPlaneGuard).
   */
  sessionFor(account: Pick<Account, 'passwordChangedAt'>, claims: SessionClaims): SessionToken {
    const expired = account.passwordChangedAt.getTime() + this.config.PASSWORD_MAX_AGE_DAYS * 86_400_000 <= this.clock.nowMs();
    if (!expired) return this.session(claims);
    return { ...this.session({ ...claims, pwc: true }), passwordChangeRequired: true };
  }

  /**
   * Counts a refused sign-in against (username, source) and answers INVALID_CREDENTIALS. When the
   * pair starts backing off, the security officers are alerted and, for a real account, its
   * history says so (the holder also sees the count at their next sign-in). The account itself
   * stays usable from elsewhere, and its open sessions go on: ending them would hand an outsider
   * the very lock-out this avoids.
   */
  private async fail(username: string, source: string, factor: 'password' | 'totp' | 'certificate'): Promise<never> {
    const { failures, backOffSeconds, accountId } = await this.throttle.recordFailure(username, source);
    if (backOffSeconds !== null) {
      this.logger.warn(`SECURITY ALERT: sign-ins as ${username} from ${source} back off ${backOffSeconds} s after ${failures} failures`);
      const blockedUntil = new Date(this.clock.nowMs() + backOffSeconds * 1000).toISOString();
      await this.accounts.manager.transaction(async (manager) => {
        if (accountId) {
          await manager.save(manager.create(AccountEvent, { accountId, kind: 'SIGN_IN_BLOCKED', actorId: null, details: { failures, source, factor, blockedUntil } }));
        }
        await enqueueAlert(manager, {
          kind: 'SIGN_IN_BLOCKED',
          incidentId: null,
          body: { username, accountExists: accountId !== null, failures, source, backOffSeconds, blockedUntil },
        });
      });
    }
    throw INVALID();
  }
}
