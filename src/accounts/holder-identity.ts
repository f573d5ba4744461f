import { EntityManager, IsNull } from 'typeorm';
import type { GatewayConfig } from '../shared/config/gateway-config.js';
import { ApiError } from '../shared/errors/api-error.js';
import { Account } from './account.entity.js';
import { Delegation } from './delegation.entity.js';
import { CITIZEN_ID, citizenIdPurpose, encryptPersonalData, maskCitizenId } from './personal-data.js';

/** Who holds the account, besides their name (footnote 6). All optional: filled in when known. */
export interface HolderIdentity {
  position?: string | null;
  phone?: string | null;
  email?: string | null;
  /** 12 digits; stored encrypted, shown masked. */
  citizenId?: string | null;
}

/**
 * Writes the holder's identity fields that are given (undefined: unchanged, null: cleared). The
 * citizen ID is encrypted for this account and only its masked form is kept readable; the
 * plaintext goes nowhere else (not the history, not the audit details, not a log line).
 */
export async function writeIdentity(manager: EntityManager, config: GatewayConfig, account: Account, identity: HolderIdentity): Promise<void> {
  const changes: Partial<Account> = {};
  for (const field of ['position', 'phone', 'email'] as const) {
    if (identity[field] !== undefined) changes[field] = identity[field]?.normalize('NFC').trim() || null;
  }
  if (identity.citizenId !== undefined) {
    const citizenId = identity.citizenId;
    // The DTOs check this too; here it guards every other caller (CLI, handover).
    if (citizenId !== null && !CITIZEN_ID.test(citizenId)) throw ApiError.badRequest('Invalid citizen ID', [{ field: 'citizenId', problem: 'must be the 12 digits of the citizen ID number' }]);
    changes.citizenIdEncrypted = citizenId === null ? null : encryptPersonalData(config, citizenId, citizenIdPurpose(account.id));
    changes.citizenIdMasked = citizenId === null ? null : maskCitizenId(citizenId);
  }
  if (!Object.keys(changes).length) return;
  await manager.update(Account, { id: account.id }, changes);
  const { citizenIdEncrypted: _, ...visible } = changes;
  Object.assign(account, visible);
}

/** Names of the identity fields that changed, for the history (never their values: they are personal data). */
export function changedIdentityFields(identity: HolderIdentity): string[] {
  return (['position', 'phone', 'email', 'citizenId'] as const).filter((field) => identity[field] !== undefined);
}

/**
 * Ends every delegation the account gave or holds, at once: AuthenticationService.resolve checks
 * the delegation on every call, so sessions opened under them stop working with the next request.
 */
export async function endDelegationsOf(manager: EntityManager, accountId: string, by: string | null): Promise<number> {
  const now = new Date();
  const given = await manager.update(Delegation, { delegatorId: accountId, revokedAt: IsNull() }, { revokedAt: now, revokedBy: by });
  const held = await manager.update(Delegation, { assistantId: accountId, revokedAt: IsNull() }, { revokedAt: now, revokedBy: by });
  return (given.affected ?? 0) + (held.affected ?? 0);
}
