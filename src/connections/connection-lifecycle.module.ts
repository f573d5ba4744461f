import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { PkiModule } from '../pki/pki.module.js';
import { CalendarModule } from '../calendar/calendar.module.js';
import { SecurityModule } from '../security/security.module.js';
import { UnitsModule } from '../units/units.module.js';
import { ConnectionsController } from './connections.controller.js';
import { ConnectionLifecycleService } from './lifecycle/connection-lifecycle.service.js';
import { ConnectionOnboardingService } from './lifecycle/connection-onboarding.service.js';
import { ConnectionOperationsService } from './lifecycle/connection-operations.service.js';
import { ConnectionRequestsService } from './lifecycle/connection-requests.service.js';
import { GoLiveScheduler } from './lifecycle/go-live-scheduler.service.js';
import { ReviewQueueController } from './review-queue/review-queue.controller.js';
import { ReviewQueueService } from './review-queue/review-queue.service.js';

/** The control plane's side of connections: Appendix II part I, steps 1-7, driven by people. */
@Module({
  imports: [PkiModule, DocumentsModule, NotificationsModule, CalendarModule, SecurityModule, UnitsModule],
  controllers: [ConnectionsController, ReviewQueueController],
  providers: [ConnectionLifecycleService, ConnectionRequestsService, ConnectionOnboardingService, ConnectionOperationsService, GoLiveScheduler, ReviewQueueService],
  exports: [ConnectionLifecycleService],
})
export class ConnectionLifecycleModule {}
