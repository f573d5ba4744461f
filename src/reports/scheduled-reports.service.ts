import type { PageWindow } from '../shared/http/paging.js';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../calendar/clock.js';
import { WorkingCalendarService } from '../calendar/working-calendar.service.js';
import { DTD_INBOX, queueNotification } from '../notifications/notifications.service.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { ApiError } from '../shared/errors/api-error.js';
import { BackgroundLoop } from '../shared/runtime/background-loop.js';
import { PeriodicReportService } from './periodic-report.service.js';
import { previousQuarter } from './report-period.js';
import type { PeriodicReport } from './report-sections.js';

/**
 * The inbox of the DTD (its reviewers read it; DTD-side accounts have no unit). Not a unit name a
 * connection can have: unit names are agencies', and this one starts with '@'.
 */

export interface StoredReportSummary {
  id: string;
  period: string;
  from: string;
  to: string;
  createdAt: Date;
}

/**
 * At the start of each quarter, the report of the quarter just ended (production data) is put
 * in the DTD's inbox: generated once, stored as generated, announced by a notification. Every
 * instance runs the check (BackgroundLoop, every BACKGROUND_INTERVAL_MS, one cheap query when the
 * report exists); the unique index on the period makes the first insert win, and the
 * notification goes in the same transaction as that insert, so there is one report and one
 * notice per quarter however many instances race. An instance started late in a quarter catches
 * up with the quarter before.
 */
@Injectable()
export class ScheduledReportsService implements OnModuleInit, OnModuleDestroy {
  private readonly loop = new BackgroundLoop('Quarterly report', new Logger(ScheduledReportsService.name), () => this.runDue());

  constructor(
    private readonly calendars: WorkingCalendarService,
    private readonly db: DataSource,
    private readonly reports: PeriodicReportService,
    private readonly config: GatewayConfig,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    if (this.config.REPORTS_SCHEDULED === 'true') this.loop.start(this.config.BACKGROUND_INTERVAL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  /** One run of the schedule now (as the loop would); null when the report was already there. */
  runOnce(now = this.clock.now()): Promise<string | null> {
    return this.runDue(now);
  }

  private async runDue(now = this.clock.now()): Promise<string | null> {
    const period = previousQuarter(this.calendars.calendar().today(now));
    const [exists] = await this.db.query(`SELECT 1 FROM periodic_reports WHERE scheduled AND period = $1`, [period.label]);
    if (exists) return null;
    const report = await this.reports.build({ period, environment: 'production' }, now);
    return this.db.transaction(async (manager) => {
      const [inserted]: Array<{ id: string }> = await manager.query(
        `INSERT INTO periodic_reports (period, period_from, period_to, scheduled, content) VALUES ($1, $2, $3, true, $4)
         ON CONFLICT (period) WHERE scheduled DO NOTHING RETURNING id`,
        [period.label, period.from, period.to, JSON.stringify(report)],
      );
      if (!inserted) return null; // another instance stored it first
      await queueNotification(manager, DTD_INBOX, null, 'PERIODIC_REPORT',
        `Báo cáo tổng hợp quý ${period.label} đã sẵn sàng: GET /control/v1/reports/periodic/scheduled/${inserted.id}?format=xlsx`,
        { reportId: inserted.id, period: period.label, from: period.from, to: period.to });
      return inserted.id;
    });
  }

  list(page: PageWindow): Promise<StoredReportSummary[]> {
    return this.db.query(
      `SELECT id, period, period_from AS "from", period_to AS "to", created_at AS "createdAt" FROM periodic_reports WHERE scheduled ORDER BY period_from DESC, id LIMIT $1 OFFSET $2`,
      [page.take, page.skip],
    );
  }

  async get(id: string): Promise<PeriodicReport> {
    const [row]: Array<{ content: PeriodicReport }> = await this.db.query(`SELECT content FROM periodic_reports WHERE id = $1 AND scheduled`, [id]);
    if (!row) throw ApiError.notFound(`No scheduled report ${id}`);
    return row.content;
  }
}
