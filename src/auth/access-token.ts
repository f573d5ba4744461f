import type { Environment } from '../connections/environment.js';

export const TOKEN_ISSUER = 'vn-data-sharing-gateway';
export const TOKEN_AUDIENCE = 'data-plane';
/** Pinned: tokens are HMAC-signed by the gateway itself; accepting any other `alg` invites forgery. */
export const TOKEN_ALGORITHM = 'HS256';

/** Claims of a data-plane access token (RFC 9068 profile, bound to a certificate per RFC 8705). */
export interface AccessTokenClaims {
  sub: string;
  env: Environment;
  scope: string;
  cnf: { 'x5t#S256': string };
  jti: string;
  iat?: number;
  exp?: number;
}
