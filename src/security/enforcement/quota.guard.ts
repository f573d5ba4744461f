import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { applyQuotaVerdict } from './quota-headers.js';
import { QuotaService } from './quota.service.js';

/**
 * The agreed quotas of the calling connection (IV.5.b), counted per connection id so that every
 * instance sharing REDIS_URL shares one count. Runs after CertificateBoundTokenGuard and
 * AgreedScopeGuard (DataPlaneAccess), because the limits come from the principal's agreement.
 *
 * Why not a ThrottlerGuard subclass: that guard reads fixed named throttlers from
 * ThrottlerModule, runs before route guards when global, and sets one set of `X-RateLimit-*-name`
 * headers per throttler. Here the limits are per connection and per kind of call, and the
 * contract wants one `RateLimit-*` set for the window nearest to refusing; overriding
 * handleRequest would have replaced all of it. (And @nestjs/throttler's runtime cannot load
 * under Jest with Nest 12: see quota-storage.ts.)
 */
@Injectable()
export class QuotaGuard implements CanActivate {
  constructor(private readonly quotas: QuotaService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const principal = request.principal;
    if (!principal) return true; // not reachable behind the token guard; nothing to count against
    const kind = QuotaService.kindOf(request.method);
    const verdict = await this.quotas.consume(`${principal.connectionId}:${kind}`, this.quotas.windowsFor(principal.scope, kind));
    applyQuotaVerdict(http.getResponse<FastifyReply>(), verdict, kind === 'read' ? 'reads' : 'writes');
    return true;
  }
}
