import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock } from '../calendar/clock.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { ApiError } from '../shared/errors/api-error.js';
import { AccountEvent } from './account-event.entity.js';
import { Account } from './account.entity.js';
import type { Actor } from './actor.js';
import { AuthenticationService, SessionToken } from './authentication.service.js';
import { hashPassword, verifyPassword } from './credentials.js';
import { assertStrongPassword, reusesAny } from './password-policy.js';

/**
 * Password rotation (seed 004): a password expires PASSWORD_MAX_AGE_DAYS after it was set; the
 * holder then signs in as usual (password and second factor) into a session that can only change
 * it. The new one must meet the policy (length, strength against common-password lists) and be
 * none of the last PASSWORD_HISTORY, of which only the Argon2 hashes are kept.
 */
@Injectable()
export class PasswordService {
  constructor(
    @InjectRepository(Account) private readonly accounts: Repository<Account>,
    private readonly authentication: AuthenticationService,
    private readonly config: GatewayConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Sets the holder's new password and returns a fresh session: every other session of the
   * account ends (the credentials version moves), as one opened with the old password should.
   */
  async change(actor: Actor, currentPassword: string, newPassword: string): Promise<SessionToken> {
    // The password is the holder's own: an assistant acting for them cannot change it.
    if (actor.assistant) throw ApiError.forbidden('DELEGATION_CHAIN', "A delegated session cannot change the head's password");
    const account = await this.accounts.findOneByOrFail({ id: actor.accountId });
    if (!(await verifyPassword(account.passwordHash, currentPassword))) {
      throw ApiError.badRequest('The current password is wrong', [{ field: 'currentPassword', problem: 'is not your current password' }]);
    }
    assertStrongPassword(newPassword, this.config.PASSWORD_MIN_STRENGTH, [account.username, account.holderName]);
    // The last N: the current password and the N-1 before it.
    const remembered = [account.passwordHash, ...account.passwordHistory].slice(0, this.config.PASSWORD_HISTORY);
    if (await reusesAny(newPassword, remembered)) {
      throw ApiError.badRequest('The new password was used before', [{ field: 'newPassword', problem: `must differ from your last ${this.config.PASSWORD_HISTORY} passwords` }]);
    }
    const passwordHash = await hashPassword(newPassword);
    const updated = await this.accounts.manager.transaction(async (manager) => {
      // Only if nothing changed the password meanwhile (two changes racing: one wins).
      const result = await manager.update(
        Account,
        { id: account.id, passwordHash: account.passwordHash },
        { passwordHash, passwordChangedAt: this.clock.now(), passwordHistory: remembered.slice(0, Math.max(this.config.PASSWORD_HISTORY - 1, 0)), credentialsVersion: account.credentialsVersion + 1 },
      );
      if (!result.affected) throw ApiError.conflict('PASSWORD_CHANGED_MEANWHILE', 'The password was changed by another request; sign in again');
      await manager.save(manager.create(AccountEvent, { accountId: account.id, kind: 'PASSWORD_CHANGED', actorId: account.id, details: { expired: !!actor.passwordChangeRequired } }));
      return manager.findOneByOrFail(Account, { id: account.id });
    });
    return this.authentication.sessionFor(updated, { sub: updated.id, ver: updated.credentialsVersion });
  }
}
