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
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, ApiErrorBody } from '../shared/errors/api-error.js';
import type { Actor } from './actor.js';
import { AuthenticationService } from './authentication.service.js';
import { SessionRegistry } from './session-registry.service.js';
import { checkCsrf, sessionCredential, setSessionCookie } from './browser-session.js';
import { ControlPlaneAction, PERMISSIONS, roleMay, WHILE_PASSWORD_EXPIRED } from './permissions.js';

const ACTION = Symbol('control-plane-action');
const PUBLIC = Symbol('control-plane-public');
const SECRET_BODY = Symbol('control-plane-secret-body');

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
 * The body carries a password or personal data (a citizen ID): the audit log keeps no digest of
 * it, since an unsalted SHA-256 of a body whose other fields are known lets anyone holding the
 * log find a 12-digit number, or test password guesses, offline.
 */
export const SecretBody = () => SetMetadata(SECRET_BODY, true);

/** What a route declares with the decorators above (read by the audit's route table, ControlPlaneRoutes). */
export interface ControlPlaneDeclaration {
  /** The declared action, if PERMISSIONS lists it. */
  action: ControlPlaneAction | null;
  isPublic: boolean;
  secretBody: boolean;
}

export function controlPlaneDeclarationOf(handler: object, controller: object): ControlPlaneDeclaration {
  const read = <T>(key: symbol): T | undefined => (Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller)) as T | undefined;
  const action = read<string>(ACTION);
  return {
    action: action !== undefined && action in PERMISSIONS ? (action as ControlPlaneAction) : null,
    isPublic: read<boolean>(PUBLIC) === true,
    secretBody: read<boolean>(SECRET_BODY) === true,
  };
}

/**
 * Global guard of the control plane: deny by default. A route must name its action; the session
 * must be valid (not expired, not revoked by a handover); the role must be allowed the action.
 */
@Injectable()
export class ControlPlaneGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authentication: AuthenticationService,
    private readonly sessions: SessionRegistry,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const action = this.reflector.getAllAndOverride<ControlPlaneAction>(ACTION, targets);
    if (!action) throw ApiError.forbidden('ACTION_NOT_DECLARED', 'This route declares no permitted action');
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const credential = sessionCredential(request);
    if (!credential) throw ApiError.unauthorized('SESSION_MISSING', 'Authorization: Bearer <session token> (or the console\'s session cookie) is required');
    checkCsrf(request, credential);
    const actor = await this.authentication.resolve(credential.token);
    request.actor = actor;
    if (actor.passwordChangeRequired && !WHILE_PASSWORD_EXPIRED.includes(action)) {
      throw ApiError.forbidden('PASSWORD_CHANGE_REQUIRED', 'Your password has expired: set a new one (POST /control/v1/auth/password) before anything else');
    }
    if (credential.via === 'cookie') {
      // Idle expiry: a console in use keeps its session (browser-session.ts).
      const renewed = this.authentication.renewBrowserSession(credential.token);
      if (renewed) {
        setSessionCookie(context.switchToHttp().getResponse<FastifyReply>(), renewed.token, renewed.expiresIn);
        await this.sessions.renewed(renewed.token);
      }
    }
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
