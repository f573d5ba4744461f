import { Injectable, type OnModuleInit, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { controlPlaneDeclarationOf } from '../../accounts/control-plane-action.decorator.js';
import { AUDITED, type AuditDeclaration } from './audited.decorator.js';

/** What the audit log says a control-plane route does. */
export interface AuditedRoute {
  /** The declared ControlPlaneAction, or the `auth.…` action a public (sign-in) route declares in @Audited. */
  action: string;
  /** Public routes carry credentials (password, TOTP code, enrolment token) and have no session. */
  isPublic: boolean;
  /** The OpenAPI operationId (e.g. `handOverAccount`): names the route in problems found at start-up, nothing else. */
  operationId: string;
  /** The body carries a password or personal data (`@SecretBody()`): no digest of it is kept. */
  secretBody: boolean;
  /** What the entry records about the route (@Audited). */
  audit: AuditDeclaration;
}

const API_OPERATION = 'swagger/apiOperation';

/**
 * Maps every control-plane route (`METHOD /path/:param` as Fastify registered it) to the action
 * it declares (@ControlPlaneRoute, which the guard checks too, so the audit names exactly the
 * action that was allowed or refused) and what its audit entry records (@Audited). Read once when
 * the plane starts, which it refuses to do if a route declares either one wrongly or not at all.
 */
@Injectable()
export class ControlPlaneRoutes implements OnModuleInit {
  private table = new Map<string, AuditedRoute>();
  private problems: string[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    this.build();
    if (this.problems.length) {
      throw new Error(`Control-plane routes with no or a wrong audit declaration (the plane does not start):\n  ${this.problems.join('\n  ')}`);
    }
  }

  /** The route Fastify matched (`request.routeOptions.url`); undefined for an unknown path. */
  lookup(method: string, url: string | undefined): AuditedRoute | undefined {
    if (!url) return undefined;
    return this.table.get(routeKey(method, url)) ?? (method === 'HEAD' ? this.table.get(routeKey('GET', url)) : undefined);
  }

  routes(): ReadonlyMap<string, AuditedRoute> {
    return this.table;
  }

  /** Routes declaring no permitted action, no @Audited, or an @Audited that contradicts them. Empty, or the plane does not start. */
  undeclared(): string[] {
    return [...this.problems];
  }

  private build(): void {
    const table = new Map<string, AuditedRoute>();
    const problems: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller?.prototype) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
      for (const name of this.scanner.getAllMethodNames(controller.prototype)) {
        const handler = controller.prototype[name as keyof typeof controller.prototype] as unknown as object;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (paths === undefined || method === undefined) continue;
        const declared = controlPlaneDeclarationOf(handler, controller);
        const audit = Reflect.getMetadata(AUDITED, handler) as AuditDeclaration | undefined;
        const operationId = (Reflect.getMetadata(API_OPERATION, handler) as { operationId?: string } | undefined)?.operationId ?? name;
        const problem = problemOf(declared.isPublic, declared.action, audit);
        if (problem) problems.push(`${controller.name}.${name} (${operationId}): ${problem}`);
        const action = (declared.isPublic ? audit?.action : declared.action) ?? '';
        for (const prefix of [base ?? ''].flat()) {
          for (const path of [paths].flat()) {
            table.set(routeKey(RequestMethod[method], `${prefix}/${path}`), { action, isPublic: declared.isPublic, operationId, secretBody: declared.secretBody, audit: audit ?? {} });
          }
        }
      }
    }
    this.table = table;
    this.problems = problems;
  }
}

function problemOf(isPublic: boolean, action: string | null, audit: AuditDeclaration | undefined): string | null {
  if (!audit) return 'no @Audited()';
  if (isPublic) {
    if (!audit.action) return 'a public route names its action in @Audited({ action: \'auth.…\' })';
  } else {
    if (!action) return 'no @ControlPlaneRoute(action) that PERMISSIONS lists';
    if (audit.action) return 'a session route\'s action is its @ControlPlaneRoute\'s, not @Audited\'s';
    if (audit.actor) return 'only public routes name their actor in @Audited (a session names it)';
  }
  if ((audit.targetId || audit.createdId) && !audit.target) return 'targetId/createdId without a target type';
  return null;
}

/** `POST /control/v1/accounts/:id/handover`, whatever slashes the pieces came with. */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} /${path.split('/').filter(Boolean).join('/')}`;
}
