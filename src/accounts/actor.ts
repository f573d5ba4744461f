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
  /** Signed in with an expired password: may only change it (every other route is 403 PASSWORD_CHANGE_REQUIRED). */
  passwordChangeRequired?: true;
}

export const SESSION_AUDIENCE = 'control-plane';
export const ENROLMENT_AUDIENCE = 'control-plane-mfa-enrolment';

export interface SessionClaims {
  sub: string;
  ver: number;
  /** RFC 8693 actor claim: the assistant acting for `sub`. */
  act?: { sub: string; ver: number };
  /** The session's id (sessions only), so that signing out can end this one session. */
  jti?: string;
  /** Password change required: the password had expired when this session was opened. */
  pwc?: true;
  /** When the person signed in (seconds): a console session re-issued while in use ends CONSOLE_SESSION_MAX_SECONDS after it. */
  auth_time?: number;
}
