import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '../../calendar/calendar.module.js';
import { ConnectionLifecycleModule } from '../../connections/connection-lifecycle.module.js';
import { SecurityModule } from '../security.module.js';
import { RemediationReport } from '../remediation/remediation-report.entity.js';
import { RemediationService } from '../remediation/remediation.service.js';
import { SecurityControlController } from './security-control.controller.js';
import { ConnectionTrafficController } from '../traffic/connection-traffic.controller.js';
import { ConnectionTrafficService } from '../traffic/connection-traffic.service.js';

/** The security officer's and DTD's side of IV.5: manual cut-off, incidents, remediation. */
@Module({
  imports: [TypeOrmModule.forFeature([RemediationReport]), SecurityModule, ConnectionLifecycleModule, CalendarModule],
  controllers: [SecurityControlController, ConnectionTrafficController],
  providers: [RemediationService, ConnectionTrafficService],
})
export class SecurityControlPlaneModule {}
