import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { CalendarModule } from '../calendar/calendar.module.js';
import { FileScreeningModule } from '../shared/files/file-screening.js';
import { UnitsModule } from '../units/units.module.js';
import { Attachment } from './attachments/attachment.entity.js';
import { AttachmentsController } from './attachments/attachments.controller.js';
import { AttachmentsService } from './attachments/attachments.service.js';
import { FeedPageCache } from './shared/feed-page-cache.js';
import { KpiResultsController } from './kpi-results/kpi-results.controller.js';
import { KpiResultsService } from './kpi-results/kpi-results.service.js';
import { TaskResultsController } from './task-results/task-results.controller.js';
import { TaskResultsService } from './task-results/task-results.service.js';
import { KpiFlowController } from './task-flow/kpi-flow.controller.js';
import { TaskFlowController } from './task-flow/task-flow.controller.js';
import { TaskFlowService } from './task-flow/task-flow.service.js';

/** The data plane's resources: task results, KPI results and their evidence files. */
@Module({
  imports: [TypeOrmModule.forFeature([Attachment]), AuthModule, CalendarModule, FileScreeningModule, UnitsModule],
  controllers: [TaskResultsController, KpiResultsController, AttachmentsController, TaskFlowController, KpiFlowController],
  providers: [TaskResultsService, KpiResultsService, AttachmentsService, FeedPageCache, TaskFlowService],
  exports: [FeedPageCache],
})
export class DataExchangeModule {}
