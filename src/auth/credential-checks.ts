import { ConnectionState, dataPlaneAllows } from '../connections/connection-lifecycle.js';
import { ApiError } from '../shared/errors/api-error.js';
import type { CredentialStatus } from './credential-status.service.js';

/**
 * The checks a certificate's status must pass before anything is served or issued to it.
 * Shared by the token endpoint and the token guard, so both refuse for the same reasons.
 */
export function assertUsable(status: CredentialStatus | null): asserts status is CredentialStatus {
  if (!status) throw ApiError.unauthorized('UNKNOWN_CERTIFICATE', 'The client certificate is not registered to any connection');
  if (status.revoked) throw ApiError.unauthorized('CERTIFICATE_REVOKED', 'The client certificate has been revoked');
  if (status.notAfter.getTime() <= Date.now()) throw ApiError.unauthorized('CERTIFICATE_EXPIRED', 'The client certificate has expired');
  if (status.connectionState === ConnectionState.SUSPENDED) {
    throw ApiError.forbidden(
      'CONNECTION_SUSPENDED',
      `The connection is suspended (${status.suspensionReason ?? 'no reason recorded'}); reconnection requires a remediation report`,
    );
  }
  if (status.connectionState === ConnectionState.GO_LIVE_SCHEDULED && status.environment === 'production') {
    throw ApiError.forbidden('NOT_YET_LIVE', `Production opens on the agreed go-live date, ${status.goLiveDate}: the production certificate cannot be used before it`);
  }
  if (!dataPlaneAllows(status.connectionState, status.environment)) {
    throw ApiError.forbidden(
      'CONNECTION_NOT_ACTIVE',
      `The connection is ${status.connectionState}: its ${status.environment} certificate cannot be used now`,
    );
  }
}
