import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ConfigModule } from '../shared/config/config.module.js';
import type { GatewayConfig } from '../shared/config/gateway-config.js';
import { GlobalExceptionFilter } from '../shared/errors/global-exception.filter.js';
import { OperationsController } from './operations.controller.js';
import { OperationsMetrics } from './operations-metrics.service.js';
import { WATCHED_PLANES, type WatchedPlane } from './planes.js';
import { ReadinessIndicators } from './readiness.indicators.js';

/**
 * The operations listener: health and metrics of the planes running in this process. It has no
 * database pool of its own: it watches the planes' pools and audit writers (planes.ts).
 */
@Module({})
export class OperationsModule {
  static forRoot(config: GatewayConfig, planes: WatchedPlane[]): DynamicModule {
    return {
      module: OperationsModule,
      imports: [ConfigModule.forRoot(config), TerminusModule.forRoot({ logger: false })],
      controllers: [OperationsController],
      providers: [
        { provide: WATCHED_PLANES, useValue: planes },
        OperationsMetrics,
        ReadinessIndicators,
        GlobalExceptionFilter,
        { provide: APP_FILTER, useExisting: GlobalExceptionFilter },
      ],
    };
  }
}
