import type { AuditFacts, AuditInput } from './audited.decorator.js';

/**
 * The `details` of control-plane routes whose evidence needs more than the target (see @Audited).
 * Strings are cut to the lengths the log keeps; nothing secret or personal (no citizen ID) goes in.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function str(value: unknown, length: number): string | null {
  return typeof value === 'string' ? value.slice(0, length) : null;
}

export function uuidOrNull(value: unknown): string | null {
  return typeof value === 'string' && UUID.test(value) ? value : null;
}

/** The id a route creates, as most create routes answer it (`{ id, … }`). */
export const createdId = (response: Readonly<Record<string, unknown>>) => response.id;

/** A connection named in the body (e.g. an incident opened on one). */
export const bodyConnectionId = ({ body }: AuditInput) => body.connectionId;

/** A handover (II.2.đ): both holder names, and why. */
export const handoverDetails = ({ body, targetBefore }: AuditFacts) => ({
  previousHolder: targetBefore?.holderName ?? null,
  newHolder: str(body.newHolderName, 200),
  reason: str(body.reason, 1000),
});

/** A new account: who it is for (the citizen ID is personal data, never here). */
export const newAccountDetails = ({ body }: AuditFacts) => ({
  username: str(body.username, 100),
  role: str(body.role, 32),
  holderName: str(body.holderName, 200),
  unit: str(body.unit, 300),
});

/** A deactivation or reactivation: whose account, why. */
export const accountStatusDetails = ({ body, targetBefore }: AuditFacts) => ({
  targetUsername: targetBefore?.username ?? null,
  targetHolder: targetBefore?.holderName ?? null,
  cause: str(body.cause, 20),
  reason: str(body.reason, 1000),
});

/** A delegation granted (II.2.c): to whom, until when. */
export async function delegationGrantDetails({ body, account }: AuditFacts) {
  const assistantId = uuidOrNull(body.assistantId);
  const assistant = assistantId ? await account({ id: assistantId }) : null;
  return { assistantId, assistantUsername: assistant?.username ?? null, assistantHolder: assistant?.holderName ?? null, expiresAt: str(body.expiresAt, 40) };
}

/** A session opened acting for a delegator: whom. */
export async function delegatorDetails({ target, account }: AuditFacts) {
  const delegatorId = uuidOrNull(target?.id);
  const delegator = delegatorId ? await account({ id: delegatorId }) : null;
  return { delegatorUsername: delegator?.username ?? null, delegatorHolder: delegator?.holderName ?? null };
}
