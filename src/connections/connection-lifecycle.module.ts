import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { PkiModule } from '../pki/pki.module.js';
import { ConnectionsController } from './connections.controller.js';
import { ConnectionLifecycleService } from './lifecycle/connection-lifecycle.service.js';
import { ConnectionOnboardingService } from './lifecycle/connection-onboarding.service.js';
import { ConnectionOperationsService } from './lifecycle/connection-operations.service.js';
import { ConnectionRequestsService } from './lifecycle/connection-requests.service.js';

/** The control plane's side of connections: Appendix II part I, steps 1-7, driven by people. */
@Module({
  imports: [PkiModule, DocumentsModule, NotificationsModule],
  controllers: [ConnectionsController],
  providers: [ConnectionLifecycleService, ConnectionRequestsService, ConnectionOnboardingService, ConnectionOperationsService],
  exports: [ConnectionLifecycleService],
})
export class ConnectionLifecycleModule {}
