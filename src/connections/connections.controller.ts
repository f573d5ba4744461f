import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEnum, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { Actor } from '../accounts/actor.js';
import { ControlPlaneRoute, CurrentActor } from '../accounts/control-plane-action.decorator.js';
import { ClientCertificatesService } from '../pki/client-certificates.service.js';
import { ConnectionState } from './connection-lifecycle.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { ApiFailures, ApiSuccess } from '../shared/errors/api-error-responses.js';
import { OrderedPageQueryDto, PageOf, PageQueryDto, pageWindow, toPage } from '../shared/http/paging.js';
import { CertificateView, TestReconciliationView, toCertificateView } from './dto/certificate.views.js';
import { AgreementView, ConnectionEventView, ConnectionView, toAgreementView, toConnectionEventView, toConnectionView } from './dto/connection.views.js';
import {
  AppraisalDto,
  ConfigureConnectionDto,
  ConfirmTestDto,
  GoLiveDto,
  IssueCertificateDto,
  MaintenanceMinutesDto,
  SubmitAssessmentDossierDto,
  ReasonDto,
  RecordAgreementDto,
  ReEvaluationDto,
  RegisterConnectionDto,
  ResubmitConnectionDto,
  RevokeCertificateDto,
  SecurityCheckDto,
  SubmitCsrDto,
  TestReportDto,
} from './dto/lifecycle.dto.js';
import { ConnectionLifecycleService } from './lifecycle/connection-lifecycle.service.js';
import { ConnectionOnboardingService } from './lifecycle/connection-onboarding.service.js';
import { ConnectionOperationsService } from './lifecycle/connection-operations.service.js';
import { ConnectionRequestsService } from './lifecycle/connection-requests.service.js';
import { Audited } from '../audit/http/audited.decorator.js';
import { createdId } from '../audit/http/audit-details.js';

class ListConnectionsQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Words each found in the system name or the owner unit (any case, any order; accents as written), or a connection id', example: 'Bộ Tài chính' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({ enum: ConnectionState }) @IsOptional() @IsEnum(ConnectionState) state?: ConnectionState;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only live connections whose yearly re-evaluation is overdue' })
  @IsOptional()
  @IsIn(['true', 'false'])
  reEvaluationOverdue?: string;
}

class ConnectionHistoryQuery extends OrderedPageQueryDto {
  // A pattern, not a list: the steps are named where each is recorded, and a name no step has yet
  // finds nothing rather than failing.
  @ApiPropertyOptional({ description: 'Only the steps of this name, e.g. `maintenanceMinutes` (the monitoring and maintenance minutes of step 7) or `confirmTest:unit`', example: 'maintenanceMinutes', pattern: '^[a-zA-Z]{1,48}(:[a-z]{1,15})?$' })
  @IsOptional()
  @Matches(/^[a-zA-Z]{1,48}(:[a-z]{1,15})?$/, { message: 'must be the name of a history step, such as maintenanceMinutes' })
  action?: string;
}

/** What a control-plane client sees of a connection (pending CSRs shown by environment only). */
const view = toConnectionView;

const ID = new ParseUUIDPipe();

@ApiTags('Connections — lifecycle (Appendix II, part I)')
@Controller('control/v1/connections')
export class ConnectionsController {
  constructor(
    private readonly lifecycle: ConnectionLifecycleService,
    private readonly requests: ConnectionRequestsService,
    private readonly onboarding: ConnectionOnboardingService,
    private readonly operations: ConnectionOperationsService,
    private readonly certificates: ClientCertificatesService,
    private readonly config: GatewayConfig,
  ) {}

  @Post()
  @ControlPlaneRoute('connections.register')
  @Audited({ target: 'connection', createdId })
  @ApiOperation({ operationId: 'registerConnection', summary: 'Step 1: request a connection with the technical dossier' })
  @ApiSuccess(201, ConnectionView)
  @ApiFailures(400)
  async register(@CurrentActor() actor: Actor, @Body() body: RegisterConnectionDto) {
    return view(await this.requests.register(actor, body));
  }

  @Get()
  @ControlPlaneRoute('connections.read')
  @Audited()
  @ApiOperation({ operationId: 'listConnections', summary: 'Connections you may see (a unit administrator: its own agency\'s)' })
  @ApiSuccess(200, PageOf(ConnectionView))
  @ApiFailures(400)
  async list(@CurrentActor() actor: Actor, @Query() query: ListConnectionsQuery) {
    const window = pageWindow(query);
    return toPage(await this.operations.list(actor, { q: query.q, state: query.state, reEvaluationOverdue: query.reEvaluationOverdue === 'true' }, window), window, view);
  }

  @Get(':id')
  @ControlPlaneRoute('connections.read')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'getConnection' })
  @ApiSuccess(200, ConnectionView)
  @ApiFailures(400, 404)
  async get(@CurrentActor() actor: Actor, @Param('id', ID) id: string) {
    return view(await this.lifecycle.visible(actor, id));
  }

  @Get(':id/history')
  @ControlPlaneRoute('connections.read')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'connectionHistory', summary: 'Every transition and record: who, when, why, what changed' })
  @ApiSuccess(200, PageOf(ConnectionEventView))
  @ApiFailures(400, 404)
  async history(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Query() query: ConnectionHistoryQuery) {
    await this.lifecycle.visible(actor, id);
    const window = pageWindow(query);
    return toPage(await this.lifecycle.history(id, window, query.order === 'newest', query.action), window, toConnectionEventView);
  }

  @Post(':id/resubmit')
  @ControlPlaneRoute('connections.resubmit')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'resubmitConnection', summary: 'Step 2: resubmit a returned request with the revised dossier' })
  @ApiSuccess(200, ConnectionView)
  @ApiFailures(400, 404, [409, 'ILLEGAL_TRANSITION: not possible in the connection\'s current state'])
  async resubmit(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: ResubmitConnectionDto) {
    return view(await this.requests.resubmit(actor, id, body));
  }

  @Post(':id/security-check')
  @ControlPlaneRoute('connections.appraise')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'recordSecurityCheck', summary: "Step 1 (IV.5.đ): record the competent body's security check of the unit's system — who, when, result, document; approval needs a SATISFACTORY one" })
  @ApiSuccess(200, ConnectionView)
  @ApiFailures(400, 404, [409, 'ILLEGAL_TRANSITION: not possible in the connection\'s current state'])
  async securityCheck(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: SecurityCheckDto) {
    return view(await this.requests.recordSecurityCheck(actor, id, body));
  }

  @Post(':id/appraisal')
  @ControlPlaneRoute('connections.appraise')
  @Audited({ target: 'connection' })
  @ApiOperation({
    operationId: 'appraiseConnection',
    summary: 'Step 2: approve (with the leadership decision reported; 409 SECURITY_CHECK_MISSING / SECURITY_CHECK_UNSATISFACTORY without a satisfactory security check), or return with reasons',
  })
  @ApiSuccess(200, ConnectionView)
  @ApiFailures(400, 404, [409, 'ILLEGAL_TRANSITION, SECURITY_CHECK_MISSING or SECURITY_CHECK_UNSATISFACTORY'])
  async appraise(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: AppraisalDto) {
    return view(await this.requests.appraise(actor, id, body));
  }

  @Post(':id/agreements')
  @ControlPlaneRoute('connections.recordAgreement')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'recordAgreement', summary: 'Step 3: record the signed minutes; a new version replaces the enforced scope and quotas' })
  @ApiSuccess(200, ConnectionView)
  @ApiFailures(400, 404, [409, 'ILLEGAL_TRANSITION: not possible in the connection\'s current state'])
  async recordAgreement(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: RecordAgreementDto) {
    return view(await this.requests.recordAgreement(actor, id, body));
  }

  @Get(':id/agreements')
  @ControlPlaneRoute('connections.read')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'listAgreements', summary: 'Every version of the agreement, oldest first' })
  @ApiSuccess(200, PageOf(AgreementView))
  @ApiFailures(400, 404)
  async agreements(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Query() page: PageQueryDto) {
    await this.lifecycle.visible(actor, id);
    const window = pageWindow(page);
    return toPage(await this.requests.agreements(id, window), window, (a) => toAgreementView(a, this.config));
  }

  @Post(':id/certificate-requests')
  @ControlPlaneRoute('certificates.request')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'submitCertificateRequest', summary: 'Step 4/6: upload a CSR (RSA ≥ 2048) for the test or production certificate; a production key must be new to the connection (400 KEY_REUSED)' })
  @ApiSuccess(200, ConnectionView)
  @ApiFailures([400, 'Invalid input, an unusable CSR, or KEY_REUSED'], 404, [409, 'ILLEGAL_TRANSITION: not possible in the connection\'s current state'])
  async submitCsr(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: SubmitCsrDto) {
    return view(await this.onboarding.submitCsr(actor, id, body));
  }

  @Post(':id/configure')
  @ControlPlaneRoute('connections.configure')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'configureConnection', summary: 'Step 4: assign the unit identifier and technical account, issue the test certificate' })
  @ApiSuccess(200, ConnectionView)
  @ApiFailures(400, 404, [409, 'ILLEGAL_TRANSITION, UNIT_CODE_TAKEN, or no pending test CSR'])
  async configure(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: ConfigureConnectionDto) {
    return view(await this.onboarding.configure(actor, id, body));
  }

  @Get(':id/certificates')
  @ControlPlaneRoute('connections.read')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'listCertificates', summary: 'Issued certificates with PEM, validity and revocation' })
  @ApiSuccess(200, PageOf(CertificateView))
  @ApiFailures(400, 404)
  async listCertificates(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Query() page: PageQueryDto) {
    await this.lifecycle.visible(actor, id);
    const window = pageWindow(page);
    return toPage(await this.certificates.listFor(id, undefined, window), window, toCertificateView);
  }

  @Post(':id/certificates')
  @ControlPlaneRoute('certificates.issue')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'issueCertificate', summary: 'Renew: issue a certificate from the pending CSR of an environment' })
  @ApiSuccess(200, ConnectionView)
  @ApiFailures(400, 404, [409, 'No pending CSR for that environment, or not possible in the current state'])
  async issue(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: IssueCertificateDto) {
    return view(await this.onboarding.issue(actor, id, body.environment));
  }

  @Post(':id/certificates/:certificateId/revoke')
  @ControlPlaneRoute('certificates.revoke')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'revokeCertificate', summary: 'Revoke a certificate at once (refused at the handshake within a second)' })
  @ApiSuccess(200, ConnectionView)
  @ApiFailures(400, [404, 'No valid (unrevoked) certificate with that id on this connection'], [409, 'ILLEGAL_TRANSITION: the connection is terminated'])
  async revoke(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Param('certificateId', ID) certificateId: string, @Body() body: RevokeCertificateDto) {
    return view(await this.onboarding.revoke(actor, id, certificateId, body.reason));
  }

  @Get(':id/test-reconciliation')
  @ControlPlaneRoute('connections.read')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'testReconciliation', summary: 'Step 5: what the connection exchanged in test — counts, refusals, samples' })
  @ApiSuccess(200, TestReconciliationView)
  @ApiFailures(400, 404)
  reconciliation(@CurrentActor() actor: Actor, @Param('id', ID) id: string): Promise<TestReconciliationView> {
    return this.operations.testReconciliation(actor, id);
  }

  @Post(':id/test-report')
  @ControlPlaneRoute('connections.confirmTestAsDtd')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'fileTestReport', summary: 'Step 5: file the test report — document, functional/performance/security results; a new report clears both confirmations' })
  @ApiSuccess(200, ConnectionView)
  @ApiFailures(400, 404, [409, 'Not in TESTING'])
  async testReport(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: TestReportDto) {
    return view(await this.onboarding.fileTestReport(actor, id, body));
  }

  @Post(':id/test-confirmations/unit')
  @ControlPlaneRoute('connections.confirmTestAsUnit')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'confirmTestAsUnit', summary: 'Step 5: the unit confirms the test report (409 NOTHING_EXCHANGED_IN_TEST until test data was exchanged)' })
  @ApiSuccess(200, ConnectionView)
  @ApiFailures(400, 404, [409, 'NOTHING_EXCHANGED_IN_TEST, or not in TESTING'])
  async confirmAsUnit(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: ConfirmTestDto) {
    await this.onboarding.confirmTest(actor, id, body);
    return view(await this.onboarding.passTestIfConfirmed(actor, id));
  }

  @Post(':id/test-confirmations/dtd')
  @ControlPlaneRoute('connections.confirmTestAsDtd')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'confirmTestAsDtd', summary: 'Step 5: DTD confirms the test report (409 NOTHING_EXCHANGED_IN_TEST until test data was exchanged)' })
  @ApiSuccess(200, ConnectionView)
  @ApiFailures(400, 404, [409, 'NOTHING_EXCHANGED_IN_TEST, or not in TESTING'])
  async confirmAsDtd(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: ConfirmTestDto) {
    await this.onboarding.confirmTest(actor, id, body);
    return view(await this.onboarding.passTestIfConfirmed(actor, id));
  }

  @Post(':id/go-live')
  @ControlPlaneRoute('connections.goLive')
  @Audited({ target: 'connection' })
  @ApiOperation({
    operationId: 'goLive',
    summary: "Step 6: switch to official operation on the agreed date (scheduled when later than today); records the unit's 24/7 incident contact, issues the production certificate; 409 TEST_REPORT_INCOMPLETE unless every test area passed and both sides confirmed",
  })
  @ApiSuccess(200, ConnectionView)
  @ApiFailures(400, 404, [409, 'ILLEGAL_TRANSITION or TEST_REPORT_INCOMPLETE'])
  async goLive(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: GoLiveDto) {
    return view(await this.onboarding.goLive(actor, id, body));
  }

  @Post(':id/re-evaluations')
  @ControlPlaneRoute('connections.reEvaluate')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'reEvaluateConnection', summary: 'Step 7: record the yearly re-evaluation; conditions not met are met with SUSPEND or a DEADLINE to fix (reminded when due); the next is due a year on' })
  @ApiSuccess(200, ConnectionView)
  @ApiFailures(400, 404, [409, 'ILLEGAL_TRANSITION: not possible in the connection\'s current state'])
  async reEvaluate(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: ReEvaluationDto) {
    return view(await this.operations.reEvaluate(actor, id, body));
  }

  @Post(':id/maintenance-minutes')
  @ControlPlaneRoute('connections.recordMaintenance')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'recordMaintenanceMinutes', summary: 'Step 7: keep monitoring/maintenance minutes for inspection' })
  @ApiSuccess(200, ConnectionView)
  @ApiFailures(400, 404, [409, 'ILLEGAL_TRANSITION: not possible in the connection\'s current state'])
  async maintenance(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: MaintenanceMinutesDto) {
    return view(await this.operations.recordMaintenance(actor, id, body));
  }

  @Post(':id/security-assessment-dossiers')
  @ControlPlaneRoute('connections.submitAssessmentDossier')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'submitAssessmentDossier', summary: "IV.5.e: the unit sends its annual security assessment dossier (uploaded first to POST /documents); kept among the connection's minutes and announced in the DTD's inbox" })
  @ApiSuccess(200, ConnectionView)
  @ApiFailures(400, [404, 'No such connection of your agency'], [409, 'ILLEGAL_TRANSITION: only for a connection in operation (live, suspended or re-testing)'])
  async submitAssessmentDossier(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: SubmitAssessmentDossierDto) {
    return view(await this.operations.submitAssessmentDossier(actor, id, body));
  }

  @Post(':id/terminate')
  @ControlPlaneRoute('connections.terminate')
  @Audited({ target: 'connection' })
  @ApiOperation({ operationId: 'terminateConnection', summary: 'End the connection: certificates revoked at once, history kept' })
  @ApiSuccess(200, ConnectionView)
  @ApiFailures(400, 404, [409, 'ILLEGAL_TRANSITION: not possible in the connection\'s current state'])
  async terminate(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: ReasonDto) {
    return view(await this.operations.terminate(actor, id, body.reason));
  }
}
