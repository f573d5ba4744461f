import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../accounts/actor.js';
import { ControlPlaneRoute, CurrentActor } from '../../accounts/control-plane-action.decorator.js';
import { ConnectionLifecycleService } from '../../connections/lifecycle/connection-lifecycle.service.js';
import { Audited } from '../../audit/http/audited.decorator.js';
import { ApiFailures, ApiSuccess } from '../../shared/errors/api-error-responses.js';
import { ConnectionTrafficService } from './connection-traffic.service.js';
import { ConnectionTrafficView, LastHourTotalsQuery, LastHourTotalsView } from './connection-traffic.views.js';
import { Role } from '../../accounts/roles.js';

@ApiTags('Security — cut-off, incidents, remediation (IV.5, Appendix III.III)')
@Controller('control/v1')
export class ConnectionTrafficController {
  constructor(
    private readonly traffic: ConnectionTrafficService,
    private readonly lifecycle: ConnectionLifecycleService,
  ) {}

  @Get('connections/:id/traffic')
  @ControlPlaneRoute('connections.read')
  @Audited({ target: 'connection' })
  @ApiOperation({
    operationId: 'connectionTraffic',
    summary: "A connection's data-plane calls over the last hour, per minute, by outcome (success, refused, failed), with its most frequent refusal codes; from the audit log",
  })
  @ApiSuccess(200, ConnectionTrafficView)
  @ApiFailures(400, [404, 'No such connection among those you may see'])
  async lastHour(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ConnectionTrafficView> {
    // A unit administrator sees only their agency's connections (404 for the others).
    await this.lifecycle.visible(actor, id);
    return this.traffic.lastHour(id);
  }

  @Get('traffic/last-hour')
  @ControlPlaneRoute('connections.read')
  @Audited()
  @ApiOperation({
    operationId: 'lastHourTotals',
    summary: "Several connections' data-plane calls over the last hour, totals by outcome, in one call (the security board's page of rows); a unit administrator gets only its agency's",
  })
  @ApiSuccess(200, LastHourTotalsView)
  @ApiFailures(400)
  lastHourTotals(@CurrentActor() actor: Actor, @Query() query: LastHourTotalsQuery): Promise<LastHourTotalsView> {
    return this.traffic.lastHourTotals([...new Set(query.connectionIds)], actor.role === Role.UNIT_ADMIN ? actor.unit : null);
  }
}
