import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ConnectionState, SUSPENDABLE_STATES } from '../connections/connection-lifecycle.js';
import { queueNotification } from '../notifications/notifications.service.js';
import { ConnectionSuspension } from './entities/connection-suspension.entity.js';
import { REASON_CODE_PATTERN } from './reason-codes.js';
import { SecurityError } from './security-errors.js';
import { SecurityEventsBus } from './security-events.bus.js';

export interface SuspensionOutcome {
  /** False when the connection was already suspended: nothing changed. */
  suspended: boolean;
  previousState: ConnectionState | null;
  suspensionId: string | null;
}

/**
 * Cuts a connection off at once (IV.5.b) and restores it after remediation (IV.5.c). A
 * suspension takes effect on every gateway instance within a second: this instance forgets its
 * cached credential statuses at once, the others when the broadcast reaches them (or, failing
 * that, when their one-second cache expires), and a restarted instance reads the database.
 * Free of HTTP concerns: the control plane calls it and maps SecurityError to a status.
 */
@Injectable()
export class ConnectionSuspensionService {
  private readonly logger = new Logger('ConnectionSuspension');
  private hasStateBeforeSuspensionColumn: Promise<boolean> | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly events: SecurityEventsBus,
  ) {}

  async suspend(connectionId: string, reasonCode: string, actor: string, incidentId: string | null = null): Promise<SuspensionOutcome> {
    const outcome = await this.db.transaction((manager) => this.suspendWithin(manager, connectionId, reasonCode, actor, incidentId));
    if (outcome.suspended) await this.announceSuspension(connectionId, reasonCode, actor);
    return outcome;
  }

  /**
   * The suspension inside a caller's transaction (an incident opening with it). The caller must
   * call `announceSuspension` after commit.
   */
  async suspendWithin(
    manager: EntityManager,
    connectionId: string,
    reasonCode: string,
    actor: string,
    incidentId: string | null,
    recordEvent = true,
  ): Promise<SuspensionOutcome> {
    if (!REASON_CODE_PATTERN.test(reasonCode)) throw SecurityError.invalid('INVALID_REASON_CODE', `Reason code must match ${REASON_CODE_PATTERN}`);
    const [row]: Array<{ state: ConnectionState; owner_unit: string }> = await manager.query(`SELECT state, owner_unit FROM connections WHERE id = $1 FOR UPDATE`, [connectionId]);
    if (!row) throw SecurityError.notFound('CONNECTION_NOT_FOUND', `No connection ${connectionId}`);
    if (row.state === ConnectionState.SUSPENDED) return { suspended: false, previousState: null, suspensionId: null };
    if (!SUSPENDABLE_STATES.includes(row.state)) {
      throw SecurityError.conflict('NOT_SUSPENDABLE', `A connection that is ${row.state} cannot be suspended; allowed from ${SUSPENDABLE_STATES.join(', ')}`);
    }
    // Suspended again during a re-test: the state to return to is still the one before the first cut-off.
    const keepPrevious = (await this.stateBeforeSuspensionColumn(manager))
      ? row.state === ConnectionState.RETESTING ? '' : `, state_before_suspension = $3`
      : '';
    await manager.query(
      `UPDATE connections SET state = 'SUSPENDED', suspension_reason = $2${keepPrevious}, updated_at = now() WHERE id = $1`,
      keepPrevious ? [connectionId, reasonCode, row.state] : [connectionId, reasonCode],
    );
    const record = await manager.save(
      manager.create(ConnectionSuspension, {
        connectionId,
        previousState: row.state,
        reasonCode,
        suspendedBy: actor.slice(0, 200),
        suspendedAt: new Date(),
        incidentId,
        restoredAt: null,
        restoredBy: null,
        restoreJustification: null,
      }),
    );
    // The connection's own history shows every cut-off, whoever made it (the control plane adds
    // its own event for the ones people make; those pass recordEvent = false).
    if (recordEvent) {
      await manager.query(
        `INSERT INTO connection_events (connection_id, action, from_state, to_state, actor_name, reason, changes)
         VALUES ($1, 'suspend', $2, 'SUSPENDED', $3, $4, $5)`,
        [connectionId, row.state, actor.slice(0, 200), reasonCode, JSON.stringify({ reasonCode, incidentId })],
      );
    }
    // Suspended without prior notice (IV.5.b), but never without notice afterwards.
    await queueNotification(manager, row.owner_unit, connectionId, 'SUSPENDED',
      `The connection was suspended (${reasonCode}). Reconnection requires a remediation report (IV.5.c).`, { reasonCode, incidentId });
    return { suspended: true, previousState: row.state, suspensionId: record.id };
  }

  async announceSuspension(connectionId: string, reasonCode: string, actor: string): Promise<void> {
    this.logger.warn(`Connection ${connectionId} SUSPENDED (${reasonCode}) by ${actor}`);
    await this.events.publish({ type: 'connection-suspended', connectionId });
  }

  /** Lifts the open suspension: the connection returns to the state it was suspended from. */
  async restore(connectionId: string, actor: string, justification: string): Promise<{ restoredTo: ConnectionState }> {
    if (!justification?.trim()) throw SecurityError.invalid('JUSTIFICATION_REQUIRED', 'A restoration needs a justification');
    const restoredTo = await this.db.transaction(async (manager) => {
      const [row]: Array<{ state: ConnectionState }> = await manager.query(`SELECT state FROM connections WHERE id = $1 FOR UPDATE`, [connectionId]);
      if (!row) throw SecurityError.notFound('CONNECTION_NOT_FOUND', `No connection ${connectionId}`);
      if (row.state !== ConnectionState.SUSPENDED) throw SecurityError.conflict('NOT_SUSPENDED', `The connection is ${row.state}, not SUSPENDED`);
      const open = await manager.findOne(ConnectionSuspension, {
        where: { connectionId, restoredAt: IsNull() },
        order: { suspendedAt: 'DESC' },
      });
      if (!open) throw SecurityError.conflict('NO_SUSPENSION_RECORD', 'No recorded suspension to lift: the previous state is unknown');
      const previous = open.previousState as ConnectionState;
      const clearPrevious = (await this.stateBeforeSuspensionColumn(manager)) ? `, state_before_suspension = NULL` : '';
      await manager.query(`UPDATE connections SET state = $2, suspension_reason = NULL${clearPrevious}, updated_at = now() WHERE id = $1`, [connectionId, previous]);
      await manager.update(
        ConnectionSuspension,
        { connectionId, restoredAt: IsNull() },
        { restoredAt: new Date(), restoredBy: actor.slice(0, 200), restoreJustification: justification.trim() },
      );
      return previous;
    });
    this.logger.log(`Connection ${connectionId} restored to ${restoredTo} by ${actor}`);
    await this.events.publish({ type: 'connection-restored', connectionId });
    return { restoredTo };
  }

  /** Every suspension of a connection, latest first. */
  history(connectionId: string): Promise<ConnectionSuspension[]> {
    return this.db.getRepository(ConnectionSuspension).find({ where: { connectionId }, order: { suspendedAt: 'DESC' } });
  }

  /**
   * The control plane's lifecycle keeps the state to return to on the connection itself
   * (`state_before_suspension`) once its migration is applied; a suspension made here keeps that
   * column right too, so either side can restore.
   */
  private stateBeforeSuspensionColumn(manager: EntityManager): Promise<boolean> {
    // Asked through the caller's transaction: on PGlite a second pool connection would wait on it.
    this.hasStateBeforeSuspensionColumn ??= manager
      .query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'connections' AND column_name = 'state_before_suspension'`)
      .then((rows: unknown[]) => rows.length > 0);
    return this.hasStateBeforeSuspensionColumn;
  }
}
