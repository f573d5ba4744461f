import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module.js';
import { AlertDeliveryService } from './alerts/alert-delivery.service.js';
import { ConnectionSuspensionService } from './suspension/connection-suspension.service.js';
import { IncidentsService } from './incidents/incidents.service.js';
import { RedisConnection } from './redis/redis-connection.js';
import { SecurityEventsBus } from './security-events.bus.js';

/**
 * Incident response and suspension (Appendix III.III, IV.5.b-d), without any HTTP: the control
 * plane imports this module and calls IncidentsService and ConnectionSuspensionService. It needs
 * the global ConfigModule and the TypeORM DataSource (DatabaseModule) of the importing app.
 * The data plane's enforcement (quotas, detector, hooks) is DataPlaneSecurityModule.
 */
@Module({
  imports: [CalendarModule],
  providers: [RedisConnection, SecurityEventsBus, ConnectionSuspensionService, IncidentsService, AlertDeliveryService],
  exports: [RedisConnection, SecurityEventsBus, ConnectionSuspensionService, IncidentsService, AlertDeliveryService],
})
export class SecurityModule {}
