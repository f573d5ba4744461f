import { Injectable, Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { Account } from '../accounts/account.entity.js';
import type { Actor } from '../accounts/actor.js';
import { AuthenticationService } from '../accounts/authentication.service.js';
import type { AuditPerson, AuditRecord } from './audit.service.js';
import { AuditService } from './audit.service.js';
import { type AuditedRoute, ControlPlaneRoutes } from './control-plane-routes.js';
import { auditUnavailableBody } from './data-plane-audit.hook.js';
import { registerPayloadDigest } from './payload-digest.hook.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The target account as it was before the action (e.g. its holder before a handover). */
    auditTargetBefore?: AuditPerson | null;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Response bodies larger than this are not read for the id of what was created. */
const MAX_PARSED_RESPONSE = 256 * 1024;

type Body = Record<string, unknown>;

/**
 * Records every control-plane request in the audit chain before its response is sent (Fastify
 * `onSend`), as the data plane does: what nobody can find in the log was not acknowledged (503
 * AUDIT_UNAVAILABLE instead). An entry names
 * - who: the session's account, username, role and holder name at the time; under delegation
 *   (II.2.c) the delegator as actor and the assistant beside them; for a sign-in, the username
 *   attempted, whether or not an account has it;
 * - what: the action the route declares (the one the guard allowed or refused), method and path;
 * - on what: the target (the `:id` of the path, or what a POST created) and, for a connection, its
 *   id in `connection_id`, so that a connection's history spans both planes;
 * - how it ended: status, error code; and the SHA-256 of the request body (none for the sign-in
 *   routes: an unsalted digest of a password would let anyone holding the log guess it offline).
 * Handovers record both holder names; delegations, the assistant.
 */
@Injectable()
export class ControlPlaneAudit {
  private readonly logger = new Logger('ControlPlaneAudit');

  constructor(
    private readonly audit: AuditService,
    private readonly routes: ControlPlaneRoutes,
    private readonly db: DataSource,
    private readonly authentication: AuthenticationService,
  ) {}

  register(fastify: FastifyInstance): void {
    registerPayloadDigest(fastify);
    // Before the handler: what a handover is about to change (the holder's name).
    fastify.addHook('preHandler', async (request) => {
      const route = this.routes.lookup(request.method, request.routeOptions.url);
      const id = pathParams(request).id;
      if (route && !route.isPublic && targetTypeOf(request.routeOptions.url) === 'account' && id && UUID.test(id) && request.headers.authorization) {
        request.auditTargetBefore = await this.account({ id }).catch(() => null);
      }
    });
    fastify.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      try {
        await this.audit.record(await this.entryFor(request, reply, payload));
      } catch (error) {
        this.logger.error(`Control-plane request ${String(request.id)} not recorded: ${(error as Error).message}`);
        reply.code(503).header('content-type', 'application/json; charset=utf-8');
        return auditUnavailableBody(request);
      }
      return payload;
    });
  }

  private async entryFor(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<AuditRecord> {
    const route = this.routes.lookup(request.method, request.routeOptions.url);
    const body = isObject(request.body) ? request.body : {};
    const succeeded = reply.statusCode < 400;
    const target = this.targetOf(request, route, body, succeeded ? payload : undefined);
    const { actor, assistant } = await this.peopleOf(request, route, body, succeeded);
    const details = await this.detailsOf(request, route, body, target);
    return {
      occurredAt: new Date(),
      requestId: String(request.id),
      plane: 'control',
      environment: null,
      connectionId: target?.type === 'connection' && UUID.test(target.id) ? target.id : typeof body.connectionId === 'string' && UUID.test(body.connectionId) ? body.connectionId : null,
      certificateThumbprint: null,
      sourceAddress: request.ip ?? 'unknown (client disconnected)',
      method: request.method,
      path: request.url.slice(0, 2000),
      statusCode: reply.statusCode,
      errorCode: request.errorCode ?? null,
      durationMs: Math.round(reply.elapsedTime),
      action: route?.action || null,
      actor,
      assistant,
      target,
      payloadSha256: route?.isPublic ? null : (request.payloadSha256 ?? null),
      details,
    };
  }

  private async peopleOf(request: FastifyRequest, route: AuditedRoute | undefined, body: Body, succeeded: boolean) {
    const a = request.actor ?? (await this.uncheckedSession(request));
    if (a) {
      return {
        actor: { accountId: a.accountId, username: a.username, holderName: a.holderName, role: a.role },
        assistant: a.assistant ? { accountId: a.assistant.accountId, username: a.assistant.username, holderName: a.assistant.holderName } : null,
      };
    }
    if (route?.operationId === 'signIn' && typeof body.username === 'string') {
      // Failed attempts too: the username tried, and the account it names if there is one.
      const username = body.username.slice(0, 100);
      const known = await this.account({ username }).catch(() => null);
      return { actor: known ?? { accountId: null, username, holderName: null }, assistant: null };
    }
    if (route?.operationId === 'completeMfaEnrolment' && succeeded && typeof body.enrolmentToken === 'string') {
      // The token was just verified (the request succeeded), so its subject is the account.
      const sub = jwtSubject(body.enrolmentToken);
      return { actor: sub ? await this.account({ id: sub }).catch(() => null) : null, assistant: null };
    }
    return { actor: null, assistant: null };
  }

  /**
   * A session presented on a request that failed before the guard looked at it (an unparsable or
   * oversized body, an unknown path): resolved for the record only, exactly as the guard would.
   */
  private async uncheckedSession(request: FastifyRequest): Promise<Actor | null> {
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ') || request.errorCode?.startsWith('SESSION_')) return null;
    return this.authentication.resolve(header.slice(7)).catch(() => null);
  }

  /** The `:id` of the path, or what a successful POST created (read from its response). */
  private targetOf(request: FastifyRequest, route: AuditedRoute | undefined, body: Body, payload: unknown): { type: string; id: string } | null {
    const url = request.routeOptions.url;
    const type = targetTypeOf(url);
    const id = pathParams(request).id;
    if (type && id) return { type, id };
    if (route?.operationId === 'actFor' && typeof body.delegatorId === 'string') return { type: 'account', id: body.delegatorId };
    if (request.method !== 'POST' || route?.isPublic || !type || typeof payload !== 'string' || payload.length > MAX_PARSED_RESPONSE) return null;
    try {
      const created = JSON.parse(payload) as Body;
      const createdId = [created.id, (created.account as Body | undefined)?.id, created.documentId].find((v) => typeof v === 'string');
      return createdId ? { type, id: createdId as string } : null;
    } catch {
      return null;
    }
  }

  private async detailsOf(request: FastifyRequest, route: AuditedRoute | undefined, body: Body, target: { type: string; id: string } | null): Promise<Record<string, unknown> | null> {
    const details: Record<string, unknown> = {};
    // Further path parameters (e.g. the certificate of a connection being revoked).
    for (const [name, value] of Object.entries(pathParams(request))) if (name !== 'id') details[name] = value.slice(0, 100);
    switch (route?.operationId) {
      case 'handOverAccount':
        details.previousHolder = request.auditTargetBefore?.holderName ?? null;
        details.newHolder = str(body.newHolderName, 200);
        details.reason = str(body.reason, 1000);
        break;
      case 'createAccount':
        Object.assign(details, { username: str(body.username, 100), role: str(body.role, 32), holderName: str(body.holderName, 200), unit: str(body.unit, 300) });
        break;
      case 'grantDelegation': {
        const assistantId = typeof body.assistantId === 'string' && UUID.test(body.assistantId) ? body.assistantId : null;
        const assistant = assistantId ? await this.account({ id: assistantId }).catch(() => null) : null;
        Object.assign(details, { assistantId, assistantUsername: assistant?.username ?? null, assistantHolder: assistant?.holderName ?? null, expiresAt: str(body.expiresAt, 40) });
        break;
      }
      case 'actFor': {
        const delegator = target && UUID.test(target.id) ? await this.account({ id: target.id }).catch(() => null) : null;
        Object.assign(details, { delegatorUsername: delegator?.username ?? null, delegatorHolder: delegator?.holderName ?? null });
        break;
      }
      default:
        if (request.auditTargetBefore) Object.assign(details, { targetUsername: request.auditTargetBefore.username, targetHolder: request.auditTargetBefore.holderName });
    }
    return Object.keys(details).length ? details : null;
  }

  private async account(where: { id: string } | { username: string }): Promise<AuditPerson | null> {
    const found = await this.db.getRepository(Account).findOne({ where, select: { id: true, username: true, holderName: true, role: true } });
    return found ? { accountId: found.id, username: found.username, holderName: found.holderName, role: found.role } : null;
  }
}

/** `connection` for `/control/v1/connections/:id/...`, `account` for a POST to `/control/v1/accounts`. */
export function targetTypeOf(url: string | undefined): string | null {
  if (!url) return null;
  const segments = url.split('/').filter(Boolean);
  const param = segments.findIndex((s) => s.startsWith(':'));
  const noun = param > 0 ? segments[param - 1] : param < 0 ? segments[segments.length - 1] : undefined;
  if (!noun || noun.startsWith(':') || ['v1', 'control', 'auth'].includes(noun)) return null;
  return noun.endsWith('s') ? noun.slice(0, -1) : noun;
}

function pathParams(request: FastifyRequest): Record<string, string> {
  const params = request.params;
  if (!isObject(params)) return {};
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
}

function isObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

function str(value: unknown, length: number): string | null {
  return typeof value === 'string' ? value.slice(0, length) : null;
}

function jwtSubject(token: string): string | null {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown };
    return typeof claims.sub === 'string' && UUID.test(claims.sub) ? claims.sub : null;
  } catch {
    return null;
  }
}
