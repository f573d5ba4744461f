import { Module } from '@nestjs/common';
import { AuditCheckpointService } from './audit-checkpoint.service.js';
import { AuditService } from './audit.service.js';

@Module({
  providers: [AuditService, AuditCheckpointService],
  exports: [AuditService, AuditCheckpointService],
})
export class AuditModule {}
