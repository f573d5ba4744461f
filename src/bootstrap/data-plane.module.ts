import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { DataExchangeModule } from '../data-exchange/data-exchange.module.js';
import { DataPlaneSecurityModule } from '../security/data-plane-security.module.js';
import { ConfigModule } from '../shared/config/config.module.js';
import type { GatewayConfig } from '../shared/config/gateway-config.js';
import { DatabaseModule } from '../shared/database/database.module.js';
import { GlobalExceptionFilter } from '../shared/errors/global-exception.filter.js';
import { RequestDrain } from '../shared/http/request-drain.js';
import { strictValidationPipe } from '../shared/http/validation.pipe.js';

/** The mTLS data plane: what connected systems call (CONTRACT.md). */
@Module({})
export class DataPlaneModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: DataPlaneModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, AuditModule, AuthModule, DataPlaneSecurityModule, DataExchangeModule],
      providers: [
        RequestDrain,
        GlobalExceptionFilter,
        { provide: APP_FILTER, useExisting: GlobalExceptionFilter },
        { provide: APP_PIPE, useFactory: strictValidationPipe },
      ],
    };
  }
}
