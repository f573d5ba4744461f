import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DataSet, Direction, mayUse } from '../connections/connection-scope.js';
import { QuotaGuard } from '../security/enforcement/quota.guard.js';
import { ApiError, ApiErrorBody } from '../shared/errors/api-error.js';
import { CertificateBoundTokenGuard } from './certificate-bound-token.guard.js';
import type { DataPlanePrincipal } from './data-plane-principal.js';

interface AccessRequirement {
  /** `evidence`: attachments, which serve whichever data set the agreement covers. */
  dataSet: DataSet | 'evidence';
  direction: Direction;
}
const ACCESS = Symbol('data-plane-access');

@Injectable()
export class AgreedScopeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const need = this.reflector.get<AccessRequirement>(ACCESS, context.getHandler());
    const principal = context.switchToHttp().getRequest<FastifyRequest>().principal!;
    const sets = need.dataSet === 'evidence' ? principal.scope.dataSets : [need.dataSet];
    if (!sets.some((set) => mayUse(principal.scope, set, need.direction))) {
      throw ApiError.forbidden(
        'OUTSIDE_AGREED_SCOPE',
        `The connection agreement does not allow ${need.direction} of ${need.dataSet}`,
      );
    }
    return true;
  }
}

/**
 * One decorator for a data-plane route: certificate-bound token, the agreed data set and
 * direction, and the matching OpenAPI security and error responses.
 */
export function DataPlaneAccess(dataSet: AccessRequirement['dataSet'], direction: Direction) {
  return applyDecorators(
    SetMetadata(ACCESS, { dataSet, direction } satisfies AccessRequirement),
    UseGuards(CertificateBoundTokenGuard, AgreedScopeGuard, QuotaGuard),
    ApiBearerAuth('certificate-bound-token'),
    ApiResponse({ status: 400, description: 'Invalid input (VALIDATION_FAILED, MALFORMED_BODY), or an attack probe (SUSPICIOUS_INPUT): an attack pattern in the path, a query parameter, a header or a strictly formatted body field, or SQL / script metacharacters where a code, date or identifier is expected. Free-text fields (names, descriptions) are never refused for their content.', type: ApiErrorBody }),
    ApiResponse({ status: 401, description: 'Token missing, expired, forged or bound to another certificate', type: ApiErrorBody }),
    ApiResponse({ status: 403, description: 'Outside the agreed scope or direction, or the connection is suspended', type: ApiErrorBody }),
    ApiResponse({ status: 429, description: 'Over quota', type: ApiErrorBody }),
  );
}

/** The calling connection, as established by CertificateBoundTokenGuard. */
export const Principal = createParamDecorator(
  (_: unknown, context: ExecutionContext): DataPlanePrincipal => context.switchToHttp().getRequest<FastifyRequest>().principal!,
);
