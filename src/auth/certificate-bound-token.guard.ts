import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../shared/errors/api-error.js';
import { CERTIFICATE_BOUND_JWT, CertificateBoundJwtStrategy } from './certificate-bound-jwt.strategy.js';
import type { DataPlanePrincipal } from './data-plane-principal.js';

const TOKEN_PROBLEMS: Array<[RegExp, string, string]> = [
  [/no auth token/i, 'TOKEN_MISSING', 'Authorization: Bearer <token> is required'],
  [/expired/i, 'TOKEN_EXPIRED', 'The access token has expired'],
];

/** Requires a valid access token bound to the client certificate of this TLS connection. */
@Injectable()
export class CertificateBoundTokenGuard extends AuthGuard(CERTIFICATE_BOUND_JWT) {
  constructor(private readonly strategy: CertificateBoundJwtStrategy) {
    super();
  }

  /**
   * A token verified before skips passport, which builds its whole authentication middleware for
   * every call; what can change (binding, credential status) is checked all the same.
   */
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const remembered = this.strategy.rememberedPrincipal(request);
    if (!remembered) return super.canActivate(context) as Promise<boolean>;
    request.principal = await remembered;
    return true;
  }

  override handleRequest<T = DataPlanePrincipal>(
    err: unknown,
    principal: DataPlanePrincipal | false,
    info: unknown,
    context: ExecutionContext,
  ): T {
    if (err) throw err;
    if (!principal) {
      const text = String((info as Error | undefined)?.message ?? info ?? '');
      const [, code, message] = TOKEN_PROBLEMS.find(([pattern]) => pattern.test(text)) ?? [
        null,
        'TOKEN_INVALID',
        'The access token is malformed, forged or not for this gateway',
      ];
      throw ApiError.unauthorized(code, message);
    }
    context.switchToHttp().getRequest<FastifyRequest>().principal = principal;
    return principal as T;
  }
}
