import { Module } from '@nestjs/common';
import { RecordHistoryController } from './record-history.controller.js';
import { RecordHistoryService } from './record-history.service.js';

/** The control plane's read of record versions (IV.6); the data plane serves a connection's own through its record routes. */
@Module({ controllers: [RecordHistoryController], providers: [RecordHistoryService] })
export class RecordHistoryModule {}
