import type { PageWindow } from '../../shared/http/paging.js';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../accounts/actor.js';
import { Role } from '../../accounts/roles.js';
import { DocumentsService } from '../../documents/documents.service.js';
import { NotificationKind, NotificationsService } from '../../notifications/notifications.service.js';
import { ApiError } from '../../shared/errors/api-error.js';
import { ConnectionEvent } from '../connection-event.entity.js';
import { LifecycleAction, nextState } from '../connection-lifecycle.js';
import { Connection } from '../connection.entity.js';
import { applyTransition, personOf, recordEvent } from './connection-transition.js';

export interface StepOutcome {
  changes?: Record<string, unknown>;
  notice?: { kind: NotificationKind; message: string; data?: Record<string, unknown> };
  /** For `suspend`: the reason code. */
  suspensionReason?: string;
}

/**
 * The gateway itself, as the actor of a transition a person decided earlier (a go-live opening
 * on its agreed date). It sees every connection; its events carry no account.
 */
export const THE_GATEWAY = 'gateway' as const;
export type LifecycleActor = Actor | typeof THE_GATEWAY;

export type Step = (connection: Connection, manager: EntityManager) => Promise<StepOutcome | void> | StepOutcome | void;

/**
 * The way people change a connection: load it under lock, check that the actor may touch it and
 * that the state table allows the action, apply the change, record who/when/why/what (through
 * applyTransition, the one writer of the state), and tell the unit — all in one transaction, so
 * no half-done step is ever visible.
 */
@Injectable()
export class ConnectionLifecycleService {
  constructor(
    private readonly db: DataSource,
    private readonly notifications: NotificationsService,
    readonly documents: DocumentsService,
  ) {}

  /** A connection as this actor may see it: unit administrators see only their agency's. */
  async visible(actor: LifecycleActor, id: string, manager: EntityManager = this.db.manager, lock = false): Promise<Connection> {
    const connection = await manager.findOne(Connection, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!connection || (actor !== THE_GATEWAY && actor.role === Role.UNIT_ADMIN && connection.ownerUnit !== actor.unit)) {
      throw ApiError.notFound('No such connection among those you may see');
    }
    return connection;
  }

  /** Runs `step` as `action` (a transition of the state table) or, with null, as a record that keeps the state. */
  run(actor: LifecycleActor, connectionId: string, action: LifecycleAction | null, eventName: string, reason: string | null, step: Step): Promise<Connection> {
    return this.db.transaction(async (manager) => {
      const connection = await this.visible(actor, connectionId, manager, true);
      // Refused before the step does anything; applyTransition writes it after.
      if (action) nextState(action, connection.state, connection.stateBeforeSuspension ?? undefined);
      const outcome = (await step(connection, manager)) ?? {};
      await applyTransition(manager, connection, { action, eventName, actor: eventActorOf(actor), reason, changes: outcome.changes, suspensionReason: outcome.suspensionReason });
      if (outcome.notice) {
        const { kind, message, data } = outcome.notice;
        await this.notifications.notify(manager, connection.ownerUnit, connection.id, kind, message, data);
      }
      return connection;
    });
  }

  /** Registration creates the connection: the first event of its history. */
  async create(actor: Actor, connection: Partial<Connection>): Promise<Connection> {
    return this.db.transaction(async (manager) => {
      const saved = await manager.save(manager.create(Connection, connection));
      await recordEvent(manager, saved, 'register', null, personOf(actor), null, { dossier: saved.dossier });
      return saved;
    });
  }

  /** Oldest first (the order things happened), or newest first (what a person looks for); all steps or those of one name. */
  history(connectionId: string, page?: PageWindow, newestFirst = false, action?: string): Promise<ConnectionEvent[]> {
    const direction = newestFirst ? 'DESC' : 'ASC';
    return this.db.manager.find(ConnectionEvent, { where: { connectionId, ...(action ? { action } : {}) }, order: { occurredAt: direction, id: direction }, ...page });
  }
}

/** The history's actor of a transition: a person, or the gateway acting on a decision made earlier. */
function eventActorOf(actor: LifecycleActor) {
  return actor === THE_GATEWAY ? { accountId: null, name: 'the gateway (automatic)', assistantName: null } : personOf(actor);
}
