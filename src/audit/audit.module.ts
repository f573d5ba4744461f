import { Module } from '@nestjs/common';
import { AuditCheckpointService } from './audit-checkpoint.service.js';
import { AuditPartitionsService } from './audit-partitions.js';
import { AuditService } from './audit.service.js';

@Module({
  providers: [AuditService, AuditCheckpointService, AuditPartitionsService],
  exports: [AuditService, AuditCheckpointService],
})
export class AuditModule {}
