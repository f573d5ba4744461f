import { Clock } from '../calendar/clock.js';
import type { PageWindow } from '../shared/http/paging.js';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, IsNull, Repository } from 'typeorm';
import { enqueueAlert } from '../security/alerts/alert-outbox.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { ApiError } from '../shared/errors/api-error.js';
import { AccountEvent } from './account-event.entity.js';
import { Account } from './account.entity.js';
import type { Actor } from './actor.js';
import { activationCodePart, activationHash, generatePassword, hashPassword } from './credentials.js';
import { Delegation } from './delegation.entity.js';
import { endDelegationsOf, type HolderIdentity, writeIdentity } from './holder-identity.js';
import { Role } from './roles.js';

/** A lock without an end: until unlocked or handed over. */
const LOCKED_INDEFINITELY = new Date('9999-12-31T00:00:00Z');

export interface NewAccount extends HolderIdentity {
  username: string;
  role: Role;
  unit?: string | null;
  holderName: string;
}

export interface IssuedCredentials {
  account: Account;
  /** Shown once; the holder enrols the second factor at first sign-in. */
  initialPassword: string;
}

/** What the administrator gets back from a creation or handover: half a code, useless alone. */
export interface IssuedActivation {
  account: Account;
  activation: { administratorPart: string; expiresAt: Date };
}

/**
 * Accounts and the people holding them.
 *
 * Separation of duties (issue 12, point 11): the administrator who creates or hands over an
 * account never learns anything that signs in as it. The account gets an unusable password and a
 * one-time activation code in two parts: the administrator's part is returned to them, the other
 * goes to the security officers' channel (the security alert outbox, which no control-plane role
 * can read). The new holder needs both parts, chooses their own password and then enrols their
 * own second factor; the administrator alone, or the officers alone, cannot activate the account.
 */
@Injectable()
export class AccountsService {
  constructor(
    @InjectRepository(Account) private readonly accounts: Repository<Account>,
    @InjectRepository(AccountEvent) private readonly events: Repository<AccountEvent>,
    @InjectRepository(Delegation) private readonly delegations: Repository<Delegation>,
    private readonly config: GatewayConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * The first system administrator of a fresh install only (`accounts:bootstrap-admin`, run on
   * the server by the person who will hold it): there is nobody yet to share an activation with.
   */
  async createWithPassword(input: NewAccount): Promise<IssuedCredentials> {
    await this.checkNew(input);
    const initialPassword = generatePassword();
    const account = await this.accounts.save(this.accounts.create({ ...this.fields(input), passwordHash: await hashPassword(initialPassword) }));
    await this.record(account.id, 'CREATED', null, { role: account.role, unit: account.unit, holderName: account.holderName });
    return { account, initialPassword };
  }

  async create(input: NewAccount, actor: Actor): Promise<IssuedActivation> {
    await this.checkNew(input);
    const passwordHash = await hashPassword(generatePassword());
    return this.accounts.manager.transaction(async (manager) => {
      const account = await manager.save(manager.create(Account, { ...this.fields(input), passwordHash }));
      await writeIdentity(manager, this.config, account, input);
      await this.record(account.id, 'CREATED', actor.accountId, { role: account.role, unit: account.unit, holderName: account.holderName }, manager);
      const activation = await this.issueActivation(manager, account, actor, 'CREATED');
      return { account, activation };
    });
  }

  /**
   * Hands the account to another person (II.2.đ): an unusable password until the new holder
   * activates it, second factor to enrol again, every existing session void, and the change
   * recorded with both names.
   */
  async handOver(accountId: string, newHolderName: string, actor: Actor, reason: string, identity: HolderIdentity = {}): Promise<IssuedActivation> {
    const passwordHash = await hashPassword(generatePassword());
    return this.accounts.manager.transaction(async (manager) => {
      const account = await manager.findOne(Account, { where: { id: accountId }, lock: { mode: 'pessimistic_write' } });
      if (!account) throw ApiError.notFound('No such account');
      if (!account.active) throw ApiError.conflict('ACCOUNT_DEACTIVATED', 'The account is deactivated: reactivate it (POST /accounts/{id}/reactivate), naming the new holder');
      const previousHolder = account.holderName;
      Object.assign(account, {
        holderName: newHolderName,
        passwordHash,
        totpSecret: null,
        totpEnrolled: false,
        totpLastStep: null,
        failedLogins: 0,
        lockedUntil: null,
        credentialsVersion: account.credentialsVersion + 1,
      });
      await manager.save(account);
      // The previous holder's identity is theirs, not the account's: replaced by the new holder's.
      await writeIdentity(manager, this.config, account, { position: null, phone: null, email: null, citizenId: null, ...identity });
      await endDelegationsOf(manager, account.id, actor.accountId);
      await this.record(account.id, 'HANDED_OVER', actor.accountId, { previousHolder, newHolder: newHolderName, reason, assistant: actor.assistant?.username }, manager);
      const activation = await this.issueActivation(manager, account, actor, 'HANDED_OVER');
      return { account, activation };
    });
  }

  /**
   * The holder forgot the password or lost the authenticator (no self-service reset: that would be
   * a way in without the second factor). Like a handover to the same person: password and TOTP
   * unusable until they activate again with a fresh two-part code, every session void; the holder's
   * identity stays. Recorded with the reason.
   */
  async resetCredentials(accountId: string, actor: Actor, reason: string): Promise<IssuedActivation> {
    if (accountId === actor.accountId) throw ApiError.badRequest('Cannot reset your own credentials', [{ field: 'id', problem: 'is your own account: ask another system administrator' }]);
    const passwordHash = await hashPassword(generatePassword());
    return this.accounts.manager.transaction(async (manager) => {
      const account = await manager.findOne(Account, { where: { id: accountId }, lock: { mode: 'pessimistic_write' } });
      if (!account) throw ApiError.notFound('No such account');
      if (!account.active) throw ApiError.conflict('ACCOUNT_DEACTIVATED', 'The account is deactivated: reactivate it (POST /accounts/{id}/reactivate)');
      Object.assign(account, { passwordHash, totpSecret: null, totpEnrolled: false, totpLastStep: null, failedLogins: 0, credentialsVersion: account.credentialsVersion + 1 });
      await manager.save(account);
      await this.record(accountId, 'CREDENTIALS_RESET', actor.accountId, { reason, by: actor.username, assistant: actor.assistant?.username }, manager);
      const activation = await this.issueActivation(manager, account, actor, 'CREDENTIALS_RESET');
      return { account, activation };
    });
  }

  /**
   * Splits a fresh one-time code: the administrator's part is returned, the other is queued for
   * the security officers in the same transaction (both exist or neither). Only the SHA-256 of
   * the whole code is kept on the account.
   */
  async issueActivation(manager: EntityManager, account: Account, actor: Actor, occasion: 'CREATED' | 'HANDED_OVER' | 'REACTIVATED' | 'CREDENTIALS_RESET') {
    const administratorPart = activationCodePart();
    const securityOfficerPart = activationCodePart();
    const expiresAt = new Date(this.clock.nowMs() + this.config.ACCOUNT_ACTIVATION_TTL_HOURS * 3_600_000);
    await manager.update(Account, { id: account.id }, { activationHash: activationHash(administratorPart, securityOfficerPart), activationExpiresAt: expiresAt });
    await enqueueAlert(manager, {
      kind: 'ACCOUNT_ACTIVATION_ISSUED',
      incidentId: null,
      body: {
        occasion,
        username: account.username,
        role: account.role,
        unit: account.unit,
        holderName: account.holderName,
        issuedBy: actor.username,
        securityOfficerPart,
        expiresAt: expiresAt.toISOString(),
        instructions: 'Check the identity of the named holder, then give them this part in person; the administrator gives the other.',
      },
    });
    return { administratorPart, expiresAt };
  }

  private async checkNew(input: NewAccount): Promise<void> {
    if (input.role === Role.UNIT_ADMIN && !input.unit) {
      throw ApiError.badRequest('A unit administrator belongs to a unit', [{ field: 'unit', problem: 'is required for UNIT_ADMIN' }]);
    }
    if (await this.accounts.existsBy({ username: input.username })) {
      throw ApiError.conflict('USERNAME_TAKEN', `The username ${input.username} is taken`);
    }
  }

  private fields(input: NewAccount) {
    return {
      username: input.username,
      role: input.role,
      unit: input.role === Role.UNIT_ADMIN ? input.unit!.normalize('NFC').trim() : null,
      holderName: input.holderName,
    };
  }

  /**
   * A deliberate lock (an administrator or a security officer, e.g. on a suspected compromise):
   * sign-ins are refused and the open sessions end at once (AuthenticationService.resolve
   * refuses a locked account's sessions). Never automatic: failed sign-ins only slow the address
   * they come from (SignInThrottle), so an outsider cannot lock a person out.
   */
  async lock(accountId: string, actor: Actor, reason: string, until: Date | null): Promise<Account> {
    if (until && until.getTime() <= this.clock.nowMs()) throw ApiError.badRequest('Invalid end of lock', [{ field: 'until', problem: 'must be in the future' }]);
    if (accountId === actor.accountId) throw ApiError.badRequest('Cannot lock your own account', [{ field: 'id', problem: 'is your own account' }]);
    return this.accounts.manager.transaction(async (manager) => {
      const account = await manager.findOneBy(Account, { id: accountId });
      if (!account) throw ApiError.notFound('No such account');
      account.lockedUntil = until ?? LOCKED_INDEFINITELY;
      await manager.save(account);
      const details = { reason, until: until?.toISOString() ?? null, by: actor.username };
      await this.record(accountId, 'LOCKED', actor.accountId, details, manager);
      await enqueueAlert(manager, { kind: 'ACCOUNT_LOCKED', incidentId: null, body: { username: account.username, role: account.role, ...details } });
      return account;
    });
  }

  /** One transaction, as for lock(): an unlock the history could not record is no unlock. */
  async unlock(accountId: string, actor: Actor, reason: string): Promise<Account> {
    return this.accounts.manager.transaction(async (manager) => {
      const account = await manager.findOneBy(Account, { id: accountId });
      if (!account) throw ApiError.notFound('No such account');
      account.lockedUntil = null;
      await manager.save(account);
      await this.record(accountId, 'UNLOCKED', actor.accountId, { reason, by: actor.username }, manager);
      return account;
    });
  }

  /**
   * `to`: the assistant's account id, or their username (a head who is no administrator cannot
   * list accounts, but knows the colleague's username).
   */
  async grantDelegation(delegator: Actor, to: { assistantId?: string; assistantUsername?: string }, expiresAt: Date): Promise<Delegation> {
    if (delegator.assistant) throw ApiError.forbidden('DELEGATION_CHAIN', 'A delegated session cannot delegate further');
    const field = to.assistantId ? 'assistantId' : 'assistantUsername';
    const assistant = await this.accounts.findOneBy(to.assistantId ? { id: to.assistantId, active: true } : { username: to.assistantUsername, active: true });
    if (!assistant) throw ApiError.notFound('No such active account');
    const assistantId = assistant.id;
    if (assistant.id === delegator.accountId) throw ApiError.badRequest('Cannot delegate to yourself', [{ field, problem: 'is your own account' }]);
    // An assistant works inside the head's own office: same role, same unit. Anything else would
    // let one person hold both sides of a decision (separation of duties).
    if (assistant.role !== delegator.role || assistant.unit !== delegator.unit) {
      throw ApiError.badRequest('An assistant must hold the same role in the same unit', [{ field, problem: `is ${assistant.role}${assistant.unit ? ` of ${assistant.unit}` : ''}` }]);
    }
    const maxDays = this.config.DELEGATION_MAX_DAYS;
    // On the Clock that resolve() ends the delegation by.
    const now = this.clock.nowMs();
    if (expiresAt.getTime() <= now || expiresAt.getTime() > now + maxDays * 86_400_000) {
      throw ApiError.badRequest('Invalid expiry', [{ field: 'expiresAt', problem: `must be in the future and at most ${maxDays} days away` }]);
    }
    // One unexpired delegation per head and assistant: a second would show twice in both people's
    // lists and outlive a revocation of the first (the console's double submit made one). The
    // head's account row is locked, so two grants sent at once are checked one after the other.
    return this.accounts.manager.transaction(async (manager) => {
      await manager.findOne(Account, { where: { id: delegator.accountId }, lock: { mode: 'pessimistic_write' } });
      const running = await manager
        .createQueryBuilder(Delegation, 'd')
        .where('d.delegatorId = :delegator AND d.assistantId = :assistant AND d.revokedAt IS NULL AND d.expiresAt > :now', { delegator: delegator.accountId, assistant: assistantId, now: new Date(now) })
        .getOne();
      if (running) {
        throw ApiError.conflict('DELEGATION_ACTIVE', `${assistant.username} already acts for you until ${running.expiresAt.toISOString()}: revoke that delegation to grant another`);
      }
      const delegation = await manager.save(manager.create(Delegation, { delegatorId: delegator.accountId, assistantId, expiresAt, revokedAt: null, revokedBy: null }));
      await this.record(delegator.accountId, 'DELEGATION_GRANTED', delegator.accountId, { assistant: assistant.username, expiresAt }, manager);
      return delegation;
    });
  }

  /** The people of these delegations by id, for their views (one query for a page). */
  async delegationParties(delegations: Delegation[]): Promise<Map<string, Account>> {
    const ids = [...new Set(delegations.flatMap((d) => [d.delegatorId, d.assistantId]))];
    return new Map((ids.length ? await this.accounts.findBy({ id: In(ids) }) : []).map((a) => [a.id, a]));
  }

  /** 404 for an account that does not exist (rather than an empty history, which reads as "nothing happened"). */
  async history(accountId: string, page?: PageWindow): Promise<AccountEvent[]> {
    if (!(await this.accounts.existsBy({ id: accountId }))) throw ApiError.notFound('No such account');
    return this.events.find({ where: { accountId }, order: { occurredAt: 'ASC', id: 'ASC' }, ...page });
  }

  list(page?: PageWindow): Promise<Account[]> {
    return this.accounts.find({ order: { createdAt: 'ASC', id: 'ASC' }, ...page });
  }

  /** An entry of the account's history; within `manager`'s transaction when the change has one. */
  private async record(accountId: string, kind: string, actorId: string | null, details: Record<string, unknown>, manager: EntityManager = this.events.manager) {
    await manager.save(manager.create(AccountEvent, { accountId, kind, actorId, details }));
  }
}
