import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AccountsModule } from '../accounts/accounts.module.js';
import { AuditModule } from './audit.module.js';
import { AuditQueryService } from './api/audit-query.service.js';
import { AuditController } from './api/audit.controller.js';
import { ControlPlaneAudit } from './http/control-plane-audit.hook.js';
import { ControlPlaneRoutes } from './http/control-plane-routes.js';

/**
 * The audit log on the control plane: every request recorded (ControlPlaneAudit, registered on
 * Fastify by control-plane-app.ts) and the auditors' API. Kept apart from AuditModule, which the
 * data plane imports too: its routes must never be served on the mTLS port.
 */
@Module({
  imports: [AuditModule, AccountsModule, DiscoveryModule],
  controllers: [AuditController],
  providers: [AuditQueryService, ControlPlaneRoutes, ControlPlaneAudit],
  exports: [ControlPlaneAudit],
})
export class AuditControlPlaneModule {}
