import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf, ValidateNested } from 'class-validator';
import type { Actor } from '../../accounts/actor.js';
import { ControlPlaneRoute, CurrentActor } from '../../accounts/control-plane-action.decorator.js';
import { ConnectionLifecycleService } from '../../connections/lifecycle/connection-lifecycle.service.js';
import { toConnectionView, ConnectionView } from '../../connections/dto/connection.views.js';
import { Clock } from '../../calendar/clock.js';
import { ApiError } from '../../shared/errors/api-error.js';
import { ApiFailures, ApiSuccess } from '../../shared/errors/api-error-responses.js';
import { PageOf, PageQueryDto, pageWindow, toPage } from '../../shared/http/paging.js';
import { type IncidentStepDocument, SEVERITIES, type Severity } from '../incidents/incident.entity.js';
import { INCIDENT_STEPS, type IncidentStep, IncidentsService, STEP_DOCUMENTS } from '../incidents/incidents.service.js';
import { IncidentStepDocumentDto, JustificationDto, RemediationDecisionDto, RestoreConnectionDto, SubmitRemediationReportDto } from '../remediation/remediation.dto.js';
import { RemediationService } from '../remediation/remediation.service.js';
import { toIncidentContactView } from '../../connections/dto/lifecycle-records.views.js';
import { AwaitingRestorationView, IncidentDetailView, IncidentView, RemediationReportView, toIncidentView, toRemediationReportView } from './security.views.js';
import { Audited } from '../../audit/http/audited.decorator.js';
import { bodyConnectionId, createdId } from '../../audit/http/audit-details.js';

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
  @ApiPropertyOptional({ format: 'date-time', description: 'When it was detected, if before now; not in the future' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be a date-time such as 2026-12-04T08:30:00+07:00' })
  detectedAt?: string;
}

class UnitIncidentReportDto {
  @ApiProperty({ example: 'CREDENTIALS_COMPROMISED', description: 'What happened, as a code' }) @Matches(REASON_CODE, { message: 'must be an upper-case code' }) reasonCode: string;
  @ApiProperty({ description: 'What was detected: attack, leak, loss of control of credentials' }) @IsString() @Length(1, 10000) summary: string;
  @ApiProperty({ format: 'date-time', description: 'When the unit detected it (IV.5.d: notice is due within 2 hours of detection); not in the future' })
  @IsISO8601({ strict: true }, { message: 'must be a date-time such as 2026-12-04T08:30:00+07:00' })
  detectedAt: string;
}

class ClassifyIncidentDto {
  @ApiProperty({ enum: SEVERITIES }) @IsIn(SEVERITIES, { message: `must be one of ${SEVERITIES.join(', ')}` }) severity: Severity;
}

const DOCUMENTED_STEPS = Object.keys(STEP_DOCUMENTS);

class IncidentStepDto {
  @ApiProperty({ enum: STEPS }) @IsIn(STEPS, { message: `must be one of ${STEPS.join(', ')}` }) step: IncidentStep;
  @ApiPropertyOptional({ type: IncidentStepDocumentDto, description: `Required for ${DOCUMENTED_STEPS.join(', ')}: the document the step was done with` })
  @ValidateIf((o: IncidentStepDto) => DOCUMENTED_STEPS.includes(o.step) || o.document !== undefined)
  @IsDefined({ message: `is required for ${DOCUMENTED_STEPS.join(', ')}: number, date, recipient, documentId` })
  @IsObject({ message: 'must be an object' })
  @ValidateNested()
  @Type(() => IncidentStepDocumentDto)
  document?: IncidentStepDocumentDto;
}

/** A time reported by a person: not in the future (a minute's grace for their clock). */
function pastInstant(value: string, field: string, nowMs: number): Date {
  const at = new Date(value);
  if (at.getTime() > nowMs + 60_000) throw ApiError.badRequest('Invalid time', [{ field, problem: 'must not be in the future' }]);
  return at;
}

class IncidentQuery extends PageQueryDto {
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
    private readonly clock: Clock,
  ) {}

  @Post('connections/:id/suspension')
  @ControlPlaneRoute('connections.suspend')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'suspendConnection', summary: 'Cut a connection off at once, on every gateway instance within a second' })
  @ApiSuccess(200, ConnectionView)
  @ApiFailures(400, 404, [409, 'Already suspended, or not in a state that can be suspended'])
  async suspend(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: SuspendConnectionDto) {
    return toConnectionView(await this.remediation.suspend(actor, id, body.reasonCode, body.reason));
  }

  @Post('connections/:id/restore-override')
  @ControlPlaneRoute('connections.restoreOverride')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'overrideRestore', summary: 'Restore without the remediation workflow: an explicit, recorded override' })
  @ApiSuccess(200, ConnectionView)
  @ApiFailures(400, 404, [409, 'Not suspended'])
  async override(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: JustificationDto) {
    return toConnectionView(await this.remediation.override(actor, id, body.justification));
  }

  @Post('connections/:id/remediation-reports')
  @ControlPlaneRoute('remediation.file')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'submitRemediationReport', summary: "IV.5.c: the unit's report of cause, measures and commitment, with the competent body's confirmation" })
  @ApiSuccess(201, RemediationReportView)
  @ApiFailures(400, 404, [409, 'The connection is not suspended, or a report is already awaiting a decision'])
  async submit(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: SubmitRemediationReportDto) {
    return toRemediationReportView(await this.remediation.submit(actor, id, body));
  }

  @Get('connections/:id/remediation-reports')
  @ControlPlaneRoute('connections.read')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'listRemediationReports' })
  @ApiSuccess(200, PageOf(RemediationReportView))
  @ApiFailures(400, 404)
  async reports(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Query() page: PageQueryDto) {
    await this.lifecycle.visible(actor, id);
    const window = pageWindow(page);
    return toPage(await this.remediation.reportsOf(id, window), window, toRemediationReportView);
  }

  @Post('remediation-reports/:id/decision')
  @ControlPlaneRoute('remediation.decide')
  @Audited({ target: 'remediation-report' })
  @ApiOperation({ operationId: 'decideRemediation', summary: 'Accept (re-test, then restore within 24 h) or answer with written recommendations' })
  @ApiSuccess(200, RemediationReportView)
  @ApiFailures(400, 404, [409, 'The report was already decided'])
  async decide(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: RemediationDecisionDto) {
    return toRemediationReportView(await this.remediation.decide(actor, id, body));
  }

  @Post('remediation-reports/:id/restoration')
  @ControlPlaneRoute('remediation.decide')
  @Audited({ target: 'remediation-report' })
  @ApiOperation({ operationId: 'restoreAfterRetest', summary: 'After a successful re-test against test data, reopen the connection' })
  @ApiSuccess(200, RemediationReportView)
  @ApiFailures(400, 404, [409, 'The report was not accepted, or the connection is not being re-tested'])
  async restore(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: RestoreConnectionDto) {
    return toRemediationReportView(await this.remediation.restoreAfterRetest(actor, id, body.retestFindings));
  }

  @Get('remediation-reports/awaiting-restoration')
  @ControlPlaneRoute('incidents.read')
  @Audited()
  @ApiOperation({ operationId: 'awaitingRestoration', summary: 'Accepted reports not yet restored, with the 24-hour deadline flagged' })
  @ApiSuccess(200, PageOf(AwaitingRestorationView))
  @ApiFailures(400)
  async awaiting(@Query() page: PageQueryDto) {
    const window = pageWindow(page);
    return toPage(await this.remediation.awaitingRestoration(this.clock.now(), window), window, (r) => ({ ...toRemediationReportView(r), overdue: r.overdue }));
  }

  @Post('connections/:id/incident-reports')
  @ControlPlaneRoute('incidents.reportAsUnit')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'reportIncidentAsUnit', summary: 'IV.5.d: the unit reports an attack, leak or lost credentials; its connection is suspended at once' })
  @ApiSuccess(201, IncidentView)
  @ApiFailures(400, 404, [409, 'ILLEGAL_TRANSITION: not possible in the connection\'s current state'])
  async unitReport(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: UnitIncidentReportDto) {
    await this.lifecycle.visible(actor, id);
    const detectedAt = pastInstant(body.detectedAt, 'detectedAt', this.clock.nowMs());
    const incident = await this.incidents.openFromUnitReport({
      connectionId: id,
      reasonCode: body.reasonCode,
      summary: body.summary,
      detectedAt,
      actor: actor.username,
      evidence: { kind: 'unit-report', content: { ...body, reportedBy: actor.username, onBehalfOf: actor.assistant?.username ?? null } },
    });
    await this.lifecycle.run(actor, id, null, 'unitIncidentReport', body.summary, () => ({ changes: { incidentId: incident.id } }));
    return toIncidentView(await this.incidents.get(incident.id));
  }

  @Post('connections/:id/incidents/:incidentId/unit-report')
  @ControlPlaneRoute('incidents.reportAsUnit')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'fileUnitIncidentReport', summary: "IV.5.d: the unit's official report on an incident it reported, due within 24 hours of detection (the document it was sent as)" })
  @ApiSuccess(200, IncidentView)
  @ApiFailures(400, [404, 'No such connection, or no such incident on it'], [409, 'NOT_A_UNIT_REPORT or UNIT_REPORT_ALREADY_FILED'])
  async fileUnitReport(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Param('incidentId', ID) incidentId: string, @Body() body: IncidentStepDocumentDto) {
    await this.lifecycle.visible(actor, id);
    const [reported] = await this.incidents.list({ connectionId: id, ids: [incidentId] });
    if (!reported) throw ApiError.notFound('No such incident on this connection');
    const document = await this.sentDocument(actor, body, '');
    // A report on the incident cannot be dated before it was detected (in Vietnam's calendar).
    const detectedOn = this.clock.dateOf(reported.detectedAt ?? reported.openedAt);
    if (document.date < detectedOn) throw ApiError.badRequest('Invalid document', [{ field: 'date', problem: `must not be before the day the incident was detected (${detectedOn})` }]);
    await this.incidents.fileUnitReport(id, incidentId, document, actor.assistant ? `${actor.username} (${actor.assistant.username})` : actor.username);
    // In the connection's history too, beside the notice it follows (unitIncidentReport).
    const { number, date, recipient, documentId } = document;
    await this.lifecycle.run(actor, id, null, 'unitIncidentOfficialReport', null, () => ({ changes: { incidentId, number, date, recipient, documentId } }));
    const [incident] = await this.incidents.list({ connectionId: id, ids: [incidentId] });
    return toIncidentView(incident);
  }

  @Get('incidents')
  @ControlPlaneRoute('incidents.read')
  @Audited()
  @ApiOperation({ operationId: 'listIncidents', summary: 'Incidents with their deadlines (30 min, 2 h, 24 h, 7 working days) and overdue flags' })
  @ApiSuccess(200, PageOf(IncidentView))
  @ApiFailures(400)
  async list(@Query() query: IncidentQuery) {
    const window = pageWindow(query);
    const filter = { overdueOnly: query.overdue === 'true', open: query.open === undefined ? undefined : query.open === 'true', connectionId: query.connectionId };
    return toPage(await this.incidents.list({ ...filter, page: window }), window, toIncidentView);
  }

  @Get('incidents/:id')
  @ControlPlaneRoute('incidents.read')
  @Audited({ target: 'incident' })
  @ApiOperation({ operationId: 'getIncident', summary: "An incident with its evidence (each item re-hashed to show it is intact) and the unit's 24/7 incident contact" })
  @ApiSuccess(200, IncidentDetailView)
  @ApiFailures(400, 404)
  async get(@CurrentActor() actor: Actor, @Param('id', ID) id: string): Promise<IncidentDetailView> {
    const incident = await this.incidents.get(id);
    const connection = incident.connectionId ? await this.lifecycle.visible(actor, incident.connectionId) : null;
    return { ...toIncidentView(incident), incidentContact: connection?.incidentContact ? toIncidentContactView(connection.incidentContact) : null, evidence: await this.incidents.evidence(id) };
  }

  @Get('connections/:id/incidents')
  @ControlPlaneRoute('incidents.readOwn')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'listOwnIncidents', summary: "The unit's view of its connection's incidents: steps, their documents, deadlines and whether its notice came within 2 hours" })
  @ApiSuccess(200, PageOf(IncidentView))
  @ApiFailures(400, 404)
  async ownIncidents(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Query() page: PageQueryDto) {
    await this.lifecycle.visible(actor, id);
    const window = pageWindow(page);
    return toPage(await this.incidents.list({ connectionId: id, page: window }), window, toIncidentView);
  }

  @Get('connections/:id/incidents/:incidentId')
  @ControlPlaneRoute('incidents.readOwn')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'getOwnIncident', summary: "One incident of the unit's own connection (without the detector's evidence)" })
  @ApiSuccess(200, IncidentView)
  @ApiFailures(400, [404, 'No such connection, or no such incident on it'])
  async ownIncident(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Param('incidentId', ID) incidentId: string) {
    await this.lifecycle.visible(actor, id);
    // Someone else's incident is as absent as a missing one: the unit learns nothing of it.
    const [incident] = await this.incidents.list({ connectionId: id, ids: [incidentId] });
    if (!incident) throw ApiError.notFound('No such incident on this connection');
    return toIncidentView(incident);
  }

  @Post('incidents')
  @ControlPlaneRoute('incidents.manage')
  @Audited({ target: 'incident', createdId, connectionId: bodyConnectionId })
  @ApiOperation({ operationId: 'openIncident', summary: 'Open an incident (and optionally cut the connection off)' })
  @ApiSuccess(201, IncidentView)
  @ApiFailures(400, [404, 'No such connection'], [409, 'suspend: the connection cannot be suspended in its state'])
  async open(@CurrentActor() actor: Actor, @Body() body: OpenIncidentDto) {
    const detectedAt = body.detectedAt ? pastInstant(body.detectedAt, 'detectedAt', this.clock.nowMs()) : undefined;
    // An incident about a connection names one that exists (404, as documented), not any UUID.
    if (body.connectionId) await this.lifecycle.visible(actor, body.connectionId);
    const incident = await this.incidents.openManual({ ...body, detectedAt, connectionId: body.connectionId ?? null, actor: actor.username });
    return toIncidentView(await this.incidents.get(incident.id));
  }

  @Post('incidents/:id/classification')
  @ControlPlaneRoute('incidents.manage')
  @Audited({ target: 'incident' })
  @ApiOperation({ operationId: 'classifyIncident', summary: 'Step 2: severity — information, warning, medium, serious' })
  @ApiSuccess(200, IncidentView)
  @ApiFailures(400, 404)
  async classify(@Param('id', ID) id: string, @Body() body: ClassifyIncidentDto) {
    await this.incidents.classify(id, body.severity);
    return toIncidentView(await this.incidents.get(id));
  }

  @Post('incidents/:id/steps')
  @ControlPlaneRoute('incidents.manage')
  @Audited({ target: 'incident' })
  @ApiOperation({ operationId: 'recordIncidentStep', summary: 'Stamp a response step as done (reported, official report, review, closed)' })
  @ApiSuccess(200, IncidentView)
  @ApiFailures(400, 404, [409, 'STEP_ALREADY_DONE, NOT_CLASSIFIED or STEP_OUT_OF_ORDER'])
  async step(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: IncidentStepDto) {
    const document = body.step in STEP_DOCUMENTS ? await this.sentDocument(actor, body.document!, 'document.') : null;
    await this.incidents.markStep(id, body.step, document);
    return toIncidentView(await this.incidents.get(id));
  }

  /** A document an incident step was sent as: a file the caller may use, dated no later than today in Vietnam. `at`: where it is in the body. */
  private async sentDocument(actor: Actor, document: IncidentStepDocumentDto, at: '' | 'document.'): Promise<IncidentStepDocument> {
    await this.lifecycle.documents.assertUsableBy(actor, document.documentId, `${at}documentId`);
    const today = this.clock.today();
    if (document.date > today) throw ApiError.badRequest('Invalid document', [{ field: `${at}date`, problem: `must not be in the future (today is ${today} in ${this.clock.timeZone})` }]);
    return { number: document.number, date: document.date, recipient: document.recipient, documentId: document.documentId };
  }
}
