import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConnectionLifecycleModule } from '../../connections/connection-lifecycle.module.js';
import { SecurityModule } from '../security.module.js';
import { RemediationReport } from './remediation-report.entity.js';
import { RemediationService } from './remediation.service.js';
import { SecurityControlController } from './security-control.controller.js';

/** The security officer's and DTD's side of IV.5: manual cut-off, incidents, remediation. */
@Module({
  imports: [TypeOrmModule.forFeature([RemediationReport]), SecurityModule, ConnectionLifecycleModule],
  controllers: [SecurityControlController],
  providers: [RemediationService],
})
export class SecurityControlPlaneModule {}
