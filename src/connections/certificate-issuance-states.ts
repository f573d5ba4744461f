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

/**
 * SQL: certificate `alias` has been renewed — a valid certificate of the same connection and
 * environment reaches past `horizon` (an SQL timestamptz expression). The old one stays valid to
 * its end, but nobody needs reminding of it: the review queue and the unit's reminder both skip it.
 */
export function renewedSql(alias: string, horizon: string): string {
  return `EXISTS (SELECT 1 FROM client_certificates renewed
                   WHERE renewed.connection_id = ${alias}.connection_id AND renewed.environment = ${alias}.environment
                     AND renewed.revoked_at IS NULL AND renewed.not_after > ${horizon})`;
}
