import { SetMetadata } from '@nestjs/common';
import type { AuditPerson } from '../chain/audit.service.js';
import type { AUDIT_TARGETS_VI } from '../../shared/i18n/audit-targets.vi.js';

/**
 * What the audit entry of a control-plane request is about (`target_type`): a key of the
 * Vietnamese vocabulary the console shows it in (`audit-period` is the archive's, not a route's).
 */
export type AuditTargetType = Exclude<keyof typeof AUDIT_TARGETS_VI, 'audit-period'>;

/** The request as the audit reads it: path parameters and the parsed JSON body (`{}` for none or raw bytes). */
export interface AuditInput {
  params: Readonly<Record<string, string>>;
  body: Readonly<Record<string, unknown>>;
}

/** What a route's `details` may use: the request, the resolved target, the target account before the handler ran. */
export interface AuditFacts extends AuditInput {
  target: { type: AuditTargetType; id: string } | null;
  /** For a route on an account (`target: 'account'`, its `:id`): the account as it was before the action. */
  targetBefore: AuditPerson | null;
  /** Reads an account for the record (null when there is none). */
  account(where: { id: string } | { username: string }): Promise<AuditPerson | null>;
}

/** Who acts on a public route (no session yet): the username tried at sign-in, or the subject of a verified enrolment token. */
export type PublicActor = 'sign-in-username' | 'enrolment-token';

export interface AuditDeclaration {
  /** Public (sign-in) routes only: the action the entry names. A session route's action is its @ControlPlaneRoute's. */
  action?: `auth.${string}`;
  /** What the route acts on; absent for routes on no one thing (lists, searches, the caller's own session). */
  target?: AuditTargetType;
  /** The target's id in the request; default: the path's `:id`. */
  targetId?: (input: AuditInput) => unknown;
  /** A route that creates its target: the id in its successful JSON response (read when the request did not name one). */
  createdId?: (response: Readonly<Record<string, unknown>>) => unknown;
  /** The connection concerned when the target is not one (a connection target is its own). */
  connectionId?: (input: AuditInput) => unknown;
  /** Public routes: who acts, when no session says it. */
  actor?: PublicActor;
  /** The entry names the client certificate presented with the request (the CLIENT_CERTIFICATE sign-in factor). */
  presentedCertificate?: true;
  /**
   * Facts kept in the entry beside the path parameters other than `:id` (which are always kept).
   * Default: for an account target, its username and holder before the action. Never a secret or personal data.
   */
  details?: (facts: AuditFacts) => Record<string, unknown> | Promise<Record<string, unknown>>;
}

export const AUDITED = Symbol('control-plane-audited');

/**
 * What the audit entry of a control-plane route records, declared on the route: every control-plane
 * route has one (checked at start-up by ControlPlaneRoutes, and by test/audit-control-plane.e2e-spec.ts),
 * so renaming a route or its path cannot silently change the evidence.
 */
export const Audited = (declaration: AuditDeclaration = {}) => SetMetadata(AUDITED, Object.freeze({ ...declaration }));
