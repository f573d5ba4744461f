import { Injectable, Logger } from '@nestjs/common';
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { Account } from '../../accounts/account.entity.js';
import type { Actor } from '../../accounts/actor.js';
import { AuthenticationService } from '../../accounts/authentication.service.js';
import { presentedCertificate } from '../../accounts/presented-certificate.js';
import { ApiError } from '../../shared/errors/api-error.js';
import type { AuditPerson, AuditRecord } from '../chain/audit.service.js';
import { AuditService } from '../chain/audit.service.js';
import type { AuditDeclaration, AuditFacts, AuditInput } from './audited.decorator.js';
import { ControlPlaneRoutes } from './control-plane-routes.js';
import { auditUnavailableBody } from './data-plane-audit.hook.js';
import { isConsoleAsset } from '../../console/serve-console.js';
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
 * - on what: the target the route declares in @Audited (audited.decorator.ts: by default the `:id` of
 *   the path, or what a create answered) and, for a connection, its id in `connection_id`, so that
 *   a connection's history spans both planes;
 * - how it ended: status, error code; and the SHA-256 of the request body (none for the sign-in
 *   routes and those marked `@SecretBody()`, e.g. a password change or a body with a citizen ID:
 *   an unsalted digest would let anyone holding the log guess the secret offline).
 * Personal data (the citizen ID) never goes into the details; what a route adds there it declares
 * too (audit-details.ts: a handover's both holder names, a delegation's assistant…).
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
    // Before the handler: what an action on an account is about to change (e.g. its holder's name).
    fastify.addHook('preHandler', async (request) => {
      const route = this.routes.lookup(request.method, request.routeOptions.url);
      const id = pathParams(request).id;
      if (route && !route.isPublic && route.audit.target === 'account' && id && UUID.test(id) && request.headers.authorization) {
        request.auditTargetBefore = await this.account({ id });
      }
    });
    fastify.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      if (isConsoleAsset(request, reply)) return payload;
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
    const declared = route?.audit ?? {};
    const input: AuditInput = { params: pathParams(request), body: isObject(request.body) ? request.body : {} };
    const succeeded = reply.statusCode < 400;
    const target = targetOf(declared, input, succeeded ? payload : undefined);
    const { actor, assistant } = await this.peopleOf(request, declared, input.body, succeeded);
    const details = await this.detailsOf(request, declared, input, target);
    const connectionId = target?.type === 'connection' ? target.id : declared.connectionId?.(input);
    return {
      occurredAt: new Date(),
      requestId: String(request.id),
      plane: 'control',
      environment: null,
      connectionId: typeof connectionId === 'string' && UUID.test(connectionId) ? connectionId : null,
      certificateThumbprint: declared.presentedCertificate ? presentedThumbprint(request) : null,
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
      payloadSha256: route?.isPublic || route?.secretBody ? null : (request.payloadSha256 ?? null),
      details,
    };
  }

  private async peopleOf(request: FastifyRequest, declared: AuditDeclaration, body: Body, succeeded: boolean) {
    const a = request.actor ?? (await this.uncheckedSession(request));
    if (a) {
      return {
        actor: { accountId: a.accountId, username: a.username, holderName: a.holderName, role: a.role },
        assistant: a.assistant ? { accountId: a.assistant.accountId, username: a.assistant.username, holderName: a.assistant.holderName } : null,
      };
    }
    if (declared.actor === 'sign-in-username' && typeof body.username === 'string') {
      // Failed attempts too: the username tried, and the account it names if there is one.
      const username = body.username.slice(0, 100);
      const known = await this.account({ username });
      return { actor: known ?? { accountId: null, username, holderName: null }, assistant: null };
    }
    if (declared.actor === 'enrolment-token' && succeeded && typeof body.enrolmentToken === 'string') {
      // The token was just verified (the request succeeded), so its subject is the account.
      const sub = jwtSubject(body.enrolmentToken);
      return { actor: sub ? await this.account({ id: sub }) : null, assistant: null };
    }
    return { actor: null, assistant: null };
  }

  /**
   * A session presented on a request that failed before the guard looked at it (an unparsable or
   * oversized body, an unknown path): resolved for the record only, exactly as the guard would.
   * A session that does not resolve names nobody: the entry then has no actor, which is the truth.
   */
  private async uncheckedSession(request: FastifyRequest): Promise<Actor | null> {
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ') || request.errorCode?.startsWith('SESSION_')) return null;
    return this.authentication.resolve(header.slice(7)).catch((error: unknown) => {
      if (!(error instanceof ApiError)) this.logger.warn(`Session of request ${String(request.id)} not resolved for its audit entry: ${(error as Error).message}`);
      return null;
    });
  }

  private async detailsOf(request: FastifyRequest, declared: AuditDeclaration, input: AuditInput, target: AuditFacts['target']): Promise<Record<string, unknown> | null> {
    const details: Record<string, unknown> = {};
    // Further path parameters (e.g. the certificate of a connection being revoked).
    for (const [name, value] of Object.entries(input.params)) if (name !== 'id') details[name] = value.slice(0, 100);
    const targetBefore = request.auditTargetBefore ?? null;
    if (declared.details) {
      Object.assign(details, await declared.details({ ...input, target, targetBefore, account: (where) => this.account(where) }));
    } else if (targetBefore) {
      Object.assign(details, { targetUsername: targetBefore.username, targetHolder: targetBefore.holderName });
    }
    return Object.keys(details).length ? details : null;
  }

  /** An account for the record; null when there is none, or when it cannot be read (the entry is written without it). */
  private async account(where: { id: string } | { username: string }): Promise<AuditPerson | null> {
    try {
      const found = await this.db.getRepository(Account).findOne({ where, select: { id: true, username: true, holderName: true, role: true } });
      return found ? { accountId: found.id, username: found.username, holderName: found.holderName, role: found.role } : null;
    } catch (error) {
      this.logger.warn(`Account for the audit entry not read (${Object.keys(where).join()}): ${(error as Error).message}`);
      return null;
    }
  }
}

/** The target the route declares: its id from the request, or from what a successful create answered. */
function targetOf(declared: AuditDeclaration, input: AuditInput, payload: unknown): AuditFacts['target'] {
  if (!declared.target) return null;
  const named = (declared.targetId ?? ((i: AuditInput) => i.params.id))(input);
  if (typeof named === 'string' && named !== '') return { type: declared.target, id: named };
  if (!declared.createdId || typeof payload !== 'string' || payload.length > MAX_PARSED_RESPONSE) return null;
  try {
    const created = JSON.parse(payload) as unknown;
    const id = isObject(created) ? declared.createdId(created) : undefined;
    return typeof id === 'string' && id !== '' ? { type: declared.target, id } : null;
  } catch {
    return null; // not JSON (e.g. an empty 204): nothing created to name
  }
}

function pathParams(request: FastifyRequest): Record<string, string> {
  const params = request.params;
  if (!isObject(params)) return {};
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
}

function isObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

function presentedThumbprint(request: FastifyRequest): string | null {
  const certificate = presentedCertificate(request);
  return certificate ? crypto.createHash('sha256').update(certificate.raw).digest('hex') : null;
}

function jwtSubject(token: string): string | null {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown };
    return typeof claims.sub === 'string' && UUID.test(claims.sub) ? claims.sub : null;
  } catch {
    return null;
  }
}
