import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import type { FieldProblem } from '../../shared/errors/api-error.js';
import type { BatchItemOutcome } from '../shared/batch-outcome.dto.js';
import type { RecordSchema } from '../shared/record-schema.js';
import { unownedChanges } from './field-ownership.js';
import { notAssignedProblem } from './not-assigned.js';
import { authorityOf } from './roles.js';

export type Refusal = 'NOT_ASSIGNED' | 'NOT_OWNED';

/**
 * Why an item was rejected by authority, for the single-record paths (PUT) to answer 404 / 403
 * instead of a batch row. Kept beside the outcome, not in it: batch answers stay as the contract
 * shows them.
 */
export const refusals = new WeakMap<BatchItemOutcome, Refusal>();

export interface StoredState {
  /** The stored record as recordBodySql() serialises it. */
  body: Record<string, unknown>;
  revoked: boolean;
}

/**
 * Checked under the row lock, against the stored record, for each item about to be written:
 * - a REPORTER writes only records that exist (were assigned) and are live, and changes only the
 *   result fields; the assignment fields may be sent unchanged or left out (filled in before
 *   validation: reporter-fill.ts);
 * - an ASSIGNER creates and changes assignment fields; on an existing record it leaves the
 *   reporter's fields as they are. When it creates a record it gives the reporter's fields their
 *   starting values (the contract requires `result` / `periodResult`), typically NOT_STARTED.
 * A legacy connection (no role in its agreement) is both, as before roles existed.
 */
export function refuseByAuthority(principal: DataPlanePrincipal, schema: RecordSchema, key: string, incoming: Record<string, unknown>, stored: StoredState | undefined): BatchItemOutcome | null {
  const authority = authorityOf(principal, schema.dataSet);
  if (authority.assigns && authority.reports) return null;
  let problems: FieldProblem[];
  let refusal: Refusal = 'NOT_OWNED';
  if (authority.reports) {
    if (!stored || stored.revoked) {
      refusal = 'NOT_ASSIGNED';
      problems = [notAssignedProblem(schema.dataSet, schema.pathKeyFields, key)];
    } else {
      problems = unownedChanges(schema.dataSet, 'REPORTER', incoming, stored.body);
    }
  } else if (authority.assigns) {
    problems = stored && !stored.revoked ? unownedChanges(schema.dataSet, 'ASSIGNER', incoming, stored.body) : [];
  } else {
    problems = [{ field: schema.pathKeyFields.join('/'), problem: 'this connection is a READER of the data set' }];
  }
  if (problems.length === 0) return null;
  const outcome: BatchItemOutcome = { key, status: 'rejected', errors: problems };
  refusals.set(outcome, refusal);
  return outcome;
}
