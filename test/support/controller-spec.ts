import type { Provider, Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { Actor } from '../../src/accounts/actor.js';
import { AuthenticationService } from '../../src/accounts/authentication.service.js';
import { SessionRegistry } from '../../src/accounts/session-registry.service.js';
import { ControlPlaneGuard } from '../../src/accounts/control-plane-action.decorator.js';
import { Role } from '../../src/accounts/roles.js';
import { ApiError } from '../../src/shared/errors/api-error.js';
import { GlobalExceptionFilter } from '../../src/shared/errors/global-exception.filter.js';
import { strictValidationPipe } from '../../src/shared/http/validation.pipe.js';

/**
 * A control-plane controller as the control plane serves it (its routes, the deny-by-default
 * guard with the permission table, the strict validation pipe, the one error shape) but with its
 * services replaced, and no TLS, database or sign-in: for the checks of who may call a route and
 * what a request must hold, which need not boot the whole gateway (as immich's
 * controllers/*.spec.ts do). The journeys stay end-to-end.
 *
 * A session here is just `Bearer ROLE` or `Bearer ROLE:unit`; `Bearer expired` is refused as an
 * expired session would be.
 */
export async function controllerApp(controller: Type, providers: Provider[]): Promise<ControllerSpecApp> {
  const sessions = {
    resolve: async (token: string): Promise<Actor> => {
      const [role, unit] = decodeURIComponent(token).split(':');
      if (!(Object.values(Role) as string[]).includes(role)) throw ApiError.unauthorized('SESSION_EXPIRED', 'The session has expired; sign in again');
      return { accountId: '00000000-0000-4000-8000-000000000001', username: `${role.toLowerCase()}.test`, role: role as Role, unit: unit ?? null, holderName: 'Người thử' };
    },
    renewBrowserSession: () => null,
  };
  const moduleRef = await Test.createTestingModule({
    controllers: [controller],
    providers: [
      ...providers,
      { provide: AuthenticationService, useValue: sessions },
      // No cookie session here (renewBrowserSession answers null): the registry is never asked.
      { provide: SessionRegistry, useValue: {} },
      ControlPlaneGuard,
      { provide: APP_GUARD, useExisting: ControlPlaneGuard },
      { provide: APP_FILTER, useClass: GlobalExceptionFilter },
      { provide: APP_PIPE, useFactory: strictValidationPipe },
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return new ControllerSpecApp(app);
}

export class ControllerSpecApp {
  constructor(readonly app: NestFastifyApplication) {}

  /**
   * One request, as `session` (a role, `ROLE:unit`, or null for none), over plain HTTP on a
   * loopback port (Fastify's inject() needs an ES module Jest cannot load in this mode).
   */
  async call(session: string | null, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) {
    let test = request(this.app.getHttpServer())[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](url);
    if (session) test = test.set('Authorization', `Bearer ${encodeURIComponent(session)}`);
    const response = await (body === undefined ? test : test.send(body as object));
    return { status: response.status, body: response.body as Record<string, any> | null };
  }

  close(): Promise<void> {
    return this.app.close();
  }
}
