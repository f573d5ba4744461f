import { ApiError } from '../shared/errors/api-error.js';
import type { Environment } from './environment.js';

/** The states of a connection (Appendix II part I, steps 1-7, and Section IV.5). */
export enum ConnectionState {
  SUBMITTED = 'SUBMITTED',
  RETURNED = 'RETURNED',
  APPROVED = 'APPROVED',
  AGREEMENT_SIGNED = 'AGREEMENT_SIGNED',
  TESTING = 'TESTING',
  TEST_PASSED = 'TEST_PASSED',
  /**
   * Go-live agreed for a later date (step 6): the production certificate is issued, production
   * stays closed until that date comes in TIMEZONE, then the connection opens by itself.
   */
  GO_LIVE_SCHEDULED = 'GO_LIVE_SCHEDULED',
  LIVE = 'LIVE',
  SUSPENDED = 'SUSPENDED',
  /** Remediation accepted (IV.5.c): re-tested against test data before it reopens. */
  RETESTING = 'RETESTING',
  TERMINATED = 'TERMINATED',
}

const S = ConnectionState;

export type LifecycleAction =
  | 'resubmit'
  | 'approve'
  | 'return'
  | 'recordAgreement'
  | 'configure'
  | 'confirmTest'
  | 'passTest'
  | 'goLive'
  | 'scheduleGoLive'
  | 'openProduction'
  | 'suspend'
  | 'acceptRemediation'
  | 'restore'
  | 'recordMaintenance'
  | 'submitAssessmentDossier'
  | 'terminate';

/**
 * Every legal transition, as (action, from, to). Nothing else moves a connection: an action from
 * a state not listed for it is a 409 naming the current state. Who may take each action is in
 * accounts/permissions.ts.
 */
export const TRANSITIONS: ReadonlyArray<readonly [LifecycleAction, ConnectionState, ConnectionState]> = [
  ['resubmit', S.RETURNED, S.SUBMITTED],
  ['approve', S.SUBMITTED, S.APPROVED],
  ['return', S.SUBMITTED, S.RETURNED],
  ['recordAgreement', S.APPROVED, S.AGREEMENT_SIGNED],
  // A changed agreement is a new version; the connection stays where it is.
  ['recordAgreement', S.AGREEMENT_SIGNED, S.AGREEMENT_SIGNED],
  ['recordAgreement', S.TESTING, S.TESTING],
  ['recordAgreement', S.TEST_PASSED, S.TEST_PASSED],
  ['recordAgreement', S.LIVE, S.LIVE],
  ['configure', S.AGREEMENT_SIGNED, S.TESTING],
  ['confirmTest', S.TESTING, S.TESTING],
  ['passTest', S.TESTING, S.TEST_PASSED],
  ['goLive', S.TEST_PASSED, S.LIVE],
  // Cut-off (IV.5.b), by the detector, a unit's own report or a security officer: from any state
  // whose certificates reach the data plane, the re-test included.
  ['suspend', S.TESTING, S.SUSPENDED],
  ['suspend', S.TEST_PASSED, S.SUSPENDED],
  ['suspend', S.LIVE, S.SUSPENDED],
  ['suspend', S.RETESTING, S.SUSPENDED],
  ['acceptRemediation', S.SUSPENDED, S.RETESTING],
  // Restoring (IV.5.c) returns the connection to the state it was first cut off from, kept on the
  // connection (`stateBeforeSuspension`; a cut-off during the re-test keeps it): after the re-test,
  // or from SUSPENDED by a security officer's recorded override. A suspended production
  // connection goes back to LIVE. Never to RETESTING: that is not a state one is cut off from,
  // but the way back, and only acceptRemediation leads there.
  ...[S.SUSPENDED, S.RETESTING].flatMap((from) =>
    [S.LIVE, S.TESTING, S.TEST_PASSED].map((to) => ['restore', from, to] as const),
  ),
  // Go-live on a later date: scheduled now, opened by the gateway itself when the date comes.
  // Step 7's monitoring and maintenance minutes: kept for a connection in operation, live or cut
  // off and on its way back; the state does not move.
  ...[S.LIVE, S.SUSPENDED, S.RETESTING].map((state) => ['recordMaintenance', state, state] as const),
  // IV.5.e: the unit sends its annual security assessment dossier, asked for or of its own accord.
  ...[S.LIVE, S.SUSPENDED, S.RETESTING].map((state) => ['submitAssessmentDossier', state, state] as const),
  ['scheduleGoLive', S.TEST_PASSED, S.GO_LIVE_SCHEDULED],
  ['openProduction', S.GO_LIVE_SCHEDULED, S.LIVE],
  ['recordAgreement', S.GO_LIVE_SCHEDULED, S.GO_LIVE_SCHEDULED],
  ['suspend', S.GO_LIVE_SCHEDULED, S.SUSPENDED],
  ...[S.SUSPENDED, S.RETESTING].map((from) => ['restore', from, S.GO_LIVE_SCHEDULED] as const),
  ...Object.values(S)
    .filter((state) => state !== S.TERMINATED)
    .map((state) => ['terminate', state, S.TERMINATED] as const),
];

/** The state `action` leads to from `current` (and, for restore, back to `restoreTo`), or a 409. */
export function nextState(action: LifecycleAction, current: ConnectionState, restoreTo?: ConnectionState): ConnectionState {
  const legal = TRANSITIONS.filter(([a, from]) => a === action && from === current);
  const hit = action === 'restore' ? legal.find(([, , to]) => to === restoreTo) : legal[0];
  if (!hit) {
    const allowedFrom = [...new Set(TRANSITIONS.filter(([a]) => a === action).map(([, from]) => from))];
    if (action === 'restore' && legal.length > 0) {
      const targets = legal.map(([, , to]) => to).join(', ');
      throw ApiError.conflict('ILLEGAL_TRANSITION', `Cannot restore a connection that is ${current} to ${restoreTo ?? 'an unrecorded state'}: it returns to the state it was suspended from, one of ${targets}`);
    }
    throw ApiError.conflict('ILLEGAL_TRANSITION', `Cannot ${action} a connection that is ${current}; allowed from: ${allowedFrom.join(', ')}`);
  }
  return hit[2];
}

/**
 * Which environments' data a connection's certificates reach in each state. A state not listed
 * reaches none. Test credentials keep working in test once live (step 6).
 */
export const DATA_PLANE_ACCESS: Partial<Record<ConnectionState, readonly Environment[]>> = {
  [S.TESTING]: ['test'],
  [S.TEST_PASSED]: ['test'],
  [S.GO_LIVE_SCHEDULED]: ['test'],
  [S.LIVE]: ['test', 'production'],
  [S.RETESTING]: ['test'],
};

const sourcesOf = (action: LifecycleAction) => [...new Set(TRANSITIONS.filter(([a]) => a === action).map(([, from]) => from))];

/** The states a connection can be cut off from, as the table says. */
export const SUSPENDABLE_STATES: readonly ConnectionState[] = sourcesOf('suspend');

/** The states a restoration starts from, as the table says. */
export const RESTORABLE_STATES: readonly ConnectionState[] = sourcesOf('restore');

export function dataPlaneAllows(state: ConnectionState, environment: Environment): boolean {
  return DATA_PLANE_ACCESS[state]?.includes(environment) ?? false;
}
