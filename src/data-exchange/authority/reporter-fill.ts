import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import { mayWriteUnit } from '../../connections/connection-scope.js';
import { resolveUnitFields } from '../../units/record-units.js';
import type { RecordStore } from '../shared/record-store.js';
import { fieldsOwnedBy } from './field-ownership.js';
import { authorityOf } from './roles.js';

/**
 * A REPORTER's write may leave the assignment fields out: they are taken from the stored record
 * before validation, so the item validates as a whole record and the ownership check
 * (write-guard.ts) sees them unchanged. Read without a lock; the check under the lock compares
 * with the locked row, so an assignment changed meanwhile is refused (403), never overwritten.
 */
export async function fillAssignedFields(store: RecordStore, principal: DataPlanePrincipal, items: unknown[]): Promise<{ items: unknown[]; unassigned: Set<number> }> {
  const unassigned = new Set<number>();
  const authority = authorityOf(principal, store.schema.dataSet);
  if (!authority.reports || authority.assigns) return { items, unassigned };
  const { pathKeyFields } = store.schema;
  const keyed = items.filter((i): i is Record<string, unknown> => typeof i === 'object' && i !== null && !Array.isArray(i) && pathKeyFields.every((f) => typeof (i as Record<string, unknown>)[f] === 'string'));
  if (keyed.length === 0) return { items, unassigned };
  const stored = await store.bodiesAtPathKeys(principal.environment, keyed.map((i) => Object.fromEntries(pathKeyFields.map((f) => [f, String(i[f])]))));
  const owned = fieldsOwnedBy(store.schema.dataSet, 'ASSIGNER');
  const filledItems = items.map((item, index) => {
    if (!keyed.includes(item as Record<string, unknown>)) return item;
    const plain = item as Record<string, unknown>;
    const candidates = selectRecord(store, principal, plain, stored.get(pathKeyFields.map((f) => plain[f]).join('/')) ?? []);
    // Several agencies' records and none named: left as sent, validation asks for the agency.
    if (candidates.length > 1) return item;
    const body = candidates[0]?.body;
    if (!body || body.revoked) {
      // Not assigned (or withdrawn): say so rather than list the assignment fields it lacks.
      unassigned.add(index);
      return item;
    }
    const filled = { ...plain };
    for (const field of owned) if (filled[field] === undefined && body[field] !== null && body[field] !== undefined) filled[field] = body[field];
    return filled;
  });
  return { items: filledItems, unassigned };
}

/**
 * The stored records an item may mean: those matching the key fields beyond the path's that it
 * names (the reporting agency, by code or by name through the register); when it names none, the
 * ones this connection may write (a reporter reports for its own agency).
 */
function selectRecord<T extends { key: Record<string, string> }>(store: RecordStore, principal: DataPlanePrincipal, plain: Record<string, unknown>, stored: T[]): T[] {
  const extra = store.schema.keyFields.filter((f) => !store.schema.pathKeyFields.includes(f));
  if (extra.length === 0) return stored;
  const register = store.units.register();
  const named = { ...plain };
  resolveUnitFields(register, named, store.schema.unitFields.filter((u) => extra.includes(u.codeField)));
  const given = extra.filter((f) => typeof named[f] === 'string');
  if (given.length) return stored.filter((s) => given.every((f) => s.key[f] === named[f]));
  return stored.filter((s) => mayWriteUnit(register, principal.scope, s.key[store.schema.ownerCodeField]));
}

export { notAssignedProblem } from './not-assigned.js';
