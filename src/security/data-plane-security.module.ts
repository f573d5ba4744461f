import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module.js';
import { AnomalyDetectorService } from './anomaly-detector.service.js';
import { CredentialInvalidationListener } from './credential-invalidation.listener.js';
import { MemoryQuotaStorage, QUOTA_STORAGE } from './quota-storage.js';
import { RedisQuotaStorage } from './redis-quota-storage.js';
import { QuotaService } from './quota.service.js';
import { QuotaGuard } from './quota.guard.js';
import { RedisConnection } from './redis-connection.js';
import { RedisWindowStore } from './redis-window-store.js';
import { RequestScreeningService } from './request-screening.service.js';
import { SecurityModule } from './security.module.js';
import { TokenEndpointQuotaGuard } from './token-endpoint-quota.guard.js';
import { MemoryWindowStore, WINDOW_STORE } from './window-store.js';

/**
 * Security enforcement on the data plane (IV.5.b): quotas, request screening and the anomaly
 * detector, on top of SecurityModule's suspension and incidents. Global so that QuotaGuard,
 * used by every module's DataPlaneAccess routes, finds QuotaService. The Fastify hooks are
 * registered by createDataPlaneApp (registerDataPlaneSecurity).
 */
@Global()
@Module({
  imports: [SecurityModule, AuthModule],
  providers: [
    {
      provide: QUOTA_STORAGE,
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection) => (redis.client ? new RedisQuotaStorage(redis.client) : new MemoryQuotaStorage()),
    },
    {
      provide: WINDOW_STORE,
      inject: [RedisConnection],
      useFactory: (redis: RedisConnection) => (redis.client ? new RedisWindowStore(redis.client) : new MemoryWindowStore()),
    },
    QuotaService,
    QuotaGuard,
    { provide: APP_GUARD, useClass: TokenEndpointQuotaGuard },
    AnomalyDetectorService,
    RequestScreeningService,
    CredentialInvalidationListener,
  ],
  exports: [QuotaService, QuotaGuard, SecurityModule],
})
export class DataPlaneSecurityModule {}
