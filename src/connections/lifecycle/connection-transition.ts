import type { EntityManager, QueryDeepPartialEntity } from 'typeorm';
import type { Actor } from '../../accounts/actor.js';
import { ConnectionEvent } from '../connection-event.entity.js';
import { ConnectionState, type LifecycleAction, nextState } from '../connection-lifecycle.js';
import { Connection } from '../connection.entity.js';

/** Who acted, as the connection's history names them: a person, or a service (the detector, an operator). */
export interface EventActor {
  accountId: string | null;
  name: string;
  assistantName: string | null;
}

export function personOf(actor: Actor): EventActor {
  return {
    accountId: actor.accountId,
    name: `${actor.holderName} (${actor.username}, ${actor.role})`,
    assistantName: actor.assistant ? `${actor.assistant.holderName} (${actor.assistant.username})` : null,
  };
}

export interface Transition {
  /** A transition of the state table, or null for a record that keeps the state. */
  action: LifecycleAction | null;
  /** The history's name for it (`connection_events.action`). */
  eventName: string;
  actor: EventActor;
  reason: string | null;
  changes?: Record<string, unknown>;
  /** For `suspend`: the reason code the connected system is shown in its 403s. */
  suspensionReason?: string;
}

/** The connection, locked for the rest of `manager`'s transaction; null when there is none. */
export function lockConnection(manager: EntityManager, id: string): Promise<Connection | null> {
  return manager.findOne(Connection, { where: { id }, lock: { mode: 'pessimistic_write' } });
}

/**
 * The one writer of a connection's state. Every change (the lifecycle's steps, a cut-off by the
 * detector or a person, a restoration) comes here inside its caller's transaction, with the
 * connection locked (lockConnection): the state table decides the next state, the suspension
 * fields follow the transition, and the history gets its event, or nothing is written at all.
 * Returns the state the connection left.
 */
export async function applyTransition(manager: EntityManager, connection: Connection, transition: Transition): Promise<ConnectionState> {
  const from = connection.state;
  const { action } = transition;
  const to = action ? nextState(action, from, connection.stateBeforeSuspension ?? undefined) : from;
  if (action === 'suspend') {
    if (!transition.suspensionReason) throw new Error('a suspension needs its reason code');
    connection.suspensionReason = transition.suspensionReason;
    // Cut off again during the re-test: the state to return to is still the one before the first cut-off.
    if (from !== ConnectionState.RETESTING) connection.stateBeforeSuspension = from;
  } else if (action === 'restore') {
    connection.suspensionReason = null;
    connection.stateBeforeSuspension = null;
  }
  connection.state = to;
  await manager.save(connection);
  await recordEvent(manager, connection, transition.eventName, from, transition.actor, transition.reason, transition.changes ?? {});
  return from;
}

/** An entry of the connection's history (`from` null: its registration). */
export async function recordEvent(manager: EntityManager, connection: Connection, eventName: string, from: ConnectionState | null, actor: EventActor, reason: string | null, changes: Record<string, unknown>): Promise<void> {
  await manager.insert(ConnectionEvent, {
    connectionId: connection.id,
    action: eventName,
    fromState: from,
    toState: connection.state,
    actorId: actor.accountId,
    actorName: actor.name.slice(0, 200),
    assistantName: actor.assistantName,
    reason,
    changes: changes as QueryDeepPartialEntity<ConnectionEvent['changes']>,
    // The time of the write, not of the transaction (now()): two events of one transaction (a
    // re-evaluation that suspends) keep their order in the history, which is read by occurredAt.
    occurredAt: () => 'clock_timestamp()',
  });
}
