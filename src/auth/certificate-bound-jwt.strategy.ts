import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import crypto from 'node:crypto';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Clock } from '../calendar/clock.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { signingKeyFor } from '../shared/config/signing-keys.js';
import { ApiError } from '../shared/errors/api-error.js';
import { AccessTokenClaims, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from './access-token.js';
import { clientCertificateOf } from './client-certificate.js';
import { assertUsable } from './credential-checks.js';
import { CredentialStatusService } from './credential-status.service.js';
import type { DataPlanePrincipal } from './data-plane-principal.js';

export const CERTIFICATE_BOUND_JWT = 'certificate-bound-jwt';

const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * passport-jwt checks signature (algorithm pinned), issuer, audience and expiry; `validate` then
 * binds the token to the TLS session: the certificate on this connection must be the one the
 * token was issued to (RFC 8705 `cnf.x5t#S256`), and it must still be usable.
 *
 * A token that passed passport-jwt's checks is remembered until it expires, and its next calls
 * skip passport and the token checks (`rememberedPrincipal`): a client sends the same token for
 * minutes, and decoding and verifying it again on every call was a tenth of the CPU of a cached
 * pull. What can change meanwhile (the certificate's and connection's status, the binding to this
 * TLS session) is checked by `principalOf` on every call, remembered token or not.
 *
 * Expiry is judged here against the gateway's Clock, not by jsonwebtoken against the system time:
 * one clock decides both whether a remembered token is still good and whether a new one is, and
 * tests cross an expiry by moving that clock instead of waiting for it.
 */
@Injectable()
export class CertificateBoundJwtStrategy extends PassportStrategy(Strategy, CERTIFICATE_BOUND_JWT) {
  /** Verified tokens → their claims, each kept only until its `exp`. */
  private readonly verified = new LRUCache<string, AccessTokenClaims>({ max: 10_000 });

  constructor(
    config: GatewayConfig,
    private readonly credentials: CredentialStatusService,
    private readonly clock: Clock,
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
      // Checked in validate() against the Clock (with the same rule jsonwebtoken applies).
      jsonWebTokenOptions: { ignoreExpiration: true },
    });
  }

  /**
   * The principal of a call whose token passed passport-jwt's checks before (it is remembered
   * until its expiry), bound to this TLS session and its credential still usable; null for any
   * other token, which must go through passport. CertificateBoundTokenGuard asks this first.
   */
  rememberedPrincipal(request: FastifyRequest): Promise<DataPlanePrincipal> | null {
    const token = bearerToken(request as never);
    const claims = token ? this.verified.get(token) : undefined;
    if (!claims) return null;
    // Expired since it was remembered: passport's path answers TOKEN_EXPIRED for it.
    if (this.expired(claims)) {
      this.verified.delete(token!);
      return null;
    }
    return this.principalOf(request, claims);
  }

  /** Called by passport-jwt once the token passed its checks. */
  async validate(request: FastifyRequest, claims: AccessTokenClaims): Promise<DataPlanePrincipal> {
    if (typeof claims.exp !== 'number') throw ApiError.unauthorized('TOKEN_INVALID', 'The access token is malformed, forged or not for this gateway');
    if (this.expired(claims)) throw ApiError.unauthorized('TOKEN_EXPIRED', 'The access token has expired');
    this.remember(request, claims);
    return this.principalOf(request, claims);
  }

  private async principalOf(request: FastifyRequest, claims: AccessTokenClaims): Promise<DataPlanePrincipal> {
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

  /** jsonwebtoken's rule: a token is refused from its `exp` second on. */
  private expired(claims: AccessTokenClaims): boolean {
    return Math.floor(this.clock.nowMs() / 1000) >= (claims.exp ?? 0);
  }

  private remember(request: FastifyRequest, claims: AccessTokenClaims): void {
    const token = bearerToken(request as never);
    // The cache's own lifetime only bounds its memory: expiry is checked against the Clock on use.
    const ttl = (claims.exp ?? 0) * 1000 - this.clock.nowMs();
    if (token && ttl > 0) this.verified.set(token, claims, { ttl });
  }
}
