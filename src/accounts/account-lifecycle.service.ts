import { Clock } from '../calendar/clock.js';
import type { PageWindow } from '../shared/http/paging.js';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { enqueueAlert } from '../security/alerts/alert-outbox.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { ApiError } from '../shared/errors/api-error.js';
import { AccountEvent } from './account-event.entity.js';
import { Account } from './account.entity.js';
import { AccountsService, IssuedActivation } from './accounts.service.js';
import type { HolderIdentity } from './holder-identity.js';
import type { Actor } from './actor.js';
import { generatePassword, hashPassword } from './credentials.js';
import { Delegation } from './delegation.entity.js';
import { changedIdentityFields, endDelegationsOf, writeIdentity } from './holder-identity.js';
import { citizenIdPurpose, decryptPersonalData } from './personal-data.js';
import { Role } from './roles.js';

/** Why an account is withdrawn (III.2.b: access follows the staff). */
export type DeactivationCause = 'LEFT' | 'CHANGED_POST';

/**
 * What happens to an account after its creation: its holder's identity, its withdrawal when the
 * person leaves or changes post and its reactivation, and the ending of delegations.
 */
@Injectable()
export class AccountLifecycleService {
  constructor(
    @InjectRepository(Account) private readonly accounts: Repository<Account>,
    @InjectRepository(Delegation) private readonly delegations: Repository<Delegation>,
    private readonly accountsService: AccountsService,
    private readonly config: GatewayConfig,
    private readonly clock: Clock,
  ) {}

  async updateIdentity(accountId: string, identity: HolderIdentity, actor: Actor): Promise<Account> {
    return this.accounts.manager.transaction(async (manager) => {
      const account = await manager.findOneBy(Account, { id: accountId });
      if (!account) throw ApiError.notFound('No such account');
      await writeIdentity(manager, this.config, account, identity);
      // The history names the fields that changed, never their values (personal data).
      await manager.save(manager.create(AccountEvent, { accountId, kind: 'IDENTITY_UPDATED', actorId: actor.accountId, details: { fields: changedIdentityFields(identity), by: actor.username } }));
      return account;
    });
  }

  /**
   * The full citizen ID, for the system administrator and auditors only (the route's action).
   * Every read is in the audit log (the control-plane audit hook) and in the account's history.
   */
  async readCitizenId(accountId: string, actor: Actor): Promise<{ accountId: string; citizenId: string | null }> {
    const account = await this.accounts.findOne({ where: { id: accountId }, select: { id: true, citizenIdEncrypted: true } });
    if (!account) throw ApiError.notFound('No such account');
    const citizenId = account.citizenIdEncrypted ? decryptPersonalData(this.config, account.citizenIdEncrypted, citizenIdPurpose(account.id)) : null;
    await this.accounts.manager.save(AccountEvent, { accountId, kind: 'CITIZEN_ID_READ', actorId: actor.accountId, details: { by: actor.username, role: actor.role } });
    return { accountId, citizenId };
  }

  /**
   * Withdraws the account at once: sign-ins refused, every session void (the credentials version
   * moves, so not even a later reactivation revives one), delegations given or held ended, a
   * pending activation code dead. The record, its history and its audit entries stay.
   */
  async deactivate(accountId: string, actor: Actor, cause: DeactivationCause, reason: string): Promise<Account> {
    if (accountId === actor.accountId) throw ApiError.badRequest('Cannot deactivate your own account', [{ field: 'id', problem: 'is your own account' }]);
    return this.accounts.manager.transaction(async (manager) => {
      const account = await manager.findOne(Account, { where: { id: accountId }, lock: { mode: 'pessimistic_write' } });
      if (!account) throw ApiError.notFound('No such account');
      if (!account.active) throw ApiError.conflict('ACCOUNT_DEACTIVATED', `The account was already deactivated on ${account.deactivatedAt?.toISOString()}`);
      Object.assign(account, { active: false, deactivatedAt: this.clock.now(), credentialsVersion: account.credentialsVersion + 1, activationHash: null, activationExpiresAt: null });
      await manager.save(account);
      const delegationsEnded = await endDelegationsOf(manager, account.id, actor.accountId);
      const details = { cause, reason, by: actor.username, delegationsEnded };
      await manager.save(manager.create(AccountEvent, { accountId, kind: 'DEACTIVATED', actorId: actor.accountId, details }));
      await enqueueAlert(manager, { kind: 'ACCOUNT_DEACTIVATED', incidentId: null, body: { username: account.username, role: account.role, holderName: account.holderName, ...details } });
      return account;
    });
  }

  /**
   * Gives a deactivated account back, as a recorded act: like a handover, the holder (the same
   * person, or the one named) activates it again with a fresh two-part code and enrols a new
   * TOTP; nothing of the old credentials works.
   */
  async reactivate(accountId: string, actor: Actor, reason: string, holderName?: string): Promise<IssuedActivation> {
    const passwordHash = await hashPassword(generatePassword());
    return this.accounts.manager.transaction(async (manager) => {
      const account = await manager.findOne(Account, { where: { id: accountId }, lock: { mode: 'pessimistic_write' } });
      if (!account) throw ApiError.notFound('No such account');
      if (account.active) throw ApiError.conflict('ACCOUNT_ACTIVE', 'The account is active; only a deactivated account can be reactivated');
      const previousHolder = account.holderName;
      Object.assign(account, {
        active: true,
        deactivatedAt: null,
        holderName: holderName ?? account.holderName,
        passwordHash,
        passwordHistory: [],
        totpSecret: null,
        totpEnrolled: false,
        totpLastStep: null,
        lockedUntil: null,
        credentialsVersion: account.credentialsVersion + 1,
      });
      await manager.save(account);
      if (holderName && holderName !== previousHolder) await writeIdentity(manager, this.config, account, { position: null, phone: null, email: null, citizenId: null });
      await manager.save(manager.create(AccountEvent, { accountId, kind: 'REACTIVATED', actorId: actor.accountId, details: { reason, by: actor.username, previousHolder, holder: account.holderName } }));
      const activation = await this.accountsService.issueActivation(manager, account, actor, 'REACTIVATED');
      return { account, activation };
    });
  }

  /** Ends a delegation at once: the assistant's next call under it is refused (resolve checks it). */
  async revokeDelegation(delegationId: string, actor: Actor): Promise<Delegation> {
    if (actor.assistant) throw ApiError.forbidden('DELEGATION_CHAIN', 'A delegated session cannot revoke delegations; the head does it in their own session');
    const delegation = await this.delegations.findOneBy({ id: delegationId });
    if (!delegation) throw ApiError.notFound('No such delegation');
    if (delegation.delegatorId !== actor.accountId && actor.role !== Role.SYSTEM_ADMIN) {
      throw ApiError.forbidden('NOT_YOUR_DELEGATION', 'Only the person who gave the delegation or a system administrator may revoke it');
    }
    if (delegation.revokedAt) throw ApiError.conflict('DELEGATION_ENDED', `The delegation was already revoked on ${delegation.revokedAt.toISOString()}`);
    if (delegation.expiresAt.getTime() <= this.clock.nowMs()) throw ApiError.conflict('DELEGATION_ENDED', `The delegation already expired on ${delegation.expiresAt.toISOString()}`);
    await this.accounts.manager.transaction(async (manager) => {
      Object.assign(delegation, { revokedAt: new Date(), revokedBy: actor.accountId });
      await manager.save(delegation);
      await manager.save(manager.create(AccountEvent, { accountId: delegation.delegatorId, kind: 'DELEGATION_REVOKED', actorId: actor.accountId, details: { delegationId, assistantId: delegation.assistantId, by: actor.username } }));
    });
    return delegation;
  }

  /** The delegations the actor gave or holds (all of them for a system administrator), newest first. */
  listDelegations(actor: Actor, page: PageWindow): Promise<Delegation[]> {
    const query = this.delegations.createQueryBuilder('d').orderBy('d.created_at', 'DESC').addOrderBy('d.id', 'ASC').skip(page.skip).take(page.take);
    if (actor.role !== Role.SYSTEM_ADMIN || actor.assistant) query.where('d.delegator_id = :me OR d.assistant_id = :me', { me: actor.accountId });
    return query.getMany();
  }
}
