import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import type { Actor } from '../../accounts/actor.js';
import { ControlPlaneRoute, CurrentActor } from '../../accounts/control-plane-action.decorator.js';
import { ConnectionLifecycleService } from '../../connections/lifecycle/connection-lifecycle.service.js';
import { SEVERITIES, type Severity } from '../entities/incident.entity.js';
import { INCIDENT_STEPS, type IncidentStep, IncidentsService } from '../incidents.service.js';
import { JustificationDto, RemediationDecisionDto, RestoreConnectionDto, SubmitRemediationReportDto } from './remediation.dto.js';
import { RemediationService } from './remediation.service.js';

const REASON_CODE = /^[A-Z][A-Z0-9_]{2,63}$/;
const STEPS = Object.keys(INCIDENT_STEPS) as IncidentStep[];

class SuspendConnectionDto {
  @ApiProperty({ example: 'MANUAL_CUT_OFF', description: 'Stable reason code shown to the connected system in its 403s' })
  @Matches(REASON_CODE, { message: 'must be an upper-case code like MANUAL_CUT_OFF' })
  reasonCode: string;
  @ApiProperty() @IsString() @Length(1, 5000) reason: string;
}

class OpenIncidentDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() connectionId?: string;
  @ApiProperty({ example: 'DATA_LEAK_SUSPECTED' }) @Matches(REASON_CODE, { message: 'must be an upper-case code' }) reasonCode: string;
  @ApiProperty() @IsString() @Length(1, 10000) summary: string;
  @ApiPropertyOptional({ enum: SEVERITIES }) @IsOptional() @IsIn(SEVERITIES) severity?: Severity;
  @ApiPropertyOptional({ description: 'Also cut the connection off at once' }) @IsOptional() @IsBoolean() suspend?: boolean;
}

class UnitIncidentReportDto {
  @ApiProperty({ example: 'CREDENTIALS_COMPROMISED', description: 'What happened, as a code' }) @Matches(REASON_CODE, { message: 'must be an upper-case code' }) reasonCode: string;
  @ApiProperty({ description: 'What was detected: attack, leak, loss of control of credentials' }) @IsString() @Length(1, 10000) summary: string;
}

class ClassifyIncidentDto {
  @ApiProperty({ enum: SEVERITIES }) @IsIn(SEVERITIES, { message: `must be one of ${SEVERITIES.join(', ')}` }) severity: Severity;
}

class IncidentStepDto {
  @ApiProperty({ enum: STEPS }) @IsIn(STEPS, { message: `must be one of ${STEPS.join(', ')}` }) step: IncidentStep;
}

class IncidentQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) overdue?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) open?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() connectionId?: string;
}

const ID = new ParseUUIDPipe();

@ApiTags('Security — cut-off, incidents, remediation (IV.5, Appendix III.III)')
@Controller('control/v1')
export class SecurityControlController {
  constructor(
    private readonly remediation: RemediationService,
    private readonly incidents: IncidentsService,
    private readonly lifecycle: ConnectionLifecycleService,
  ) {}

  @Post('connections/:id/suspension')
  @HttpCode(200)
  @ControlPlaneRoute('connections.suspend')
  @ApiOperation({ operationId: 'suspendConnection', summary: 'Cut a connection off at once, on every gateway instance within a second' })
  suspend(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: SuspendConnectionDto) {
    return this.remediation.suspend(actor, id, body.reasonCode, body.reason);
  }

  @Post('connections/:id/restore-override')
  @HttpCode(200)
  @ControlPlaneRoute('connections.restoreOverride')
  @ApiOperation({ operationId: 'overrideRestore', summary: 'Restore without the remediation workflow: an explicit, recorded override' })
  override(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: JustificationDto) {
    return this.remediation.override(actor, id, body.justification);
  }

  @Post('connections/:id/remediation-reports')
  @ControlPlaneRoute('remediation.file')
  @ApiOperation({ operationId: 'submitRemediationReport', summary: "IV.5.c: the unit's report of cause, measures and commitment, with the competent body's confirmation" })
  submit(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: SubmitRemediationReportDto) {
    return this.remediation.submit(actor, id, body);
  }

  @Get('connections/:id/remediation-reports')
  @ControlPlaneRoute('connections.read')
  @ApiOperation({ operationId: 'listRemediationReports' })
  async reports(@CurrentActor() actor: Actor, @Param('id', ID) id: string) {
    await this.lifecycle.visible(actor, id);
    return this.remediation.reportsOf(id);
  }

  @Post('remediation-reports/:id/decision')
  @HttpCode(200)
  @ControlPlaneRoute('remediation.decide')
  @ApiOperation({ operationId: 'decideRemediation', summary: 'Accept (re-test, then restore within 24 h) or answer with written recommendations' })
  decide(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: RemediationDecisionDto) {
    return this.remediation.decide(actor, id, body);
  }

  @Post('remediation-reports/:id/restoration')
  @HttpCode(200)
  @ControlPlaneRoute('remediation.decide')
  @ApiOperation({ operationId: 'restoreAfterRetest', summary: 'After a successful re-test against test data, reopen the connection' })
  restore(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: RestoreConnectionDto) {
    return this.remediation.restoreAfterRetest(actor, id, body.retestFindings);
  }

  @Get('remediation-reports/awaiting-restoration')
  @ControlPlaneRoute('incidents.read')
  @ApiOperation({ operationId: 'awaitingRestoration', summary: 'Accepted reports not yet restored, with the 24-hour deadline flagged' })
  awaiting() {
    return this.remediation.awaitingRestoration();
  }

  @Post('connections/:id/incident-reports')
  @ControlPlaneRoute('incidents.reportAsUnit')
  @ApiOperation({ operationId: 'reportIncidentAsUnit', summary: 'IV.5.d: the unit reports an attack, leak or lost credentials; its connection is suspended at once' })
  async unitReport(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: UnitIncidentReportDto) {
    await this.lifecycle.visible(actor, id);
    const incident = await this.incidents.openFromUnitReport({
      connectionId: id,
      reasonCode: body.reasonCode,
      summary: body.summary,
      actor: actor.username,
      evidence: { kind: 'unit-report', content: { ...body, reportedBy: actor.username, onBehalfOf: actor.assistant?.username ?? null } },
    });
    await this.lifecycle.run(actor, id, null, 'unitIncidentReport', body.summary, () => ({ changes: { incidentId: incident.id } }));
    return incident;
  }

  @Get('incidents')
  @ControlPlaneRoute('incidents.read')
  @ApiOperation({ operationId: 'listIncidents', summary: 'Incidents with their deadlines (30 min, 2 h, 24 h, 7 working days) and overdue flags' })
  list(@Query() query: IncidentQuery) {
    return this.incidents.list({ overdueOnly: query.overdue === 'true', open: query.open === undefined ? undefined : query.open === 'true', connectionId: query.connectionId });
  }

  @Get('incidents/:id')
  @ControlPlaneRoute('incidents.read')
  @ApiOperation({ operationId: 'getIncident', summary: 'An incident with its evidence, each item re-hashed to show it is intact' })
  async get(@Param('id', ID) id: string) {
    return { ...(await this.incidents.get(id)), evidence: await this.incidents.evidence(id) };
  }

  @Post('incidents')
  @ControlPlaneRoute('incidents.manage')
  @ApiOperation({ operationId: 'openIncident', summary: 'Open an incident (and optionally cut the connection off)' })
  open(@CurrentActor() actor: Actor, @Body() body: OpenIncidentDto) {
    return this.incidents.openManual({ ...body, connectionId: body.connectionId ?? null, actor: actor.username });
  }

  @Post('incidents/:id/classification')
  @HttpCode(200)
  @ControlPlaneRoute('incidents.manage')
  @ApiOperation({ operationId: 'classifyIncident', summary: 'Step 2: severity — information, warning, medium, serious' })
  classify(@Param('id', ID) id: string, @Body() body: ClassifyIncidentDto) {
    return this.incidents.classify(id, body.severity);
  }

  @Post('incidents/:id/steps')
  @HttpCode(200)
  @ControlPlaneRoute('incidents.manage')
  @ApiOperation({ operationId: 'recordIncidentStep', summary: 'Stamp a response step as done (reported, official report, review, closed)' })
  step(@Param('id', ID) id: string, @Body() body: IncidentStepDto) {
    return this.incidents.markStep(id, body.step);
  }
}
