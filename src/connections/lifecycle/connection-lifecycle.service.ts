import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../accounts/actor.js';
import { Role } from '../../accounts/roles.js';
import { DocumentsService } from '../../documents/documents.service.js';
import { NotificationKind, NotificationsService } from '../../notifications/notifications.service.js';
import { ApiError } from '../../shared/errors/api-error.js';
import { ConnectionEvent } from '../connection-event.entity.js';
import { ConnectionState, LifecycleAction, nextState } from '../connection-lifecycle.js';
import { Connection } from '../connection.entity.js';

export interface StepOutcome {
  changes?: Record<string, unknown>;
  notice?: { kind: NotificationKind; message: string; data?: Record<string, unknown> };
}

export type Step = (connection: Connection, manager: EntityManager) => Promise<StepOutcome | void> | StepOutcome | void;

/**
 * The one way a connection changes: load it under lock, check that the actor may touch it and
 * that the state table allows the action, apply the change, record who/when/why/what, and tell
 * the unit — all in one transaction, so no half-done step is ever visible.
 */
@Injectable()
export class ConnectionLifecycleService {
  constructor(
    private readonly db: DataSource,
    private readonly notifications: NotificationsService,
    readonly documents: DocumentsService,
  ) {}

  /** A connection as this actor may see it: unit administrators see only their agency's. */
  async visible(actor: Actor, id: string, manager: EntityManager = this.db.manager, lock = false): Promise<Connection> {
    const connection = await manager.findOne(Connection, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!connection || (actor.role === Role.UNIT_ADMIN && connection.ownerUnit !== actor.unit)) {
      throw ApiError.notFound('No such connection among those you may see');
    }
    return connection;
  }

  /** Runs `step` as `action` (a transition of the state table) or, with null, as a record that keeps the state. */
  run(actor: Actor, connectionId: string, action: LifecycleAction | null, eventName: string, reason: string | null, step: Step): Promise<Connection> {
    return this.db.transaction(async (manager) => {
      const connection = await this.visible(actor, connectionId, manager, true);
      const from = connection.state;
      const to = action ? nextState(action, from, connection.stateBeforeSuspension ?? undefined) : from;
      const outcome = (await step(connection, manager)) ?? {};
      connection.state = to;
      await manager.save(connection);
      await this.record(manager, connection, eventName, from, actor, reason, outcome.changes ?? {});
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
      await this.record(manager, saved, 'register', null, actor, null, { dossier: saved.dossier });
      return saved;
    });
  }

  history(connectionId: string): Promise<ConnectionEvent[]> {
    return this.db.manager.find(ConnectionEvent, { where: { connectionId }, order: { occurredAt: 'ASC' } });
  }

  private async record(manager: EntityManager, connection: Connection, action: string, from: ConnectionState | null, actor: Actor, reason: string | null, changes: Record<string, unknown>) {
    await manager.save(
      manager.create(ConnectionEvent, {
        connectionId: connection.id,
        action,
        fromState: from,
        toState: connection.state,
        actorId: actor.accountId,
        actorName: `${actor.holderName} (${actor.username}, ${actor.role})`,
        assistantName: actor.assistant ? `${actor.assistant.holderName} (${actor.assistant.username})` : null,
        reason,
        changes,
      }),
    );
  }
}
