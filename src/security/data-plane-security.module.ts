import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module.js';
import { CalendarModule } from '../calendar/calendar.module.js';
import { AnomalyDetectorService } from './enforcement/anomaly-detector.service.js';
import { CredentialInvalidationListener } from './enforcement/credential-invalidation.listener.js';
import { FailoverQuotaStorage, FailoverWindowStore } from './enforcement/failover-stores.js';
import { MemoryQuotaStorage, QUOTA_STORAGE } from './enforcement/quota-storage.js';
import { RedisQuotaStorage } from './enforcement/redis-quota-storage.js';
import { QuotaService } from './enforcement/quota.service.js';
import { QuotaGuard } from './enforcement/quota.guard.js';
import { RedisAvailability } from './redis/redis-availability.js';
import { RedisConnection } from './redis/redis-connection.js';
import { RedisWindowStore } from './enforcement/redis-window-store.js';
import { RequestScreeningService } from './enforcement/request-screening.service.js';
import { SecurityModule } from './security.module.js';
import { TokenEndpointQuotaGuard } from './enforcement/token-endpoint-quota.guard.js';
import { MemoryWindowStore, WINDOW_STORE } from './enforcement/window-store.js';

/**
 * Security enforcement on the data plane (IV.5.b): quotas, request screening and the anomaly
 * detector, on top of SecurityModule's suspension and incidents. Global so that QuotaGuard,
 * used by every module's DataPlaneAccess routes, finds QuotaService. The Fastify hooks are
 * registered by createDataPlaneApp (registerDataPlaneSecurity).
 */
@Global()
@Module({
  imports: [SecurityModule, AuthModule, CalendarModule],
  providers: [
    // With Redis, counts fall back to this process while it is away (RedisAvailability), never to nothing.
    RedisAvailability,
    {
      provide: QUOTA_STORAGE,
      inject: [RedisConnection, RedisAvailability],
      useFactory: (redis: RedisConnection, availability: RedisAvailability) =>
        redis.client ? new FailoverQuotaStorage(new RedisQuotaStorage(redis.client), new MemoryQuotaStorage(), availability) : new MemoryQuotaStorage(),
    },
    {
      provide: WINDOW_STORE,
      inject: [RedisConnection, RedisAvailability],
      useFactory: (redis: RedisConnection, availability: RedisAvailability) =>
        redis.client ? new FailoverWindowStore(new RedisWindowStore(redis.client), new MemoryWindowStore(), availability) : new MemoryWindowStore(),
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
