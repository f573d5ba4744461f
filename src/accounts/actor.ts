import type { Role } from './roles.js';

/**
 * Who is acting on the control plane. Under delegation (II.2.c) the actor is the delegator — the
 * act is theirs — and `assistant` names the person who actually did it.
 */
export interface Actor {
  accountId: string;
  username: string;
  role: Role;
  unit: string | null;
  holderName: string;
  assistant?: { accountId: string; username: string; holderName: string };
}

export const SESSION_AUDIENCE = 'control-plane';
export const ENROLMENT_AUDIENCE = 'control-plane-mfa-enrolment';

export interface SessionClaims {
  sub: string;
  ver: number;
  /** RFC 8693 actor claim: the assistant acting for `sub`. */
  act?: { sub: string; ver: number };
}
