import type { EntityManager } from 'typeorm';
import { ApiError } from '../shared/errors/api-error.js';
import { ConnectionState as S, nextState, RESTORABLE_STATES, SUSPENDABLE_STATES, TRANSITIONS } from './connection-lifecycle.js';
import type { Connection } from './connection.entity.js';
import { applyTransition } from './lifecycle/connection-transition.js';

const ALL = Object.values(S);
const officer = { accountId: null, name: 'officer', assistantName: null };

/** Stands in for TypeORM's manager: keeps what was saved or inserted, in order. */
function recordingManager() {
  const saved: Array<Record<string, unknown>> = [];
  const manager = {
    create: (_entity: unknown, fields: Record<string, unknown>) => ({ ...fields }),
    save: async (row: Record<string, unknown>) => {
      saved.push({ ...row });
      return row;
    },
    // History events are inserted (recordEvent), stamped by the database.
    insert: async (_entity: unknown, row: Record<string, unknown>) => {
      saved.push({ ...row });
    },
  } as unknown as EntityManager;
  return { manager, saved };
}

describe('connection lifecycle: cut-off and restoration in the state table', () => {
  it('suspends from exactly the states whose certificates reach the data plane', () => {
    expect([...SUSPENDABLE_STATES].sort()).toEqual([S.GO_LIVE_SCHEDULED, S.LIVE, S.RETESTING, S.TEST_PASSED, S.TESTING].sort());
    for (const from of SUSPENDABLE_STATES) expect(nextState('suspend', from)).toBe(S.SUSPENDED);
    for (const from of ALL.filter((s) => !SUSPENDABLE_STATES.includes(s))) {
      expect(() => nextState('suspend', from)).toThrow(ApiError);
      expect(() => nextState('suspend', from)).toThrow(`Cannot suspend a connection that is ${from}`);
    }
  });

  it('restores from SUSPENDED or RETESTING to the state the connection was cut off from, never to RETESTING', () => {
    expect([...RESTORABLE_STATES].sort()).toEqual([S.RETESTING, S.SUSPENDED].sort());
    for (const from of RESTORABLE_STATES) {
      for (const back of [S.LIVE, S.TESTING, S.TEST_PASSED]) expect(nextState('restore', from, back)).toBe(back);
      expect(() => nextState('restore', from, S.RETESTING)).toThrow(`Cannot restore a connection that is ${from} to RETESTING`);
      expect(() => nextState('restore', from, undefined)).toThrow(/to an unrecorded state: it returns to the state it was suspended from/);
    }
    expect(() => nextState('restore', S.LIVE, S.LIVE)).toThrow('Cannot restore a connection that is LIVE; allowed from: SUSPENDED, RETESTING');
    // Into RETESTING only by accepting remediation (records kept while in it stay there).
    expect(TRANSITIONS.filter(([, from, to]) => to === S.RETESTING && from !== S.RETESTING)).toEqual([['acceptRemediation', S.SUSPENDED, S.RETESTING]]);
  });

  it('keeps monitoring and maintenance minutes only for a connection in operation, without moving it', () => {
    for (const state of [S.LIVE, S.SUSPENDED, S.RETESTING]) expect(nextState('recordMaintenance', state)).toBe(state);
    for (const state of [S.SUBMITTED, S.TESTING, S.GO_LIVE_SCHEDULED, S.TERMINATED]) {
      expect(() => nextState('recordMaintenance', state)).toThrow(`Cannot recordMaintenance a connection that is ${state}; allowed from: LIVE, SUSPENDED, RETESTING`);
    }
  });

  it('writes the suspension fields with the state: cut off again during the re-test, a production connection still goes back to LIVE', async () => {
    const { manager, saved } = recordingManager();
    const connection = { id: 'c1', state: S.LIVE, suspensionReason: null, stateBeforeSuspension: null } as unknown as Connection;
    const step = (action: 'suspend' | 'acceptRemediation' | 'restore', suspensionReason?: string) =>
      applyTransition(manager, connection, { action, eventName: action, actor: officer, reason: null, suspensionReason });

    expect(await step('suspend', 'MANUAL_CUT_OFF')).toBe(S.LIVE);
    expect(connection).toMatchObject({ state: S.SUSPENDED, suspensionReason: 'MANUAL_CUT_OFF', stateBeforeSuspension: S.LIVE });
    await step('acceptRemediation');
    expect(connection).toMatchObject({ state: S.RETESTING, stateBeforeSuspension: S.LIVE });
    expect(await step('suspend', 'ATTACK_SIGNATURE')).toBe(S.RETESTING);
    expect(connection).toMatchObject({ state: S.SUSPENDED, suspensionReason: 'ATTACK_SIGNATURE', stateBeforeSuspension: S.LIVE });
    await step('restore');
    expect(connection).toMatchObject({ state: S.LIVE, suspensionReason: null, stateBeforeSuspension: null });

    const events = saved.filter((row) => 'action' in row).map((e) => `${e.action}:${e.fromState}->${e.toState}`);
    expect(events).toEqual(['suspend:LIVE->SUSPENDED', 'acceptRemediation:SUSPENDED->RETESTING', 'suspend:RETESTING->SUSPENDED', 'restore:SUSPENDED->LIVE']);
  });

  it('writes nothing when the table refuses', async () => {
    const { manager, saved } = recordingManager();
    const connection = { id: 'c2', state: S.SUSPENDED, suspensionReason: 'X_CODE', stateBeforeSuspension: null } as unknown as Connection;
    await expect(applyTransition(manager, connection, { action: 'restore', eventName: 'restore', actor: officer, reason: null })).rejects.toThrow(ApiError);
    await expect(applyTransition(manager, connection, { action: 'suspend', eventName: 'suspend', actor: officer, reason: null, suspensionReason: 'X_CODE' })).rejects.toThrow(ApiError);
    expect(saved).toEqual([]);
    expect(connection).toMatchObject({ state: S.SUSPENDED, suspensionReason: 'X_CODE' });
  });
});
