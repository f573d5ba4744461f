import { Injectable, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { PERMISSIONS } from '../accounts/permissions.js';

/** What the audit log says a control-plane route does. */
export interface AuditedRoute {
  /** The declared ControlPlaneAction, or `auth.<operationId>` for a public (sign-in) route. */
  action: string;
  /** Public routes carry credentials (password, TOTP code, enrolment token) and have no session. */
  isPublic: boolean;
  /** The OpenAPI operationId (e.g. `handOverAccount`), which names the route in the audit hook. */
  operationId: string;
}

/**
 * The metadata keys of `@ControlPlaneRoute` / `@PublicControlPlaneRoute`
 * (accounts/control-plane-action.decorator.ts) are module-private symbols: they are found by
 * their description, and an action is accepted only if PERMISSIONS lists it. If the decorator
 * changes, routes show up as unmapped (`unmapped()`, checked by test/audit-control-plane.e2e-spec.ts).
 */
const ACTION_KEY = 'control-plane-action';
const PUBLIC_KEY = 'control-plane-public';
const API_OPERATION = 'swagger/apiOperation';

/**
 * Maps every control-plane route (`METHOD /path/:param` as Fastify registered it) to the action
 * it declares, read once from the controllers' metadata. The guard checks the same declaration,
 * so the audit names exactly the action that was allowed or refused.
 */
@Injectable()
export class ControlPlaneRoutes {
  private table: Map<string, AuditedRoute> | null = null;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  /** The route Fastify matched (`request.routeOptions.url`); undefined for an unknown path. */
  lookup(method: string, url: string | undefined): AuditedRoute | undefined {
    if (!url) return undefined;
    const table = this.routes();
    return table.get(routeKey(method, url)) ?? (method === 'HEAD' ? table.get(routeKey('GET', url)) : undefined);
  }

  routes(): ReadonlyMap<string, AuditedRoute> {
    this.table ??= this.build();
    return this.table;
  }

  /** Control-plane routes that declare neither an action nor public access (the guard refuses them). */
  unmapped(): string[] {
    return [...this.routes()].filter(([, r]) => r.action === '').map(([key]) => key);
  }

  private build(): Map<string, AuditedRoute> {
    const table = new Map<string, AuditedRoute>();
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller?.prototype) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
      for (const name of this.scanner.getAllMethodNames(controller.prototype)) {
        const handler = controller.prototype[name as keyof typeof controller.prototype] as unknown as object;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (paths === undefined || method === undefined) continue;
        const declared = metadataByDescription(ACTION_KEY, handler, controller);
        const isPublic = metadataByDescription(PUBLIC_KEY, handler, controller) === true;
        const operationId = (Reflect.getMetadata(API_OPERATION, handler) as { operationId?: string } | undefined)?.operationId ?? name;
        const action = isPublic ? `auth.${operationId}` : typeof declared === 'string' && declared in PERMISSIONS ? declared : '';
        for (const prefix of [base ?? ''].flat()) {
          for (const path of [paths].flat()) {
            table.set(routeKey(RequestMethod[method], `${prefix}/${path}`), { action, isPublic, operationId });
          }
        }
      }
    }
    return table;
  }
}

/** `POST /control/v1/accounts/:id/handover`, whatever slashes the pieces came with. */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} /${path.split('/').filter(Boolean).join('/')}`;
}

function metadataByDescription(description: string, ...targets: object[]): unknown {
  for (const target of targets) {
    for (const key of Reflect.getMetadataKeys(target)) {
      if (typeof key === 'symbol' && key.description === description) return Reflect.getMetadata(key, target);
    }
  }
  return undefined;
}
