import type { DataSource } from 'typeorm';
import type { Clock } from '../../calendar/clock.js';
import type { WorkingCalendarService } from '../../calendar/working-calendar.service.js';
import { mayReadUnit, mayWriteUnit } from '../../connections/connection-scope.js';
import { ApiError } from '../../shared/errors/api-error.js';
import { requireRole } from '../authority/roles.js';
import { columnOf } from '../shared/record-schema.js';
import type { RecordStore, WriteContext } from '../shared/record-store.js';
import { SqlParams } from '../shared/sql-params.js';
import { recordBodySql } from '../versions/version-body.js';
import { insertVersionsSql } from '../versions/version-rows.js';

/** Step 5 of Appendix I: a unit may push back within 8 working hours of the assignment. */
export const DISPUTE_WINDOW_WORKING_HOURS = 8;

export type FlowAction =
  | { kind: 'receipt' }
  | { kind: 'dispute'; reason: string }
  | { kind: 'review'; decision: 'APPROVED' | 'RETURNED'; explanation?: string };

/**
 * The task flow of Appendix I on one record: the REPORTER confirms receipt (step 4) and may
 * dispute the assignment (step 5); the ASSIGNER reviews what was reported (III.1.c). Each step
 * is a change of the record like a write: under the data set's change-feed lock, a new version
 * number, a new change_seq (pulls and webhooks learn of it) and a kept version.
 *
 * The assignment's time is the record's `created_at`, when the assigner's system put it on the
 * gateway ("thời gian giao nhiệm vụ trên Hệ thống"); `assignedAt` is only a date.
 */
export class RecordFlow {
  constructor(
    private readonly db: DataSource,
    private readonly store: RecordStore,
    private readonly clock: Clock,
    private readonly calendars: WorkingCalendarService,
  ) {}

  async apply(ctx: WriteContext, key: Record<string, string>, action: FlowAction): Promise<void> {
    const { principal } = ctx;
    const schema = this.store.schema;
    await this.db.transaction(async (manager) => {
      await this.store.joinWriters(manager);
      const p = new SqlParams();
      const match = [`environment = ${p.add(principal.environment)}`, ...schema.keyFields.map((f) => `${columnOf(schema, f)} = ${p.add(key[f])}`)];
      const [current]: Array<{ owner: string; revoked: boolean; created_at: Date; received_at: Date | null }> = await manager.query(
        `SELECT ${this.store.ownerColumn} AS owner, revoked, created_at, received_at FROM ${schema.table} WHERE ${match.join(' AND ')} FOR UPDATE`,
        p.values,
      );
      const label = `${schema.dataSet} record ${schema.keyFields.map((f) => key[f]).join('/')}`;
      const register = this.store.units.register();
      const writable = current && mayWriteUnit(register, principal.scope, current.owner);
      if (!current || (!writable && !mayReadUnit(register, principal.scope, current.owner))) throw ApiError.notFound(`No ${label} among those this connection may read`);
      if (current.revoked) throw new ApiError(404, 'RECORD_REVOKED', `${label} was revoked`);
      if (!writable) throw ApiError.forbidden('OUTSIDE_WRITE_SCOPE', `The record belongs to ${current.owner}, outside the connection's write scope`);

      let set: string[];
      if (action.kind === 'receipt') {
        requireRole(principal, schema.dataSet, 'REPORTER', 'confirm receipt of an assignment');
        if (current.received_at) return; // Confirmed already: nothing changes, no new version.
        set = ['received_at = statement_timestamp()'];
      } else if (action.kind === 'dispute') {
        requireRole(principal, schema.dataSet, 'REPORTER', 'dispute an assignment');
        const closes = this.calendars.calendar().addWorkingHours(current.created_at, DISPUTE_WINDOW_WORKING_HOURS);
        if (this.clock.now() > closes) {
          throw new ApiError(409, 'DISPUTE_WINDOW_CLOSED', `${label} was assigned at ${current.created_at.toISOString()}; it could be disputed until ${closes.toISOString()} (${DISPUTE_WINDOW_WORKING_HOURS} working hours)`, [
            { field: 'reason', problem: `the dispute window closed at ${closes.toISOString()}` },
          ]);
        }
        set = [`dispute_status = 'OPEN'`, `dispute_reason = ${p.add(action.reason)}`, 'disputed_at = statement_timestamp()'];
      } else {
        requireRole(principal, schema.dataSet, 'ASSIGNER', 'review reported results');
        set = [`review_status = ${p.add(action.decision)}`, `review_explanation = ${p.add(action.explanation ?? null)}`, 'reviewed_at = statement_timestamp()'];
      }
      await manager.query(
        `WITH changed AS (
           UPDATE ${schema.table} SET ${set.join(', ')}, version = version + 1, updated_at = statement_timestamp(),
                  change_txid = pg_current_xact_id()::text::bigint, change_seq = nextval('${schema.changeSequence}'),
                  updated_by_connection = ${p.add(principal.connectionId)}::uuid, updated_by_request = ${p.add(ctx.requestId)}::uuid
            WHERE ${match.join(' AND ')}
           RETURNING ${schema.keyFields.map((f) => columnOf(schema, f)).join(', ')}, version, updated_at, ${recordBodySql(schema)} AS body)
         ${insertVersionsSql(schema, 'changed', p.add(action.kind), p, ctx)}`,
        p.values,
      );
    });
  }
}
