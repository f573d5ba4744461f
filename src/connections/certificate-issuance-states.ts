/**
 * Where DTD may issue a certificate from the unit's pending request outside the steps that issue
 * one themselves (configure, go-live): renewal, or a new key after a compromise. RETESTING too: a
 * unit whose credentials were compromised re-tests with a new test certificate; a scheduled
 * go-live keeps its production certificate renewable before the date comes. The console offers
 * the button from this list: no imports here, so that its bundle can take it.
 */
export const CERTIFICATE_ISSUANCE_STATES = {
  test: ['TESTING', 'TEST_PASSED', 'GO_LIVE_SCHEDULED', 'LIVE', 'RETESTING'],
  production: ['GO_LIVE_SCHEDULED', 'LIVE'],
} as const satisfies Record<'test' | 'production', readonly string[]>;

export function mayIssueCertificate(environment: 'test' | 'production', state: string): boolean {
  return (CERTIFICATE_ISSUANCE_STATES[environment] as readonly string[]).includes(state);
}
