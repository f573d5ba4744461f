import { Module } from '@nestjs/common';
import { AuditCheckpointService } from './checkpoints/audit-checkpoint.service.js';
import { AuditPartitionsService } from './archive/audit-partitions.js';
import { AuditService } from './chain/audit.service.js';

@Module({
  providers: [AuditService, AuditCheckpointService, AuditPartitionsService],
  exports: [AuditService, AuditCheckpointService],
})
export class AuditModule {}
