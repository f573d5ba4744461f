import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { Attachment } from './attachments/attachment.entity.js';
import { AttachmentsController } from './attachments/attachments.controller.js';
import { AttachmentsService } from './attachments/attachments.service.js';
import { FeedPageCache } from './shared/feed-page-cache.js';
import { KpiResultsController } from './kpi-results/kpi-results.controller.js';
import { KpiResultsService } from './kpi-results/kpi-results.service.js';
import { TaskResultsController } from './task-results/task-results.controller.js';
import { TaskResultsService } from './task-results/task-results.service.js';

/** The data plane's resources: task results, KPI results and their evidence files. */
@Module({
  imports: [TypeOrmModule.forFeature([Attachment]), AuthModule],
  controllers: [TaskResultsController, KpiResultsController, AttachmentsController],
  providers: [TaskResultsService, KpiResultsService, AttachmentsService, FeedPageCache],
  exports: [FeedPageCache],
})
export class DataExchangeModule {}
