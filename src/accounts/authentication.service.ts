import { Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { enqueueAlert } from '../security/alert-outbox.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { ApiError } from '../shared/errors/api-error.js';
import { AccountEvent } from './account-event.entity.js';
import { Account } from './account.entity.js';
import { Actor, ENROLMENT_AUDIENCE, SESSION_AUDIENCE, SessionClaims } from './actor.js';
import { checkTotp, newTotpSecret, totpUri, verifyPassword } from './credentials.js';
import { Delegation } from './delegation.entity.js';

export interface SessionToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface EnrolmentChallenge {
  mfaEnrolmentRequired: true;
  enrolmentToken: string;
  otpauthUri: string;
}

const INVALID = () => ApiError.unauthorized('INVALID_CREDENTIALS', 'Wrong username, password or second-factor code');

/**
 * Password + TOTP sign-in with lock-out, TOTP enrolment on first sign-in, and short sessions.
 * Every refusal looks the same to the caller, so it cannot probe which factor was wrong.
 */
@Injectable()
export class AuthenticationService {
  private readonly logger = new Logger('ControlPlaneAuth');

  constructor(
    @InjectRepository(Account) private readonly accounts: Repository<Account>,
    @InjectRepository(AccountEvent) private readonly events: Repository<AccountEvent>,
    @InjectRepository(Delegation) private readonly delegations: Repository<Delegation>,
    private readonly jwt: JwtService,
    private readonly config: GatewayConfig,
  ) {}

  async signIn(username: string, password: string, totpCode: string | undefined, source: string): Promise<SessionToken | EnrolmentChallenge> {
    const account = await this.accounts.findOneBy({ username });
    if (!account || !account.active) throw INVALID();
    if (account.lockedUntil && account.lockedUntil > new Date()) {
      throw ApiError.unauthorized('ACCOUNT_LOCKED', `Too many failed sign-ins; the account is locked until ${account.lockedUntil.toISOString()}`);
    }
    const passwordOk = await verifyPassword(account.passwordHash, password);
    if (!passwordOk) return this.fail(account, source, 'password');
    if (!account.totpEnrolled) {
      account.totpSecret ??= newTotpSecret();
      await this.accounts.save(account);
      const enrolmentToken = this.jwt.sign({ sub: account.id, ver: account.credentialsVersion }, { audience: ENROLMENT_AUDIENCE, expiresIn: 600 });
      return { mfaEnrolmentRequired: true, enrolmentToken, otpauthUri: totpUri(account.totpSecret, account.username) };
    }
    const step = totpCode ? checkTotp(account.totpSecret!, totpCode, account.totpLastStep === null ? null : Number(account.totpLastStep)) : null;
    if (step === null) return this.fail(account, source, 'totp');
    await this.accounts.update(account.id, { failedLogins: 0, lockedUntil: null, totpLastStep: String(step) });
    return this.session({ sub: account.id, ver: account.credentialsVersion });
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
    if (!account || account.credentialsVersion !== claims.ver || !account.totpSecret || account.totpEnrolled) {
      throw ApiError.unauthorized('ENROLMENT_TOKEN_INVALID', 'The enrolment token is no longer valid; sign in again');
    }
    const step = checkTotp(account.totpSecret, totpCode, null);
    if (step === null) throw ApiError.unauthorized('INVALID_CREDENTIALS', 'The second-factor code is wrong; check the device clock');
    await this.accounts.update(account.id, { totpEnrolled: true, totpLastStep: String(step), failedLogins: 0 });
    await this.events.save(this.events.create({ accountId: account.id, kind: 'MFA_ENROLLED', actorId: account.id, details: {} }));
    return this.session({ sub: account.id, ver: account.credentialsVersion });
  }

  /** A session in which the assistant acts for the delegator (II.2.c). */
  async actFor(assistant: Actor, delegatorId: string): Promise<SessionToken> {
    if (assistant.assistant) throw ApiError.forbidden('DELEGATION_CHAIN', 'A delegated session cannot delegate further');
    const delegation = await this.delegations
      .createQueryBuilder('d')
      .where('d.delegator_id = :delegatorId AND d.assistant_id = :assistantId', { delegatorId, assistantId: assistant.accountId })
      .andWhere('d.revoked_at IS NULL AND d.expires_at > now()')
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
    const account = await this.usable(claims.sub, claims.ver);
    const actor: Actor = { accountId: account.id, username: account.username, role: account.role, unit: account.unit, holderName: account.holderName };
    if (claims.act) {
      const assistant = await this.usable(claims.act.sub, claims.act.ver);
      const stillDelegated = await this.delegations
        .createQueryBuilder('d')
        .where('d.delegator_id = :delegator AND d.assistant_id = :assistant', { delegator: account.id, assistant: assistant.id })
        .andWhere('d.revoked_at IS NULL AND d.expires_at > now()')
        .getExists();
      if (!stillDelegated) throw ApiError.unauthorized('SESSION_REVOKED', 'The delegation behind this session has ended');
      actor.assistant = { accountId: assistant.id, username: assistant.username, holderName: assistant.holderName };
    }
    return actor;
  }

  private async usable(id: string, version: number): Promise<Account> {
    const account = await this.accounts.findOneBy({ id });
    if (!account || !account.active || account.credentialsVersion !== version) {
      throw ApiError.unauthorized('SESSION_REVOKED', 'The session was revoked (account handed over, reset or deactivated)');
    }
    return account;
  }

  private session(claims: SessionClaims): SessionToken {
    const expiresIn = this.config.CONTROL_SESSION_TTL_SECONDS;
    return { accessToken: this.jwt.sign(claims, { audience: SESSION_AUDIENCE, expiresIn }), tokenType: 'Bearer', expiresIn };
  }

  private async fail(account: Account, source: string, factor: string): Promise<never> {
    // Counted in one statement, so parallel guesses each count (a read-then-write would lose them).
    const [[counted]]: [[{ failures: number }], number] = await this.accounts.query(
      `UPDATE accounts SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins AS failures`,
      [account.id],
    );
    const failures = counted.failures;
    const lock = failures >= this.config.SIGN_IN_MAX_FAILURES;
    if (lock) {
      await this.accounts.update(account.id, { failedLogins: 0, lockedUntil: new Date(Date.now() + this.config.SIGN_IN_LOCKOUT_SECONDS * 1000) });
    }
    if (lock) {
      this.logger.warn(`SECURITY ALERT: account ${account.username} locked after ${failures} failed sign-ins (last from ${source})`);
      // The lock-out and its alert to the security officers' channel are one fact: one transaction.
      await this.accounts.manager.transaction(async (manager) => {
        await manager.save(manager.create(AccountEvent, { accountId: account.id, kind: 'LOCKED_OUT', actorId: null, details: { failures, source, factor } }));
        await enqueueAlert(manager, {
          kind: 'ACCOUNT_LOCKED_OUT',
          incidentId: null,
          body: { username: account.username, role: account.role, failures, source, lockedUntil: new Date(Date.now() + this.config.SIGN_IN_LOCKOUT_SECONDS * 1000).toISOString() },
        });
      });
    }
    throw INVALID();
  }
}
