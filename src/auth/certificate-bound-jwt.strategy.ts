import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import crypto from 'node:crypto';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { signingKeyFor } from '../shared/config/signing-keys.js';
import { ApiError } from '../shared/errors/api-error.js';
import { AccessTokenClaims, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from './access-token.js';
import { clientCertificateOf } from './client-certificate.js';
import { assertUsable } from './credential-checks.js';
import { CredentialStatusService } from './credential-status.service.js';
import type { DataPlanePrincipal } from './data-plane-principal.js';

export const CERTIFICATE_BOUND_JWT = 'certificate-bound-jwt';

/**
 * passport-jwt checks signature (algorithm pinned), issuer, audience and expiry; `validate` then
 * binds the token to the TLS session: the certificate on this connection must be the one the
 * token was issued to (RFC 8705 `cnf.x5t#S256`), and it must still be usable.
 */
@Injectable()
export class CertificateBoundJwtStrategy extends PassportStrategy(Strategy, CERTIFICATE_BOUND_JWT) {
  constructor(
    config: GatewayConfig,
    private readonly credentials: CredentialStatusService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a
      // public key on every verification, which was 15% of the pull path's CPU.
      secretOrKey: crypto.createSecretKey(signingKeyFor(config, 'data-plane access token')) as unknown as string,
      algorithms: [TOKEN_ALGORITHM],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      passReqToCallback: true,
    });
  }

  async validate(request: FastifyRequest, claims: AccessTokenClaims): Promise<DataPlanePrincipal> {
    const certificate = clientCertificateOf(request);
    if (!certificate || claims.cnf?.['x5t#S256'] !== certificate.x5tS256) {
      throw ApiError.unauthorized('TOKEN_CERTIFICATE_MISMATCH', 'The token is bound to a different client certificate');
    }
    const status = await this.credentials.byThumbprint(certificate.thumbprintSha256);
    assertUsable(status);
    if (status.connectionId !== claims.sub || status.environment !== claims.env) {
      throw ApiError.unauthorized('TOKEN_INVALID', 'The token does not belong to this certificate');
    }
    return {
      connectionId: status.connectionId,
      environment: status.environment,
      certificateThumbprint: certificate.thumbprintSha256,
      scope: status.scope,
    };
  }
}
