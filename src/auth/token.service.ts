import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import crypto from 'node:crypto';
import { Clock } from '../calendar/clock.js';
import { scopeToOAuthScope } from '../connections/connection-scope.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { AccessTokenClaims, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from './access-token.js';
import type { ClientCertificate } from './client-certificate.js';
import type { CredentialStatus } from './credential-status.service.js';

export interface IssuedToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: GatewayConfig,
    private readonly clock: Clock,
  ) {}

  issue(certificate: ClientCertificate, status: CredentialStatus): IssuedToken {
    const scope = scopeToOAuthScope(status.scope);
    const claims: AccessTokenClaims = {
      sub: status.connectionId,
      env: status.environment,
      scope,
      cnf: { 'x5t#S256': certificate.x5tS256 },
      jti: crypto.randomUUID(),
    };
    // Never outlive the certificate the token is bound to. Issued and expiring on the gateway's
    // Clock, the one the strategy judges expiry by.
    const now = this.clock.nowMs();
    const untilCertExpiry = Math.floor((status.notAfter.getTime() - now) / 1000);
    const expiresIn = Math.max(1, Math.min(this.config.TOKEN_TTL_SECONDS, untilCertExpiry));
    const accessToken = this.jwt.sign({ ...claims, iat: Math.floor(now / 1000) }, {
      algorithm: TOKEN_ALGORITHM,
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      expiresIn,
    });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, scope };
  }
}
