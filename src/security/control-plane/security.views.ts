import { ApiProperty } from '@nestjs/swagger';
import { IncidentContactView } from '../../connections/dto/lifecycle-records.views.js';
import { INCIDENT_SOURCES, type IncidentStepDocument, SEVERITIES } from '../incidents/incident.entity.js';
import type { EvidenceView, IncidentView as IncidentRecordView } from '../incidents/incidents.service.js';
import { REMEDIATION_STATUSES, type RemediationReport } from '../remediation/remediation-report.entity.js';

/** What the control plane answers about incidents and remediation reports, mapped field by field. */

export class RemediationReportView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) connectionId: string;
  @ApiProperty() cause: string;
  @ApiProperty() measuresTaken: string;
  @ApiProperty() securityCommitment: string;
  @ApiProperty({ format: 'uuid' }) confirmationDocumentId: string;
  @ApiProperty({ enum: REMEDIATION_STATUSES }) status: string;
  @ApiProperty() submittedBy: string;
  @ApiProperty({ format: 'date-time' }) submittedAt: Date;
  @ApiProperty({ type: String, nullable: true }) decidedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: Date | null;
  @ApiProperty({ type: String, nullable: true, description: "DTD's recommendations, or its findings when accepting" }) decisionText: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Accepted: restore within 24 hours' }) restoreDeadline: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) restoredAt: Date | null;
}

export function toRemediationReportView(r: RemediationReport): RemediationReportView {
  const { id, connectionId, cause, measuresTaken, securityCommitment, confirmationDocumentId, status, submittedBy, submittedAt, decidedBy, decidedAt, decisionText, restoreDeadline, restoredAt } = r;
  return { id, connectionId, cause, measuresTaken, securityCommitment, confirmationDocumentId, status, submittedBy, submittedAt, decidedBy, decidedAt, decisionText, restoreDeadline, restoredAt };
}

export class AwaitingRestorationView extends RemediationReportView {
  @ApiProperty({ description: 'The 24-hour deadline has passed' }) overdue: boolean;
}

class IncidentDeadlinesView {
  @ApiProperty({ format: 'date-time', description: 'Classification: 30 minutes after opening' }) classification: Date;
  @ApiProperty({ format: 'date-time', description: 'Report to the competent authority: 2 hours' }) reportToAuthority: Date;
  @ApiProperty({ format: 'date-time', description: 'Official report: 24 hours' }) officialReport: Date;
  @ApiProperty({ format: 'date-time', description: 'Post-incident review: 7 working days' }) review: Date;
}

class IncidentOverdueView {
  @ApiProperty() classification: boolean;
  @ApiProperty() reportToAuthority: boolean;
  @ApiProperty() officialReport: boolean;
  @ApiProperty() review: boolean;
}

/** The document a reporting step was done with (App. III.III steps 5 and 7). */
export class IncidentStepDocumentView {
  @ApiProperty({ description: 'Số văn bản' }) number: string;
  @ApiProperty({ format: 'date', description: 'Ngày văn bản' }) date: string;
  @ApiProperty({ description: 'Nơi nhận' }) recipient: string;
  @ApiProperty({ format: 'uuid', description: 'The document (GET /control/v1/documents/{id})' }) documentId: string;
}

const toStepDocumentView = (d: IncidentStepDocument | null): IncidentStepDocumentView | null =>
  d && { number: d.number, date: d.date, recipient: d.recipient, documentId: d.documentId };

/** IV.5.d, for an incident the unit reported: did its notice come within 2 hours of detection? */
class UnitNoticeView {
  @ApiProperty({ format: 'date-time' }) detectedAt: Date;
  @ApiProperty({ format: 'date-time' }) notifiedAt: Date;
  @ApiProperty() minutesAfterDetection: number;
  @ApiProperty() withinTwoHours: boolean;
}

/** IV.5.d, for an incident the unit reported: its official report, due 24 hours after detection. */
class UnitReportView {
  @ApiProperty({ format: 'date-time', description: '24 hours after the unit detected the incident' }) due: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the unit filed it; null until then' }) filedAt: Date | null;
  @ApiProperty({ type: IncidentStepDocumentView, nullable: true, description: 'The document it was sent as' }) document: IncidentStepDocumentView | null;
  @ApiProperty({ type: Boolean, nullable: true, description: 'Filed by its due time; null until filed' }) onTime: boolean | null;
  @ApiProperty({ description: 'Not filed, and its due time has passed' }) overdue: boolean;
}

export class IncidentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) connectionId: string | null;
  @ApiProperty({ enum: INCIDENT_SOURCES }) source: string;
  @ApiProperty({ example: 'DATA_LEAK_SUSPECTED' }) reasonCode: string;
  @ApiProperty({ enum: SEVERITIES, nullable: true, description: 'Null until classified' }) severity: string | null;
  @ApiProperty() summary: string;
  @ApiProperty() openedBy: string;
  @ApiProperty({ format: 'date-time' }) openedAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was detected (the opening unless told); null only on incidents opened before this was recorded' })
  detectedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) classifiedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) reportedAt: Date | null;
  @ApiProperty({ type: IncidentStepDocumentView, nullable: true, description: 'The report to the competent authority' }) reportDocument: IncidentStepDocumentView | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) officialReportAt: Date | null;
  @ApiProperty({ type: IncidentStepDocumentView, nullable: true, description: 'The official report sent' }) officialReportDocument: IncidentStepDocumentView | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) reviewAt: Date | null;
  @ApiProperty({ type: IncidentStepDocumentView, nullable: true, description: 'The post-incident review' }) reviewDocument: IncidentStepDocumentView | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt: Date | null;
  @ApiProperty({ type: IncidentDeadlinesView }) deadlines: IncidentDeadlinesView;
  @ApiProperty({ type: IncidentOverdueView }) overdue: IncidentOverdueView;
  @ApiProperty({ description: 'Any deadline of an open incident has passed undone' }) isOverdue: boolean;
  @ApiProperty({ type: UnitNoticeView, nullable: true, description: 'For an incident the unit reported: how soon after detection it notified (IV.5.d: within 2 hours)' })
  unitNotice: UnitNoticeView | null;
  @ApiProperty({ type: UnitReportView, nullable: true, description: "For an incident the unit reported: the unit's official report (IV.5.d: within 24 hours of detection)" })
  unitReport: UnitReportView | null;
}

export function toIncidentView(i: IncidentRecordView): IncidentView {
  const { id, connectionId, source, reasonCode, severity, summary, openedBy, openedAt, detectedAt, classifiedAt, reportedAt, officialReportAt, reviewAt, closedAt } = i;
  const { deadlines, overdue, isOverdue, unitNotice, unitReport } = i;
  return {
    id,
    connectionId,
    source,
    reasonCode,
    severity,
    summary,
    openedBy,
    openedAt,
    detectedAt,
    classifiedAt,
    reportedAt,
    reportDocument: toStepDocumentView(i.reportDocument),
    officialReportAt,
    officialReportDocument: toStepDocumentView(i.officialReportDocument),
    reviewAt,
    reviewDocument: toStepDocumentView(i.reviewDocument),
    closedAt,
    deadlines,
    overdue,
    isOverdue,
    unitNotice: unitNotice && { detectedAt: unitNotice.detectedAt, notifiedAt: unitNotice.notifiedAt, minutesAfterDetection: unitNotice.minutesAfterDetection, withinTwoHours: unitNotice.withinTwoHours },
    unitReport: unitReport && { due: unitReport.due, filedAt: unitReport.filedAt, document: toStepDocumentView(unitReport.document), onTime: unitReport.onTime, overdue: unitReport.overdue },
  };
}

export class EvidenceItemView implements EvidenceView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'requests' }) kind: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The preserved JSON, as recorded' }) content: unknown;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) sha256: string;
  @ApiProperty({ description: 'The content still hashes to sha256' }) intact: boolean;
  @ApiProperty() recordedBy: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: Date;
}

export class IncidentDetailView extends IncidentView {
  @ApiProperty({ type: IncidentContactView, nullable: true, description: "The unit's 24/7 incident contact (recorded at go-live); null without a connection or before go-live" })
  incidentContact: IncidentContactView | null;
  @ApiProperty({ type: [EvidenceItemView] }) evidence: EvidenceItemView[];
}
