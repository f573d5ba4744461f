import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlParams } from '../data-exchange/shared/sql-params.js';
import { Clock } from '../calendar/clock.js';
import { WorkingCalendarService } from '../calendar/working-calendar.service.js';
import { incidentDeadlines } from '../security/incidents/incident-deadlines.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { kpiPeriodDays, periodInWords, type ReportPeriod } from './report-period.js';
import { dayVi } from '../shared/i18n/messages.vi.js';
import { type ClockOutcome, type PeriodicReport, REFUSAL_REASONS } from './report-sections.js';

export const DATA_SETS = ['task-results', 'kpi-results'] as const;
export type DataSet = (typeof DATA_SETS)[number];

export interface ReportScope {
  period: ReportPeriod;
  environment: 'production' | 'test';
  unit?: string;
  dataSet?: DataSet;
}

/**
 * The periodic summary of Appendix I step 8 / III.1.e, from what the gateway holds: the records
 * and their deadline colours, the KPI results of the period, and from the audit log every call's
 * outcome (refusals by reason, each connection's volumes); from the security tables, suspensions
 * and incidents with their response clocks.
 *
 * Period bounds are calendar days in TIMEZONE. Deadline colours are as of the period's last day
 * (today, for a period not over yet), with the same rule as the data plane's `deadlineStatus`.
 */
@Injectable()
export class PeriodicReportService {
  constructor(
    private readonly calendars: WorkingCalendarService,
    private readonly db: DataSource,
    private readonly config: GatewayConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Only approved data is aggregated (III.1.e, PRODUCT.md §3a): a KPI result counts once the
   * Standing Agency approved it; a task's reported completion counts (green, or red when late)
   * only once approved — until then the task is coloured by its due date like any open one. What
   * was assigned is the assigner's own data and is counted in every state; the records section
   * shows how many of the records reported were approved.
   */
  async build(scope: ReportScope, now = this.clock.now()): Promise<PeriodicReport> {
    const today = this.calendars.calendar().today(now);
    const asOf = scope.period.to < today ? scope.period.to : today;
    const wants = (d: DataSet) => !scope.dataSet || scope.dataSet === d;
    const [records, tasksByDeadline, kpiResults, refusals, suspensions, incidents, connections] = await Promise.all([
      this.records(scope, wants),
      wants('task-results') ? this.tasksByDeadline(scope, asOf) : [],
      wants('kpi-results') ? this.kpiResults(scope) : [],
      this.refusals(scope),
      this.suspensions(scope, now),
      this.incidents(scope, now),
      this.connections(scope),
    ]);
    return {
      title: `Báo cáo tổng hợp kết nối, chia sẻ dữ liệu ${periodInWords(scope.period)}`,
      period: scope.period,
      environment: scope.environment,
      unit: scope.unit ?? null,
      dataSet: scope.dataSet ?? null,
      generatedAt: now.toISOString(),
      approvals: 'approved only',
      notes: [
        'Chỉ tổng hợp dữ liệu đã được Cơ quan Thường trực phê duyệt (III.1.e): kết quả chỉ tiêu chưa phê duyệt không được tính; nhiệm vụ báo cáo hoàn thành nhưng chưa được phê duyệt được tính màu theo thời hạn như nhiệm vụ chưa hoàn thành.',
        `Màu tiến độ tính đến ngày ${dayVi(asOf)}; "sắp đến hạn" là còn ${this.config.DUE_SOON_DAYS} ngày trở xuống.`,
        'Tỷ lệ phục vụ = lượt gọi không bị lỗi phía cổng (5xx) / tổng lượt gọi, theo nhật ký kiểm toán; không phải số đo thời gian hoạt động.',
      ],
      sections: { records, tasksByDeadline, kpiResults, refusals, suspensions, incidents, connections },
    };
  }

  /** `[start, end)` of the period as instants, and the parameters so far. */
  private bounds(scope: ReportScope) {
    const p = new SqlParams();
    const tz = p.add(this.config.TIMEZONE);
    return { p, start: `(${p.add(scope.period.from)}::date::timestamp AT TIME ZONE ${tz})`, end: `((${p.add(scope.period.to)}::date + 1)::timestamp AT TIME ZONE ${tz})` };
  }

  private async records(scope: ReportScope, wants: (d: DataSet) => boolean): Promise<PeriodicReport['sections']['records']> {
    const parts: Array<Promise<PeriodicReport['sections']['records']>> = [];
    for (const [dataSet, table, unitColumn] of [['task-results', 'task_results', 'lead_unit'], ['kpi-results', 'kpi_results', 'reporting_agency']] as const) {
      if (!wants(dataSet)) continue;
      const { p, start, end } = this.bounds(scope);
      const unit = scope.unit ? `AND ${unitColumn} = ${p.add(scope.unit)}` : '';
      parts.push(
        this.db.query(
          `SELECT ${unitColumn} AS unit, count(*)::int AS reported, count(*) FILTER (WHERE created_at >= ${start} AND created_at < ${end})::int AS created,
                  count(*) FILTER (WHERE review_status = 'APPROVED')::int AS approved
             FROM ${table}
            WHERE environment = ${p.add(scope.environment)} AND NOT revoked ${unit}
              AND ((updated_at >= ${start} AND updated_at < ${end}) OR (created_at >= ${start} AND created_at < ${end}))
            GROUP BY 1 ORDER BY 1`,
          p.values,
        ).then((rows: Array<{ unit: string; reported: number; created: number; approved: number }>) => rows.map((r) => ({ dataSet, unit: r.unit, reported: r.reported, created: r.created, approved: r.approved }))),
      );
    }
    return (await Promise.all(parts)).flat();
  }

  private async tasksByDeadline(scope: ReportScope, asOf: string): Promise<PeriodicReport['sections']['tasksByDeadline']> {
    const p = new SqlParams();
    const day = `${p.add(asOf)}::date`;
    // deadline-status.ts's rule, on the day `asOf`: a completion recorded after it does not count
    // yet, nor one the Standing Agency has not approved (III.1.e).
    const colour = `CASE
      WHEN result = 'COMPLETED' AND review_status = 'APPROVED' AND (completed_at IS NULL OR completed_at <= ${day}) THEN CASE WHEN completed_at > due_date THEN 'red' ELSE 'green' END
      WHEN due_date < ${day} THEN 'red'
      WHEN due_date <= ${day} + ${p.add(this.config.DUE_SOON_DAYS)}::int THEN 'yellow'
      ELSE 'green' END`;
    const unit = scope.unit ? `AND lead_unit = ${p.add(scope.unit)}` : '';
    const rows: Array<{ unit: string; colour: 'green' | 'yellow' | 'red'; n: number }> = await this.db.query(
      `SELECT lead_unit AS unit, ${colour} AS colour, count(*)::int AS n FROM task_results
        WHERE environment = ${p.add(scope.environment)} AND NOT revoked AND assigned_at <= ${day} ${unit}
        GROUP BY 1, 2 ORDER BY 1`,
      p.values,
    );
    const byUnit = new Map<string, { unit: string; green: number; yellow: number; red: number; total: number }>();
    for (const r of rows) {
      const entry = byUnit.get(r.unit) ?? { unit: r.unit, green: 0, yellow: 0, red: 0, total: 0 };
      entry[r.colour] += r.n;
      entry.total += r.n;
      byUnit.set(r.unit, entry);
    }
    return [...byUnit.values()];
  }

  private async kpiResults(scope: ReportScope): Promise<PeriodicReport['sections']['kpiResults']> {
    const p = new SqlParams();
    const unit = scope.unit ? `AND reporting_agency = ${p.add(scope.unit)}` : '';
    const rows: Array<Record<string, string | null>> = await this.db.query(
      `SELECT period, indicator_code, indicator_name, reporting_agency, unit, target, period_result, cumulative_result FROM kpi_results
        WHERE environment = ${p.add(scope.environment)} AND NOT revoked AND review_status = 'APPROVED' ${unit}
          AND left(period, 4) BETWEEN ${p.add(scope.period.from.slice(0, 4))} AND ${p.add(scope.period.to.slice(0, 4))}
        ORDER BY period, indicator_code, reporting_agency`,
      p.values,
    );
    // A KPI period belongs to the report when it lies wholly inside it (a year's result is not a quarter's).
    return rows
      .filter((r) => {
        const days = kpiPeriodDays(r.period!);
        return days !== null && days.from >= scope.period.from && days.to <= scope.period.to;
      })
      .map((r) => ({
        period: r.period!, indicatorCode: r.indicator_code!, indicatorName: r.indicator_name!, reportingAgency: r.reporting_agency!,
        unitOfMeasure: r.unit!, target: r.target, periodResult: r.period_result!, cumulativeResult: r.cumulative_result,
      }));
  }

  /** Data-plane calls in the period, of the environment (or of no known connection), of the unit, of the data set. */
  private callFilter(scope: ReportScope, p: SqlParams, start: string, end: string): string {
    const unit = scope.unit ? `AND k.owner_unit = ${p.add(scope.unit)}` : '';
    const dataSet = scope.dataSet ? `AND a.path LIKE ${p.add(`/api/v1/${scope.dataSet}%`)}` : '';
    return `a.plane = 'data' AND a.occurred_at >= ${start} AND a.occurred_at < ${end}
            AND (a.environment = ${p.add(scope.environment)} OR a.environment IS NULL) ${unit} ${dataSet}`;
  }

  private async refusals(scope: ReportScope): Promise<PeriodicReport['sections']['refusals']> {
    const { p, start, end } = this.bounds(scope);
    const rows: Array<{ error_code: string; status_code: number; n: number }> = await this.db.query(
      `SELECT COALESCE(a.error_code, 'HTTP_' || a.status_code) AS error_code, a.status_code, count(*)::int AS n
         FROM audit_entries a LEFT JOIN connections k ON k.id = a.connection_id
        WHERE a.status_code >= 400 AND ${this.callFilter(scope, p, start, end)}
        GROUP BY 1, 2 ORDER BY 3 DESC, 1`,
      p.values,
    );
    return rows.map((r) => ({ errorCode: r.error_code, reason: REFUSAL_REASONS[r.error_code] ?? r.error_code, statusCode: r.status_code, count: r.n }));
  }

  /** Every call counts; reads are GETs, writes are data writes (a token request is neither). */
  private async connections(scope: ReportScope): Promise<PeriodicReport['sections']['connections']> {
    const { p, start, end } = this.bounds(scope);
    const rows: Array<{ id: string; name: string; unit: string; calls: number; succeeded: number; refused: number; failed: number; reads: number; writes: number }> = await this.db.query(
      `SELECT k.id, k.name, k.owner_unit AS unit, count(*)::int AS calls,
              count(*) FILTER (WHERE a.status_code < 400)::int AS succeeded,
              count(*) FILTER (WHERE a.status_code BETWEEN 400 AND 499)::int AS refused,
              count(*) FILTER (WHERE a.status_code >= 500)::int AS failed,
              count(*) FILTER (WHERE a.method = 'GET')::int AS reads,
              count(*) FILTER (WHERE a.method IN ('PUT', 'POST', 'PATCH', 'DELETE') AND a.path NOT LIKE '/api/v1/oauth/%')::int AS writes
         FROM audit_entries a JOIN connections k ON k.id = a.connection_id
        WHERE ${this.callFilter(scope, p, start, end)}
        GROUP BY k.id, k.name, k.owner_unit ORDER BY k.owner_unit, k.name`,
      p.values,
    );
    return rows.map((r) => ({
      connectionId: r.id, connectionName: r.name, unit: r.unit, calls: r.calls, succeeded: r.succeeded, refused: r.refused, failed: r.failed, reads: r.reads, writes: r.writes,
      availabilityPercent: r.calls ? Math.round(((r.calls - r.failed) / r.calls) * 10_000) / 100 : null,
    }));
  }

  private async suspensions(scope: ReportScope, now: Date): Promise<PeriodicReport['sections']['suspensions']> {
    const { p, start, end } = this.bounds(scope);
    const unit = scope.unit ? `AND k.owner_unit = ${p.add(scope.unit)}` : '';
    // IV.5.c's clock runs from DTD accepting the remediation report filed after the cut-off.
    const rows: Array<{ connection_id: string; name: string; unit: string; reason_code: string; suspended_by: string; suspended_at: Date; restored_at: Date | null; restore_deadline: Date | null }> = await this.db.query(
      `SELECT s.connection_id, k.name, k.owner_unit AS unit, s.reason_code, s.suspended_by, s.suspended_at, s.restored_at, r.restore_deadline
         FROM connection_suspensions s JOIN connections k ON k.id = s.connection_id
         LEFT JOIN LATERAL (SELECT restore_deadline FROM remediation_reports r
                             WHERE r.connection_id = s.connection_id AND r.restore_deadline IS NOT NULL AND r.submitted_at >= s.suspended_at
                             ORDER BY r.submitted_at LIMIT 1) r ON true
        WHERE s.suspended_at >= ${start} AND s.suspended_at < ${end} ${unit}
        ORDER BY s.suspended_at`,
      p.values,
    );
    return rows.map((r) => ({
      connectionId: r.connection_id, connectionName: r.name, unit: r.unit, reasonCode: r.reason_code,
      trigger: r.suspended_by === 'detector' ? 'automatic' : 'manual',
      suspendedAt: iso(r.suspended_at)!, restoredAt: iso(r.restored_at), restoreDeadline: iso(r.restore_deadline),
      restoreClock: r.restore_deadline ? clockOutcome(r.restored_at, r.restore_deadline, now) : 'NOT_APPLICABLE',
    }));
  }

  private async incidents(scope: ReportScope, now: Date): Promise<PeriodicReport['sections']['incidents']> {
    const { p, start, end } = this.bounds(scope);
    const unit = scope.unit ? `AND k.owner_unit = ${p.add(scope.unit)}` : '';
    const rows: Array<{ id: string; connection_id: string | null; unit: string | null; reason_code: string; severity: string | null; opened_at: Date; classified_at: Date | null; reported_at: Date | null; official_report_at: Date | null; review_at: Date | null }> = await this.db.query(
      `SELECT i.id, i.connection_id, k.owner_unit AS unit, i.reason_code, i.severity, i.opened_at, i.classified_at, i.reported_at, i.official_report_at, i.review_at
         FROM incidents i LEFT JOIN connections k ON k.id = i.connection_id
        WHERE i.opened_at >= ${start} AND i.opened_at < ${end} ${unit}
        ORDER BY i.opened_at`,
      p.values,
    );
    return rows.map((r) => {
      const due = incidentDeadlines(new Date(r.opened_at), this.calendars.calendar());
      return {
        incidentId: r.id, connectionId: r.connection_id, unit: r.unit, reasonCode: r.reason_code, severity: r.severity, openedAt: iso(r.opened_at)!,
        classification: clockOutcome(r.classified_at, due.classification, now),
        reportToAuthority: clockOutcome(r.reported_at, due.reportToAuthority, now),
        officialReport: clockOutcome(r.official_report_at, due.officialReport, now),
        review: clockOutcome(r.review_at, due.review, now),
      };
    });
  }
}

function clockOutcome(doneAt: Date | null, deadline: Date, now: Date): ClockOutcome {
  if (doneAt) return new Date(doneAt).getTime() <= new Date(deadline).getTime() ? 'MET' : 'MISSED';
  return now.getTime() > new Date(deadline).getTime() ? 'OVERDUE' : 'PENDING';
}

function iso(value: Date | null): string | null {
  return value ? new Date(value).toISOString() : null;
}
