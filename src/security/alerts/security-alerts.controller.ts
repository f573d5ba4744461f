import { Controller, Get, Query } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsNull, Not, Repository } from 'typeorm';
import { ControlPlaneRoute } from '../../accounts/control-plane-action.decorator.js';
import { Audited } from '../../audit/http/audited.decorator.js';
import { ApiFailures, ApiSuccess } from '../../shared/errors/api-error-responses.js';
import { PageOf, PageQueryDto, pageWindow, toPage } from '../../shared/http/paging.js';
import { SecurityAlert } from './security-alert.entity.js';

class SecurityAlertsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only alerts not delivered to SECURITY_ALERT_WEBHOOK_URL yet; false: only delivered ones' })
  @IsOptional()
  @IsIn(['true', 'false'])
  undelivered?: string;
}

export class SecurityAlertView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'INCIDENT_OPENED', description: 'INCIDENT_OPENED, ACCOUNT_LOCKED, ACCOUNT_DEACTIVATED, REDIS_UNAVAILABLE…' }) kind: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) incidentId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the alert webhook took it; null while pending' }) deliveredAt: string | null;
  @ApiProperty({ type: 'integer' }) attempts: number;
  @ApiProperty({ type: String, nullable: true, description: "The last delivery attempt's error" }) lastError: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The alert as sent to the webhook (alertId, kind and its details)' }) body: Record<string, unknown>;
}

const toView = (a: SecurityAlert): SecurityAlertView => ({
  id: a.id,
  kind: a.kind,
  incidentId: a.incidentId,
  createdAt: a.createdAt.toISOString(),
  deliveredAt: a.deliveredAt?.toISOString() ?? null,
  attempts: a.attempts,
  lastError: a.lastError,
  body: JSON.parse(a.payload) as Record<string, unknown>,
});

/**
 * The alert outbox as the security officer on duty reads it: every alert the gateway raised,
 * newest first, with whether the alert webhook has taken it. Without SECURITY_ALERT_WEBHOOK_URL
 * this is where alerts are seen at all.
 */
@ApiTags('Security — cut-off, incidents, remediation (IV.5, Appendix III.III)')
@Controller('control/v1/security-alerts')
export class SecurityAlertsController {
  constructor(@InjectRepository(SecurityAlert) private readonly alerts: Repository<SecurityAlert>) {}

  @Get()
  @ControlPlaneRoute('securityAlerts.read')
  @Audited()
  @ApiOperation({ operationId: 'listSecurityAlerts', summary: 'Security alerts raised by the gateway, newest first, with their delivery to the alert webhook' })
  @ApiSuccess(200, PageOf(SecurityAlertView))
  @ApiFailures(400)
  async list(@Query() query: SecurityAlertsQuery) {
    const window = pageWindow(query);
    const delivered = query.undelivered === undefined ? {} : { deliveredAt: query.undelivered === 'true' ? IsNull() : Not(IsNull()) };
    const rows = await this.alerts.find({ where: delivered, order: { createdAt: 'DESC', id: 'DESC' }, ...window });
    return toPage(rows, window, toView);
  }
}
