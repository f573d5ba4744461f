import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEnum, IsIn, IsOptional } from 'class-validator';
import type { Actor } from '../accounts/actor.js';
import { ControlPlaneRoute, CurrentActor } from '../accounts/control-plane-action.decorator.js';
import { ClientCertificatesService } from '../pki/client-certificates.service.js';
import { ConnectionState } from './connection-lifecycle.js';
import type { Connection } from './connection.entity.js';
import {
  AppraisalDto,
  ConfigureConnectionDto,
  ConfirmTestDto,
  GoLiveDto,
  IssueCertificateDto,
  MaintenanceMinutesDto,
  ReasonDto,
  RecordAgreementDto,
  ReEvaluationDto,
  RegisterConnectionDto,
  ResubmitConnectionDto,
  SubmitCsrDto,
} from './dto/lifecycle.dto.js';
import { ConnectionLifecycleService } from './lifecycle/connection-lifecycle.service.js';
import { ConnectionOnboardingService } from './lifecycle/connection-onboarding.service.js';
import { ConnectionOperationsService } from './lifecycle/connection-operations.service.js';
import { ConnectionRequestsService } from './lifecycle/connection-requests.service.js';

class ListConnectionsQuery {
  @ApiPropertyOptional({ enum: ConnectionState }) @IsOptional() @IsEnum(ConnectionState) state?: ConnectionState;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only live connections whose yearly re-evaluation is overdue' })
  @IsOptional()
  @IsIn(['true', 'false'])
  reEvaluationOverdue?: string;
}

/** What a control-plane client sees of a connection (pending CSRs shown by environment only). */
function view(c: Connection) {
  const { pendingCsrs, ...rest } = c;
  return { ...rest, technicalAccount: c.id, pendingCertificateRequests: pendingCsrs.map((p) => ({ environment: p.environment, submittedAt: p.submittedAt })) };
}

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
  ) {}

  @Post()
  @ControlPlaneRoute('connections.register')
  @ApiOperation({ operationId: 'registerConnection', summary: 'Step 1: request a connection with the technical dossier' })
  async register(@CurrentActor() actor: Actor, @Body() body: RegisterConnectionDto) {
    return view(await this.requests.register(actor, body));
  }

  @Get()
  @ControlPlaneRoute('connections.read')
  @ApiOperation({ operationId: 'listConnections', summary: 'Connections you may see (a unit administrator: its own agency\'s)' })
  async list(@CurrentActor() actor: Actor, @Query() query: ListConnectionsQuery) {
    return (await this.operations.list(actor, { state: query.state, reEvaluationOverdue: query.reEvaluationOverdue === 'true' })).map(view);
  }

  @Get(':id')
  @ControlPlaneRoute('connections.read')
  @ApiOperation({ operationId: 'getConnection' })
  async get(@CurrentActor() actor: Actor, @Param('id', ID) id: string) {
    return view(await this.lifecycle.visible(actor, id));
  }

  @Get(':id/history')
  @ControlPlaneRoute('connections.read')
  @ApiOperation({ operationId: 'connectionHistory', summary: 'Every transition and record: who, when, why, what changed' })
  async history(@CurrentActor() actor: Actor, @Param('id', ID) id: string) {
    await this.lifecycle.visible(actor, id);
    return this.lifecycle.history(id);
  }

  @Post(':id/resubmit')
  @HttpCode(200)
  @ControlPlaneRoute('connections.resubmit')
  @ApiOperation({ operationId: 'resubmitConnection', summary: 'Step 2: resubmit a returned request with the revised dossier' })
  async resubmit(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: ResubmitConnectionDto) {
    return view(await this.requests.resubmit(actor, id, body));
  }

  @Post(':id/appraisal')
  @HttpCode(200)
  @ControlPlaneRoute('connections.appraise')
  @ApiOperation({ operationId: 'appraiseConnection', summary: 'Step 2: approve, or return with reasons' })
  async appraise(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: AppraisalDto) {
    return view(await this.requests.appraise(actor, id, body));
  }

  @Post(':id/agreements')
  @HttpCode(200)
  @ControlPlaneRoute('connections.recordAgreement')
  @ApiOperation({ operationId: 'recordAgreement', summary: 'Step 3: record the signed minutes; a new version replaces the enforced scope and quotas' })
  async recordAgreement(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: RecordAgreementDto) {
    return view(await this.requests.recordAgreement(actor, id, body));
  }

  @Get(':id/agreements')
  @ControlPlaneRoute('connections.read')
  @ApiOperation({ operationId: 'listAgreements', summary: 'Every version of the agreement, oldest first' })
  async agreements(@CurrentActor() actor: Actor, @Param('id', ID) id: string) {
    await this.lifecycle.visible(actor, id);
    return this.requests.agreements(id);
  }

  @Post(':id/certificate-requests')
  @HttpCode(200)
  @ControlPlaneRoute('certificates.request')
  @ApiOperation({ operationId: 'submitCertificateRequest', summary: 'Step 4/6: upload a CSR (RSA ≥ 2048) for the test or production certificate' })
  async submitCsr(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: SubmitCsrDto) {
    return view(await this.onboarding.submitCsr(actor, id, body));
  }

  @Post(':id/configure')
  @HttpCode(200)
  @ControlPlaneRoute('connections.configure')
  @ApiOperation({ operationId: 'configureConnection', summary: 'Step 4: assign the unit identifier and technical account, issue the test certificate' })
  async configure(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: ConfigureConnectionDto) {
    return view(await this.onboarding.configure(actor, id, body));
  }

  @Get(':id/certificates')
  @ControlPlaneRoute('connections.read')
  @ApiOperation({ operationId: 'listCertificates', summary: 'Issued certificates with PEM, validity and revocation' })
  async listCertificates(@CurrentActor() actor: Actor, @Param('id', ID) id: string) {
    await this.lifecycle.visible(actor, id);
    return this.certificates.listFor(id);
  }

  @Post(':id/certificates')
  @HttpCode(200)
  @ControlPlaneRoute('certificates.issue')
  @ApiOperation({ operationId: 'issueCertificate', summary: 'Renew: issue a certificate from the pending CSR of an environment' })
  async issue(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: IssueCertificateDto) {
    return view(await this.onboarding.issue(actor, id, body.environment));
  }

  @Post(':id/certificates/:certificateId/revoke')
  @HttpCode(200)
  @ControlPlaneRoute('certificates.revoke')
  @ApiOperation({ operationId: 'revokeCertificate', summary: 'Revoke a certificate at once (refused at the handshake within a second)' })
  async revoke(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Param('certificateId', ID) certificateId: string, @Body() body: ReasonDto) {
    return view(await this.onboarding.revoke(actor, id, certificateId, body.reason));
  }

  @Get(':id/test-reconciliation')
  @ControlPlaneRoute('connections.read')
  @ApiOperation({ operationId: 'testReconciliation', summary: 'Step 5: what the connection exchanged in test — counts, refusals, samples' })
  reconciliation(@CurrentActor() actor: Actor, @Param('id', ID) id: string) {
    return this.operations.testReconciliation(actor, id);
  }

  @Post(':id/test-confirmations/unit')
  @HttpCode(200)
  @ControlPlaneRoute('connections.confirmTestAsUnit')
  @ApiOperation({ operationId: 'confirmTestAsUnit', summary: 'Step 5: the unit confirms the test report' })
  async confirmAsUnit(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: ConfirmTestDto) {
    await this.onboarding.confirmTest(actor, id, body);
    return view(await this.onboarding.passTestIfConfirmed(actor, id));
  }

  @Post(':id/test-confirmations/dtd')
  @HttpCode(200)
  @ControlPlaneRoute('connections.confirmTestAsDtd')
  @ApiOperation({ operationId: 'confirmTestAsDtd', summary: 'Step 5: DTD confirms the test report' })
  async confirmAsDtd(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: ConfirmTestDto) {
    await this.onboarding.confirmTest(actor, id, body);
    return view(await this.onboarding.passTestIfConfirmed(actor, id));
  }

  @Post(':id/go-live')
  @HttpCode(200)
  @ControlPlaneRoute('connections.goLive')
  @ApiOperation({ operationId: 'goLive', summary: 'Step 6: switch to official operation; issues the production certificate' })
  async goLive(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: GoLiveDto) {
    return view(await this.onboarding.goLive(actor, id, body));
  }

  @Post(':id/re-evaluations')
  @HttpCode(200)
  @ControlPlaneRoute('connections.reEvaluate')
  @ApiOperation({ operationId: 'reEvaluateConnection', summary: 'Step 7: record the yearly re-evaluation; the next is due a year on' })
  async reEvaluate(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: ReEvaluationDto) {
    return view(await this.operations.reEvaluate(actor, id, body));
  }

  @Post(':id/maintenance-minutes')
  @HttpCode(200)
  @ControlPlaneRoute('connections.recordMaintenance')
  @ApiOperation({ operationId: 'recordMaintenanceMinutes', summary: 'Step 7: keep monitoring/maintenance minutes for inspection' })
  async maintenance(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: MaintenanceMinutesDto) {
    return view(await this.operations.recordMaintenance(actor, id, body));
  }

  @Post(':id/terminate')
  @HttpCode(200)
  @ControlPlaneRoute('connections.terminate')
  @ApiOperation({ operationId: 'terminateConnection', summary: 'End the connection: certificates revoked at once, history kept' })
  async terminate(@CurrentActor() actor: Actor, @Param('id', ID) id: string, @Body() body: ReasonDto) {
    return view(await this.operations.terminate(actor, id, body.reason));
  }
}
