import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ApiError } from '../shared/errors/api-error.js';
import { AccountEvent } from './account-event.entity.js';
import { Account } from './account.entity.js';
import type { Actor } from './actor.js';
import { generatePassword, hashPassword } from './credentials.js';
import { Delegation } from './delegation.entity.js';
import { Role } from './roles.js';

/** Delegations are time-boxed: a standing one would be a second account in disguise. */
export const MAX_DELEGATION_DAYS = 90;

export interface NewAccount {
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

@Injectable()
export class AccountsService {
  constructor(
    @InjectRepository(Account) private readonly accounts: Repository<Account>,
    @InjectRepository(AccountEvent) private readonly events: Repository<AccountEvent>,
    @InjectRepository(Delegation) private readonly delegations: Repository<Delegation>,
  ) {}

  async create(input: NewAccount, actorId: string | null): Promise<IssuedCredentials> {
    if (input.role === Role.UNIT_ADMIN && !input.unit) {
      throw ApiError.badRequest('A unit administrator belongs to a unit', [{ field: 'unit', problem: 'is required for UNIT_ADMIN' }]);
    }
    if (await this.accounts.existsBy({ username: input.username })) {
      throw ApiError.conflict('USERNAME_TAKEN', `The username ${input.username} is taken`);
    }
    const initialPassword = generatePassword();
    const account = await this.accounts.save(
      this.accounts.create({
        username: input.username,
        role: input.role,
        unit: input.role === Role.UNIT_ADMIN ? input.unit!.normalize('NFC').trim() : null,
        holderName: input.holderName,
        passwordHash: await hashPassword(initialPassword),
      }),
    );
    await this.record(account.id, 'CREATED', actorId, { role: account.role, unit: account.unit, holderName: account.holderName });
    return { account, initialPassword };
  }

  /**
   * Hands the account to another person (II.2.đ): new password, second factor to enrol again,
   * every existing session void, and the change recorded with both names.
   */
  async handOver(accountId: string, newHolderName: string, actor: Actor, reason: string): Promise<IssuedCredentials> {
    const account = await this.accounts.findOneBy({ id: accountId });
    if (!account) throw ApiError.notFound('No such account');
    const previousHolder = account.holderName;
    const initialPassword = generatePassword();
    Object.assign(account, {
      holderName: newHolderName,
      passwordHash: await hashPassword(initialPassword),
      totpSecret: null,
      totpEnrolled: false,
      totpLastStep: null,
      failedLogins: 0,
      lockedUntil: null,
      credentialsVersion: account.credentialsVersion + 1,
    });
    await this.accounts.save(account);
    // Delegations from and to the account end with its holder.
    await this.delegations.update({ delegatorId: account.id, revokedAt: IsNull() }, { revokedAt: new Date() });
    await this.delegations.update({ assistantId: account.id, revokedAt: IsNull() }, { revokedAt: new Date() });
    await this.record(account.id, 'HANDED_OVER', actor.accountId, { previousHolder, newHolder: newHolderName, reason, assistant: actor.assistant?.username });
    return { account, initialPassword };
  }

  async grantDelegation(delegator: Actor, assistantId: string, expiresAt: Date): Promise<Delegation> {
    if (delegator.assistant) throw ApiError.forbidden('DELEGATION_CHAIN', 'A delegated session cannot delegate further');
    const assistant = await this.accounts.findOneBy({ id: assistantId, active: true });
    if (!assistant) throw ApiError.notFound('No such active account');
    if (assistant.id === delegator.accountId) throw ApiError.badRequest('Cannot delegate to yourself', [{ field: 'assistantId', problem: 'is your own account' }]);
    // An assistant works inside the head's own office: same role, same unit. Anything else would
    // let one person hold both sides of a decision (separation of duties).
    if (assistant.role !== delegator.role || assistant.unit !== delegator.unit) {
      throw ApiError.badRequest('An assistant must hold the same role in the same unit', [{ field: 'assistantId', problem: `is ${assistant.role}${assistant.unit ? ` of ${assistant.unit}` : ''}` }]);
    }
    const maxExpiry = Date.now() + MAX_DELEGATION_DAYS * 86_400_000;
    if (expiresAt <= new Date() || expiresAt.getTime() > maxExpiry) {
      throw ApiError.badRequest('Invalid expiry', [{ field: 'expiresAt', problem: `must be in the future and at most ${MAX_DELEGATION_DAYS} days away` }]);
    }
    const delegation = await this.delegations.save(this.delegations.create({ delegatorId: delegator.accountId, assistantId, expiresAt, revokedAt: null }));
    await this.record(delegator.accountId, 'DELEGATION_GRANTED', delegator.accountId, { assistant: assistant.username, expiresAt });
    return delegation;
  }

  history(accountId: string): Promise<AccountEvent[]> {
    return this.events.find({ where: { accountId }, order: { occurredAt: 'ASC' } });
  }

  list(): Promise<Account[]> {
    return this.accounts.find({ order: { createdAt: 'ASC' } });
  }

  private async record(accountId: string, kind: string, actorId: string | null, details: Record<string, unknown>) {
    await this.events.save(this.events.create({ accountId, kind, actorId, details }));
  }
}
