import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '../../calendar/calendar.module.js';
import { ConnectionLifecycleModule } from '../../connections/connection-lifecycle.module.js';
import { SecurityModule } from '../security.module.js';
import { RemediationReport } from '../remediation/remediation-report.entity.js';
import { SecurityAlert } from '../alerts/security-alert.entity.js';
import { SecurityAlertsController } from '../alerts/security-alerts.controller.js';
import { RemediationService } from '../remediation/remediation.service.js';
import { SecurityControlController } from './security-control.controller.js';
import { ConnectionTrafficController } from '../traffic/connection-traffic.controller.js';
import { ConnectionTrafficService } from '../traffic/connection-traffic.service.js';

/** The security officer's and DTD's side of IV.5: manual cut-off, incidents, remediation, the alerts raised. */
@Module({
  imports: [TypeOrmModule.forFeature([RemediationReport, SecurityAlert]), SecurityModule, ConnectionLifecycleModule, CalendarModule],
  controllers: [SecurityControlController, ConnectionTrafficController, SecurityAlertsController],
  providers: [RemediationService, ConnectionTrafficService],
})
export class SecurityControlPlaneModule {}
