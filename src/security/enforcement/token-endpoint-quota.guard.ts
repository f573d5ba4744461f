import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientCertificateOf } from '../../auth/client-certificate.js';
import { OAuthTokenController } from '../../auth/oauth-token.controller.js';
import { applyQuotaVerdict } from './quota-headers.js';
import { QuotaService } from './quota.service.js';

/**
 * The token endpoint's own modest limit, per client certificate (there is no principal yet).
 * Registered as a global guard; it counts only calls to OAuthTokenController and lets every
 * other route through untouched (their quotas are QuotaGuard's, after authentication).
 */
@Injectable()
export class TokenEndpointQuotaGuard implements CanActivate {
  constructor(private readonly quotas: QuotaService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' || context.getClass() !== OAuthTokenController) return true;
    const http = context.switchToHttp();
    const certificate = clientCertificateOf(http.getRequest<FastifyRequest>());
    if (!certificate) return true; // the controller refuses it
    const verdict = await this.quotas.consume(`token:${certificate.thumbprintSha256}`, this.quotas.tokenWindows());
    applyQuotaVerdict(http.getResponse<FastifyReply>(), verdict, 'token requests');
    return true;
  }
}
