import type { Environment } from './environment.js';

/** The states of a connection (Appendix II part I, steps 1-7, and Section IV.5). */
export enum ConnectionState {
  SUBMITTED = 'SUBMITTED',
  RETURNED = 'RETURNED',
  APPROVED = 'APPROVED',
  AGREEMENT_SIGNED = 'AGREEMENT_SIGNED',
  TESTING = 'TESTING',
  TEST_PASSED = 'TEST_PASSED',
  LIVE = 'LIVE',
  SUSPENDED = 'SUSPENDED',
  TERMINATED = 'TERMINATED',
}

/**
 * Which environments' data a connection's certificates reach in each state. A state not listed
 * reaches none. Test credentials keep working in test once live (step 6).
 */
export const DATA_PLANE_ACCESS: Partial<Record<ConnectionState, readonly Environment[]>> = {
  [ConnectionState.TESTING]: ['test'],
  [ConnectionState.TEST_PASSED]: ['test'],
  [ConnectionState.LIVE]: ['test', 'production'],
};

export function dataPlaneAllows(state: ConnectionState, environment: Environment): boolean {
  return DATA_PLANE_ACCESS[state]?.includes(environment) ?? false;
}
