import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AccountsModule } from '../accounts/accounts.module.js';
import { ControlPlaneGuard } from '../accounts/control-plane-action.decorator.js';
import { AuditControlPlaneModule } from '../audit/audit-control-plane.module.js';
import { CalendarControlPlaneModule } from '../calendar/calendar.module.js';
import { UnitsControlPlaneModule } from '../units/units.module.js';
import { ConnectionLifecycleModule } from '../connections/connection-lifecycle.module.js';
import { DocumentsModule } from '../documents/documents.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { RecordHistoryModule } from '../data-exchange/versions/record-history.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { SecurityControlPlaneModule } from '../security/control-plane/security-control-plane.module.js';
import { ConfigModule } from '../shared/config/config.module.js';
import type { GatewayConfig } from '../shared/config/gateway-config.js';
import { DatabaseModule } from '../shared/database/database.module.js';
import { GlobalExceptionFilter } from '../shared/errors/global-exception.filter.js';
import { RequestDrain } from '../shared/http/request-drain.js';
import { strictValidationPipe } from '../shared/http/validation.pipe.js';

/** The control plane: people with roles run the connection lifecycle. Served apart from the data plane. */
@Module({})
export class ControlPlaneModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: ControlPlaneModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, AccountsModule, DocumentsModule, NotificationsModule, ConnectionLifecycleModule, SecurityControlPlaneModule, AuditControlPlaneModule, CalendarControlPlaneModule, ReportsModule, UnitsControlPlaneModule, RecordHistoryModule],
      providers: [
        RequestDrain,
        { provide: APP_GUARD, useExisting: ControlPlaneGuard },
        GlobalExceptionFilter,
        { provide: APP_FILTER, useExisting: GlobalExceptionFilter },
        { provide: APP_PIPE, useFactory: strictValidationPipe },
      ],
    };
  }
}
