import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../calendar/clock.js';
import { WorkingCalendarService } from '../../calendar/working-calendar.service.js';
import { ConnectionState } from '../../connections/connection-lifecycle.js';
import { SEVERITIES } from '../../security/incidents/incident.entity.js';
import { GatewayConfig } from '../../shared/config/gateway-config.js';
import type { PageWindow } from '../../shared/http/paging.js';
import { SqlParams } from '../../data-exchange/shared/sql-params.js';
import { DATA_SETS } from '../../connections/connection-scope.js';
import type { OverviewView, UnitDeadlinesView, UnitVolumeView } from './overview.views.js';

const HOUR = 3_600_000;

/**
 * The overview page's figures, each one aggregate query over an indexed range: the connections
 * table (thousands of rows), the open incidents, the audit log's last 24 hours (occurred_at
 * index), and the open tasks grouped by lead unit.
 */
@Injectable()
export class OverviewService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly calendars: WorkingCalendarService,
    private readonly config: GatewayConfig,
  ) {}

  async overview(now: Date = this.clock.now()): Promise<OverviewView> {
    const from = new Date(Math.floor(now.getTime() / HOUR) * HOUR - 23 * HOUR);
    const [states, incidents, traffic, volumes] = await Promise.all([
      this.db.query<Array<{ state: string; n: number }>>(`SELECT state, count(*)::int AS n FROM connections GROUP BY 1`),
      this.db.query<Array<{ severity: string | null; n: number }>>(`SELECT severity, count(*)::int AS n FROM incidents WHERE closed_at IS NULL GROUP BY 1`),
      this.db.query<Array<{ hour: Date; outcome: string; n: number }>>(
        `SELECT date_trunc('hour', occurred_at) AS hour, outcome, count(*)::int AS n FROM audit_entries
          WHERE plane = 'data' AND occurred_at >= $1 AND occurred_at <= $2 GROUP BY 1, 2`,
        [from.toISOString(), now.toISOString()],
      ),
      this.volumesByUnit(from, now),
    ]);
    const overdue = await this.overdueIncidents(now);
    const byState = new Map(states.map((s) => [s.state, s.n]));
    const bySeverity = new Map(incidents.map((i) => [i.severity, i.n]));
    const hours = Array.from({ length: 24 }, (_, i) => ({ at: new Date(from.getTime() + i * HOUR).toISOString(), success: 0, rejected: 0, failed: 0 }));
    for (const { hour, outcome, n } of traffic) {
      const bucket = hours[Math.round((new Date(hour).getTime() - from.getTime()) / HOUR)];
      if (bucket && (outcome === 'success' || outcome === 'rejected' || outcome === 'failed')) bucket[outcome] += n;
    }
    return {
      generatedAt: now.toISOString(),
      connectionsByState: Object.values(ConnectionState).map((state) => ({ state, count: byState.get(state) ?? 0 })),
      incidentsBySeverity: [...SEVERITIES, null].map((severity) => ({ severity, open: bySeverity.get(severity) ?? 0, overdue: overdue.get(severity) ?? 0 })),
      trafficByHour: hours,
      volumesByUnit: volumes,
    };
  }

  /**
   * The same 24 hours of data-plane calls by the calling connection's unit and the data set in
   * the path (/api/v1/<data set>/… or ?…: the log keeps the query); tokens and attachments are no
   * data set's and left out.
   */
  private async volumesByUnit(from: Date, now: Date): Promise<UnitVolumeView[]> {
    const rows = await this.db.query<Array<{ unit: string; data_set: string; reads: number; writes: number; rejected: number }>>(
      `SELECT c.owner_unit AS unit, split_part(split_part(a.path, '?', 1), '/', 4) AS data_set,
              count(*) FILTER (WHERE a.outcome = 'success' AND a.method = 'GET')::int AS reads,
              count(*) FILTER (WHERE a.outcome = 'success' AND a.method <> 'GET')::int AS writes,
              count(*) FILTER (WHERE a.outcome = 'rejected')::int AS rejected
         FROM audit_entries a JOIN connections c ON c.id = a.connection_id
        WHERE a.plane = 'data' AND a.occurred_at >= $1 AND a.occurred_at <= $2 AND split_part(split_part(a.path, '?', 1), '/', 4) = ANY($3)
        GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 50`,
      [from.toISOString(), now.toISOString(), [...DATA_SETS]],
    );
    return rows.map((r) => ({ unit: r.unit, dataSet: r.data_set, reads: r.reads, writes: r.writes, rejected: r.rejected }));
  }

  /**
   * Open incidents with a deadline passed undone, by severity. The 30-minute, 2-hour and 24-hour
   * clocks are plain durations; the 7-working-day review is checked against the calendar only
   * for the incidents older than 7 calendar days (the few that can be late on it).
   */
  private async overdueIncidents(now: Date): Promise<Map<string | null, number>> {
    const rows = await this.db.query<Array<{ severity: string | null; opened_at: Date; late: boolean; review_at: Date | null }>>(
      `SELECT severity, COALESCE(detected_at, opened_at) AS opened_at, review_at,
              (classified_at IS NULL AND COALESCE(detected_at, opened_at) < $1::timestamptz - interval '30 minutes')
           OR (reported_at IS NULL AND COALESCE(detected_at, opened_at) < $1::timestamptz - interval '2 hours')
           OR (official_report_at IS NULL AND COALESCE(detected_at, opened_at) < $1::timestamptz - interval '24 hours') AS late
         FROM incidents WHERE closed_at IS NULL AND (COALESCE(detected_at, opened_at) < $1::timestamptz - interval '30 minutes')`,
      [now.toISOString()],
    );
    const calendar = this.calendars.calendar();
    const counts = new Map<string | null, number>();
    for (const r of rows) {
      const late = r.late || (!r.review_at && calendar.endOfWorkingDaysAfter(new Date(r.opened_at), 7) < now);
      if (late) counts.set(r.severity, (counts.get(r.severity) ?? 0) + 1);
    }
    return counts;
  }

  /** One page of units with open production tasks, the most urgent first. */
  async unitDeadlines(page: PageWindow, colour?: string): Promise<UnitDeadlinesView[]> {
    const today = this.clock.today();
    const p = new SqlParams();
    const day = `${p.add(today)}::date`;
    const soon = `${day} + ${p.add(this.config.DUE_SOON_DAYS)}::int`;
    const colourSql = `CASE WHEN overdue > 0 THEN 'RED' WHEN due_soon > 0 THEN 'YELLOW' ELSE 'GREEN' END`;
    const rows = await this.db.query<Array<{ unit: string; overdue: number; due_soon: number; on_time: number; nearest: string; colour: string }>>(
      `SELECT unit, overdue, due_soon, on_time, nearest::text AS nearest, ${colourSql} AS colour FROM (
         SELECT lead_unit AS unit,
                count(*) FILTER (WHERE due_date < ${day})::int AS overdue,
                count(*) FILTER (WHERE due_date >= ${day} AND due_date <= ${soon})::int AS due_soon,
                count(*) FILTER (WHERE due_date > ${soon})::int AS on_time,
                min(due_date) AS nearest
           FROM task_results WHERE environment = 'production' AND NOT revoked AND result <> 'COMPLETED'
          GROUP BY 1) u
        ${colour ? `WHERE ${colourSql} = ${p.add(colour)}` : ''}
        ORDER BY CASE ${colourSql} WHEN 'RED' THEN 0 WHEN 'YELLOW' THEN 1 ELSE 2 END, nearest, unit
        OFFSET ${p.add(page.skip)}::int LIMIT ${p.add(page.take)}::int`,
      p.values,
    );
    return rows.map((r) => ({ unit: r.unit, overdue: r.overdue, dueSoon: r.due_soon, onTime: r.on_time, nearestDueDate: r.nearest, workingDaysLeft: this.workingDaysBetween(today, r.nearest), colour: r.colour }));
  }

  /** Working days after `from` up to and including `to`; negative (working days late) when `to` is before `from`. */
  private workingDaysBetween(from: string, to: string): number {
    const calendar = this.calendars.calendar();
    const [first, last, sign] = to >= from ? [from, to, 1] : [to, from, -1];
    const next = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    let count = 0;
    // Bounded (ten years): a due date further away is "many" days either way.
    for (let day = next(first), i = 0; day <= last && i < 3660; day = next(day), i++) if (calendar.isWorkingDay(day)) count++;
    return sign * count;
  }
}
