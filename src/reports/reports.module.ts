import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module.js';
import { PeriodicReportService } from './periodic-report.service.js';
import { OverviewController } from './overview/overview.controller.js';
import { OverviewService } from './overview/overview.service.js';
import { ReportsController } from './reports.controller.js';
import { ScheduledReportsService } from './scheduled-reports.service.js';

/** Periodic reports on the control plane, and the quarterly one for the DTD's inbox. */
@Module({
  imports: [CalendarModule],
  controllers: [ReportsController, OverviewController],
  providers: [PeriodicReportService, ScheduledReportsService, OverviewService],
  exports: [PeriodicReportService, ScheduledReportsService],
})
export class ReportsModule {}
