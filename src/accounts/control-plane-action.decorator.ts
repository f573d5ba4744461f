import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiError, ApiErrorBody } from '../shared/errors/api-error.js';
import type { Actor } from './actor.js';
import { AuthenticationService } from './authentication.service.js';
import { ControlPlaneAction, PERMISSIONS, roleMay } from './permissions.js';

const ACTION = Symbol('control-plane-action');
const PUBLIC = Symbol('control-plane-public');

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

/** One decorator: the action a route performs (checked against PERMISSIONS) and its OpenAPI security. */
export function ControlPlaneRoute(action: ControlPlaneAction) {
  return applyDecorators(
    SetMetadata(ACTION, action),
    ApiBearerAuth('session'),
    ApiResponse({ status: 401, description: 'No valid session', type: ApiErrorBody }),
    ApiResponse({ status: 403, description: `Only ${PERMISSIONS[action].join(', ')} may do this`, type: ApiErrorBody }),
  );
}

/** Sign-in routes: no session yet. */
export const PublicControlPlaneRoute = () => SetMetadata(PUBLIC, true);

/**
 * Global guard of the control plane: deny by default. A route must name its action; the session
 * must be valid (not expired, not revoked by a handover); the role must be allowed the action.
 */
@Injectable()
export class ControlPlaneGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authentication: AuthenticationService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const action = this.reflector.getAllAndOverride<ControlPlaneAction>(ACTION, targets);
    if (!action) throw ApiError.forbidden('ACTION_NOT_DECLARED', 'This route declares no permitted action');
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) throw ApiError.unauthorized('SESSION_MISSING', 'Authorization: Bearer <session token> is required');
    const actor = await this.authentication.resolve(header.slice(7));
    request.actor = actor;
    if (!roleMay(actor.role, action)) {
      throw ApiError.forbidden('ROLE_NOT_ALLOWED', `${actor.role} may not ${action}; allowed: ${PERMISSIONS[action].join(', ')}`);
    }
    return true;
  }
}

/** The acting person (or the delegator, with `assistant` set). */
export const CurrentActor = createParamDecorator(
  (_: unknown, context: ExecutionContext): Actor => context.switchToHttp().getRequest<FastifyRequest>().actor!,
);
