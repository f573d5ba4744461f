import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ConnectionState, RESTORABLE_STATES, SUSPENDABLE_STATES } from '../../connections/connection-lifecycle.js';
import { applyTransition, type EventActor, lockConnection } from '../../connections/lifecycle/connection-transition.js';
import { queueNotification } from '../../notifications/notifications.service.js';
import { ConnectionSuspension } from './connection-suspension.entity.js';
import { REASON_CODE_PATTERN } from '../reason-codes.js';
import { SecurityError } from '../security-errors.js';
import { SecurityEventsBus } from '../security-events.bus.js';

export interface SuspensionOutcome {
  /** False when the connection was already suspended: nothing changed. */
  suspended: boolean;
  previousState: ConnectionState | null;
  suspensionId: string | null;
}

/** A person of the control plane acting: how the connection's history names them, and their words. */
export interface SuspensionPerson {
  actor: EventActor;
  reason: string;
}

/**
 * Cuts a connection off at once (IV.5.b) and restores it after remediation (IV.5.c), both as
 * transitions of the lifecycle's state table written by applyTransition (the one writer of a
 * connection's state), with the suspension's own record and the unit's notice beside them. A
 * suspension takes effect on every gateway instance within a second: this instance forgets its
 * cached credential statuses at once, the others when the broadcast reaches them (or, failing
 * that, when their one-second cache expires), and a restarted instance reads the database.
 * Free of HTTP concerns: the control plane calls it and maps SecurityError to a status.
 */
@Injectable()
export class ConnectionSuspensionService {
  private readonly logger = new Logger('ConnectionSuspension');

  constructor(
    private readonly db: DataSource,
    private readonly events: SecurityEventsBus,
  ) {}

  async suspend(connectionId: string, reasonCode: string, actor: string, incidentId: string | null = null, person?: SuspensionPerson): Promise<SuspensionOutcome> {
    const outcome = await this.db.transaction((manager) => this.suspendWithin(manager, connectionId, reasonCode, actor, incidentId, person));
    if (outcome.suspended) await this.announceSuspension(connectionId, reasonCode, actor);
    return outcome;
  }

  /**
   * The suspension inside a caller's transaction (an incident opening with it). The caller must
   * call `announceSuspension` after commit. `actor` names who suspended in the suspension record;
   * `person`, when a person of the control plane did, names them in the connection's history.
   */
  async suspendWithin(
    manager: EntityManager,
    connectionId: string,
    reasonCode: string,
    actor: string,
    incidentId: string | null,
    person?: SuspensionPerson,
  ): Promise<SuspensionOutcome> {
    if (!REASON_CODE_PATTERN.test(reasonCode)) throw SecurityError.invalid('INVALID_REASON_CODE', `Reason code must match ${REASON_CODE_PATTERN}`);
    const connection = await lockConnection(manager, connectionId);
    if (!connection) throw SecurityError.notFound('CONNECTION_NOT_FOUND', `No connection ${connectionId}`);
    if (connection.state === ConnectionState.SUSPENDED) return { suspended: false, previousState: null, suspensionId: null };
    if (!SUSPENDABLE_STATES.includes(connection.state)) {
      throw SecurityError.conflict('NOT_SUSPENDABLE', `A connection that is ${connection.state} cannot be suspended; allowed from ${SUSPENDABLE_STATES.join(', ')}`);
    }
    const by = actor.slice(0, 200);
    const previousState = await applyTransition(manager, connection, {
      action: 'suspend',
      eventName: 'suspend',
      actor: person?.actor ?? { accountId: null, name: by, assistantName: null },
      reason: person?.reason ?? reasonCode,
      changes: { reasonCode, incidentId },
      suspensionReason: reasonCode,
    });
    const record = await manager.save(
      manager.create(ConnectionSuspension, {
        connectionId,
        previousState,
        reasonCode,
        suspendedBy: by,
        suspendedAt: new Date(),
        incidentId,
        restoredAt: null,
        restoredBy: null,
        restoreJustification: null,
      }),
    );
    // Suspended without prior notice (IV.5.b), but never without notice afterwards.
    await queueNotification(manager, connection.ownerUnit, connectionId, 'SUSPENDED',
      `The connection was suspended (${reasonCode}). Reconnection requires a remediation report (IV.5.c).`, { reasonCode, incidentId });
    return { suspended: true, previousState, suspensionId: record.id };
  }

  async announceSuspension(connectionId: string, reasonCode: string, actor: string): Promise<void> {
    this.logger.warn(`Connection ${connectionId} SUSPENDED (${reasonCode}) by ${actor}`);
    await this.events.publish({ type: 'connection-suspended', connectionId });
  }

  /**
   * Lifts the suspension: the connection returns to the state it was first cut off from (LIVE
   * for a production connection), as the state table's `restore` allows — never to RETESTING,
   * even when it was cut off again during the re-test.
   */
  async restore(connectionId: string, actor: string, justification: string): Promise<{ restoredTo: ConnectionState }> {
    if (!justification?.trim()) throw SecurityError.invalid('JUSTIFICATION_REQUIRED', 'A restoration needs a justification');
    const by = actor.slice(0, 200);
    const restoredTo = await this.db.transaction(async (manager) => {
      const connection = await lockConnection(manager, connectionId);
      if (!connection) throw SecurityError.notFound('CONNECTION_NOT_FOUND', `No connection ${connectionId}`);
      if (!RESTORABLE_STATES.includes(connection.state)) {
        throw SecurityError.conflict('NOT_SUSPENDED', `The connection is ${connection.state}, not ${RESTORABLE_STATES.join(' or ')}`);
      }
      await applyTransition(manager, connection, {
        action: 'restore',
        eventName: 'restore',
        actor: { accountId: null, name: by, assistantName: null },
        reason: justification.trim(),
        changes: { justification: justification.trim() },
      });
      await this.closeSuspensions(manager, connectionId, by, justification.trim());
      await queueNotification(manager, connection.ownerUnit, connectionId, 'RESTORED', 'The connection is restored.');
      return connection.state;
    });
    this.logger.log(`Connection ${connectionId} restored to ${restoredTo} by ${actor}`);
    await this.events.publish({ type: 'connection-restored', connectionId });
    return { restoredTo };
  }

  /** Marks every open suspension record of the connection lifted (the caller restores the state). */
  async closeSuspensions(manager: EntityManager, connectionId: string, actor: string, justification: string): Promise<void> {
    await manager.update(
      ConnectionSuspension,
      { connectionId, restoredAt: IsNull() },
      { restoredAt: new Date(), restoredBy: actor.slice(0, 200), restoreJustification: justification },
    );
  }

  /** Every suspension of a connection, latest first. */
  history(connectionId: string): Promise<ConnectionSuspension[]> {
    return this.db.getRepository(ConnectionSuspension).find({ where: { connectionId }, order: { suspendedAt: 'DESC' } });
  }
}
