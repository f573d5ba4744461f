import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ConnectionTrafficView, LastHourTotalsView, TrafficMinuteView } from './connection-traffic.views.js';

const MINUTE = 60_000;
const MINUTES = 60;

/**
 * Counts a connection's data-plane calls of the last hour from the audit log, which already holds
 * every call with its outcome: no second counter to keep in step. The (connection_id, occurred_at)
 * index bounds each count to that connection's last hour, however large the log grows.
 */
@Injectable()
export class ConnectionTrafficService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async lastHour(connectionId: string, now: Date = new Date()): Promise<ConnectionTrafficView> {
    const from = hourBefore(now);
    const range = [connectionId, from.toISOString(), now.toISOString()];
    const where = `connection_id = $1 AND plane = 'data' AND occurred_at >= $2 AND occurred_at <= $3`;
    const [counts, refusals] = await Promise.all([
      this.db.query<Array<{ minute: Date; outcome: string; n: number }>>(
        `SELECT date_trunc('minute', occurred_at) AS minute, outcome, count(*)::int AS n FROM audit_entries WHERE ${where} GROUP BY 1, 2`,
        range,
      ),
      this.db.query<Array<{ error_code: string | null; n: number }>>(
        `SELECT error_code, count(*)::int AS n FROM audit_entries WHERE ${where} AND outcome <> 'success' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`,
        range,
      ),
    ]);
    const minutes: TrafficMinuteView[] = Array.from({ length: MINUTES }, (_, i) => ({ at: new Date(from.getTime() + i * MINUTE).toISOString(), success: 0, rejected: 0, failed: 0 }));
    const totals = { calls: 0, success: 0, rejected: 0, failed: 0 };
    for (const { minute, outcome, n } of counts) {
      const bucket = minutes[Math.round((new Date(minute).getTime() - from.getTime()) / MINUTE)];
      if (!bucket || !(outcome === 'success' || outcome === 'rejected' || outcome === 'failed')) continue;
      bucket[outcome] += n;
      totals[outcome] += n;
      totals.calls += n;
    }
    return {
      connectionId,
      from: from.toISOString(),
      to: now.toISOString(),
      bucketSeconds: 60,
      totals,
      minutes,
      refusals: refusals.map((r) => ({ errorCode: r.error_code, count: r.n })),
    };
  }

  /**
   * One page of connections' totals for the same hour in one query (the board shows them beside
   * each row). `ownerUnit`: a unit administrator's own unit; other connections give no row.
   */
  async lastHourTotals(connectionIds: string[], ownerUnit: string | null, now: Date = new Date()): Promise<LastHourTotalsView> {
    const from = hourBefore(now);
    const rows = await this.db.query<Array<{ id: string; success: number; rejected: number; failed: number }>>(
      `SELECT c.id,
              count(a.*) FILTER (WHERE a.outcome = 'success')::int AS success,
              count(a.*) FILTER (WHERE a.outcome = 'rejected')::int AS rejected,
              count(a.*) FILTER (WHERE a.outcome = 'failed')::int AS failed
         FROM connections c
         LEFT JOIN audit_entries a ON a.connection_id = c.id AND a.plane = 'data' AND a.occurred_at >= $2 AND a.occurred_at <= $3
        WHERE c.id = ANY($1::uuid[]) AND ($4::text IS NULL OR c.owner_unit = $4)
        GROUP BY c.id`,
      [connectionIds, from.toISOString(), now.toISOString(), ownerUnit],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return {
      from: from.toISOString(),
      to: now.toISOString(),
      connections: connectionIds.flatMap((id) => {
        const r = byId.get(id);
        return r ? [{ connectionId: id, calls: r.success + r.rejected + r.failed, success: r.success, rejected: r.rejected, failed: r.failed }] : [];
      }),
    };
  }
}

/** Start of the first of the 60 minutes that end with the current one. */
function hourBefore(now: Date): Date {
  return new Date(Math.floor(now.getTime() / MINUTE) * MINUTE - (MINUTES - 1) * MINUTE);
}
