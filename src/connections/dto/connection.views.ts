import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ConnectionState } from '../connection-lifecycle.js';
import type { ConnectionAgreement } from '../connection-agreement.entity.js';
import type { ConnectionEvent } from '../connection-event.entity.js';
import type { Connection } from '../connection.entity.js';
import type { TechnicalDossier, TestConfirmation } from '../lifecycle/lifecycle-records.js';
import { appliedQuotas, CLASSIFIED_CLEARANCES, DATA_SETS, DIRECTIONS, type QuotaDefaults } from '../connection-scope.js';
import { ENVIRONMENTS } from '../environment.js';
import { AgreedScopeDto, ContactPointDto, DirectionsByDataSetDto, QuotasDto, RolesByDataSetDto, SignatoryDto } from './lifecycle.dto.js';
import {
  IncidentContactView,
  LeadershipDecisionView,
  OfficialLetterView,
  RemedyDeadlineView,
  SecurityCheckView,
  TestReportView,
  toIncidentContactView,
  toLeadershipDecisionView,
  toOfficialLetterView,
  toRemedyDeadlineView,
  toSecurityCheckView,
  toTestReportView,
} from './lifecycle-records.views.js';

/**
 * What the control plane answers about connections. Each view is mapped field by field from the
 * entity (toConnectionView …), so a column added to an entity stays internal until it is added
 * here on purpose: CSR bodies, the reviewer's account ids and the like never leak.
 */

/** The permissions the data plane enforces now (the current agreement's scope, quotas and sources). */
export class EnforcedScopeView {
  @ApiProperty({ enum: DATA_SETS, isArray: true }) dataSets: string[];
  @ApiProperty({ enum: DIRECTIONS, isArray: true }) directions: string[];
  @ApiPropertyOptional({ type: DirectionsByDataSetDto }) directionsByDataSet?: DirectionsByDataSetDto;
  @ApiPropertyOptional({ type: RolesByDataSetDto, description: 'Authority per data set; a data set without one keeps the authority agreements had before roles' }) roles?: RolesByDataSetDto;
  @ApiProperty({ type: [String], description: 'Unit codes of the unit register (an agreement recorded before it may still hold names)' }) writeUnits: string[];
  @ApiProperty({ type: [String], description: 'Unit codes, or "*" for all' }) readUnits: string[];
  @ApiPropertyOptional({ type: QuotasDto }) quotas?: QuotasDto;
  @ApiPropertyOptional({ type: [String] }) allowedSourceAddresses?: string[];
  @ApiPropertyOptional({ enum: CLASSIFIED_CLEARANCES }) classifiedClearance?: string;
}

export class TechnicalDossierView {
  @ApiProperty() dataScope: string;
  @ApiProperty() purpose: string;
  @ApiProperty() systemDescription: string;
  @ApiProperty({ minimum: 1, maximum: 5 }) securityLevel: number;
  @ApiProperty({ type: ContactPointDto }) technicalContact: ContactPointDto;
  @ApiProperty({ type: ContactPointDto }) businessContact: ContactPointDto;
  @ApiProperty({ format: 'uuid' }) securityAssessmentDocumentId: string;
  @ApiPropertyOptional({ type: OfficialLetterView, description: "The unit's official request letter; absent on dossiers filed before it was required" })
  requestLetter?: OfficialLetterView;
}

function toTechnicalDossierView(d: TechnicalDossier): TechnicalDossierView {
  const contact = ({ name, email, phone }: ContactPointDto): ContactPointDto => ({ name, email, phone });
  return {
    dataScope: d.dataScope,
    purpose: d.purpose,
    systemDescription: d.systemDescription,
    securityLevel: d.securityLevel,
    technicalContact: contact(d.technicalContact),
    businessContact: contact(d.businessContact),
    securityAssessmentDocumentId: d.securityAssessmentDocumentId,
    ...(d.requestLetter ? { requestLetter: toOfficialLetterView(d.requestLetter) } : {}),
  };
}

export class TestConfirmationView {
  @ApiPropertyOptional({ format: 'date-time' }) unitConfirmedAt?: string;
  @ApiPropertyOptional({ description: 'Who confirmed for the unit' }) unitConfirmedBy?: string;
  @ApiPropertyOptional({ format: 'date-time' }) dtdConfirmedAt?: string;
  @ApiPropertyOptional({ description: 'Who confirmed for DTD' }) dtdConfirmedBy?: string;
  @ApiPropertyOptional({ format: 'uuid' }) reportDocumentId?: string;
  @ApiPropertyOptional({ type: TestReportView, description: 'The test report the confirmations are of; filing a new one clears them' }) report?: TestReportView;
}

function toTestConfirmationView(t: TestConfirmation): TestConfirmationView {
  const { unitConfirmedAt, unitConfirmedBy, dtdConfirmedAt, dtdConfirmedBy, reportDocumentId, report } = t;
  const view: TestConfirmationView = { unitConfirmedAt, unitConfirmedBy, dtdConfirmedAt, dtdConfirmedBy, reportDocumentId, report: report && toTestReportView(report) };
  // Absent stays absent (JSON drops undefined anyway; this keeps the object as stored).
  return Object.fromEntries(Object.entries(view).filter(([, v]) => v !== undefined)) as TestConfirmationView;
}

export class PendingCertificateRequestView {
  @ApiProperty({ enum: ENVIRONMENTS }) environment: string;
  @ApiProperty({ format: 'date-time' }) submittedAt: string;
}

export class ConnectionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'The agency that owns the connected system' }) ownerUnit: string;
  @ApiProperty({ enum: ConnectionState }) state: ConnectionState;
  @ApiProperty({ type: String, nullable: true, description: 'Reason code while suspended' }) suspensionReason: string | null;
  @ApiProperty({ enum: ConnectionState, nullable: true, description: 'Where a lifted suspension returns to' }) stateBeforeSuspension: ConnectionState | null;
  @ApiProperty({ type: EnforcedScopeView }) scope: EnforcedScopeView;
  @ApiProperty({ type: TechnicalDossierView, nullable: true, description: 'Null for a connection an operator created by CLI' }) dossier: TechnicalDossierView | null;
  @ApiProperty({ type: SecurityCheckView, nullable: true, description: "Step 1 (IV.5.đ): the competent body's security check; approval needs a SATISFACTORY one" }) securityCheck: SecurityCheckView | null;
  @ApiProperty({ type: LeadershipDecisionView, nullable: true, description: 'Step 2: the leadership decision the approving appraisal reported' }) leadershipDecision: LeadershipDecisionView | null;
  @ApiProperty({ type: String, nullable: true, description: "The reviewer's reasons when returned" }) returnReason: string | null;
  @ApiProperty({ type: Number, nullable: true }) agreementVersion: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Mã định danh đơn vị, assigned at configuration' }) unitCode: string | null;
  @ApiProperty({ type: TestConfirmationView, nullable: true }) testConfirmation: TestConfirmationView | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) goLiveDate: string | null;
  @ApiProperty({ type: IncidentContactView, nullable: true, description: "Step 6: the unit's 24/7 incident contact, recorded at go-live" }) incidentContact: IncidentContactView | null;
  @ApiProperty({ type: RemedyDeadlineView, nullable: true, description: 'Step 7: the deadline to fix conditions a re-evaluation found not met; null when none is open' })
  remedyDeadline: RemedyDeadlineView | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) reEvaluationDue: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;
  @ApiProperty({ format: 'uuid', description: 'Tài khoản kỹ thuật: the client_id of the connected system' }) technicalAccount: string;
  @ApiProperty({ type: [PendingCertificateRequestView], description: 'CSRs waiting for DTD to issue, by environment' }) pendingCertificateRequests: PendingCertificateRequestView[];
}

export function toConnectionView(c: Connection): ConnectionView {
  return {
    id: c.id,
    name: c.name,
    ownerUnit: c.ownerUnit,
    state: c.state,
    suspensionReason: c.suspensionReason,
    stateBeforeSuspension: c.stateBeforeSuspension,
    scope: c.scope,
    dossier: c.dossier && toTechnicalDossierView(c.dossier),
    securityCheck: c.securityCheck && toSecurityCheckView(c.securityCheck),
    leadershipDecision: c.leadershipDecision && toLeadershipDecisionView(c.leadershipDecision),
    returnReason: c.returnReason,
    agreementVersion: c.agreementVersion,
    unitCode: c.unitCode,
    testConfirmation: c.testConfirmation && toTestConfirmationView(c.testConfirmation),
    goLiveDate: c.goLiveDate,
    incidentContact: c.incidentContact && toIncidentContactView(c.incidentContact),
    remedyDeadline: c.remedyDeadline && toRemedyDeadlineView(c.remedyDeadline),
    reEvaluationDue: c.reEvaluationDue,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    technicalAccount: c.id,
    pendingCertificateRequests: (c.pendingCsrs ?? []).map((p) => ({ environment: p.environment, submittedAt: p.submittedAt })),
  };
}

export class AppliedQuotasView {
  @ApiProperty() readsPerMinute: number;
  @ApiProperty() writesPerMinute: number;
  @ApiProperty() readsPerDay: number;
  @ApiProperty() writesPerDay: number;
}

/** A version of the agreement, read back in the shape RecordAgreementDto writes it, with the quotas as applied. */
export class AgreementView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) connectionId: string;
  @ApiProperty({ minimum: 1 }) version: number;
  @ApiProperty({ type: AgreedScopeDto }) scope: AgreedScopeDto;
  @ApiProperty() dataFormat: string;
  @ApiProperty() frequency: string;
  @ApiProperty({ type: QuotasDto, description: 'The limits agreed; a limit left out falls back to the gateway default' }) quotas: QuotasDto;
  @ApiProperty({ type: AppliedQuotasView, description: 'The limits the gateway applies to every call: each agreed one, else its default' }) appliedQuotas: AppliedQuotasView;
  @ApiProperty() securityMeasures: string;
  @ApiProperty({ type: [String] }) allowedSourceAddresses: string[];
  @ApiProperty() responsibilities: string;
  @ApiProperty() incidentHandling: string;
  @ApiProperty({ type: [SignatoryDto], minItems: 2 }) signatories: SignatoryDto[];
  @ApiProperty({ format: 'date' }) signedOn: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: "The signed minutes' scan; null on versions recorded before it was required" }) documentId: string | null;
  @ApiProperty({ format: 'uuid', description: 'The account that recorded it' }) recordedBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
}

export function toAgreementView(a: ConnectionAgreement, defaults: QuotaDefaults): AgreementView {
  const { quotas, allowedSourceAddresses, ...scope } = a.scope;
  return {
    id: a.id,
    connectionId: a.connectionId,
    version: a.version,
    scope: scope as AgreedScopeDto,
    dataFormat: a.dataFormat,
    frequency: a.frequency,
    quotas: quotas ?? {},
    appliedQuotas: appliedQuotas(quotas, defaults),
    securityMeasures: a.securityMeasures,
    allowedSourceAddresses: allowedSourceAddresses ?? [],
    responsibilities: a.responsibilities,
    incidentHandling: a.incidentHandling,
    signatories: a.signatories.map(({ name, position, organisation }) => ({ name, position, organisation })),
    signedOn: a.signedOn,
    documentId: a.documentId,
    recordedBy: a.recordedBy,
    createdAt: a.createdAt,
  };
}

export class ConnectionEventView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) connectionId: string;
  @ApiProperty({ example: 'approve' }) action: string;
  @ApiProperty({ type: String, nullable: true }) fromState: string | null;
  @ApiProperty() toState: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for the gateway acting by itself' }) actorId: string | null;
  @ApiProperty() actorName: string;
  @ApiProperty({ type: String, nullable: true, description: 'Under delegation: the assistant who acted' }) assistantName: string | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What changed' }) changes: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) occurredAt: Date;
}

export function toConnectionEventView(e: ConnectionEvent): ConnectionEventView {
  const { id, connectionId, action, fromState, toState, actorId, actorName, assistantName, reason, changes, occurredAt } = e;
  return { id, connectionId, action, fromState, toState, actorId, actorName, assistantName, reason, changes, occurredAt };
}
