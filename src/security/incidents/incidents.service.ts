import type { PageWindow } from '../../shared/http/paging.js';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../calendar/clock.js';
import { DataSource, EntityManager, FindOptionsWhere, In, IsNull, Not } from 'typeorm';
import { WorkingCalendarService } from '../../calendar/working-calendar.service.js';
import { GatewayConfig } from '../../shared/config/gateway-config.js';
import { AlertDeliveryService } from '../alerts/alert-delivery.service.js';
import { enqueueAlert } from '../alerts/alert-outbox.js';
import { ConnectionSuspensionService } from '../suspension/connection-suspension.service.js';
import { IncidentEvidence } from './incident-evidence.entity.js';
import { Incident, IncidentSource, IncidentStepDocument, Severity, SEVERITIES } from './incident.entity.js';
import { sealEvidence, sha256Hex } from './evidence.js';
import { IncidentDeadlines, incidentDeadlines, UNIT_NOTICE_HOURS, unitReportDue } from './incident-deadlines.js';
import { REASON_CODE_PATTERN } from '../reason-codes.js';
import { SecurityError } from '../security-errors.js';

/** The response steps after classification, in the order they are taken, and the column each one stamps. */
export const INCIDENT_STEPS = {
  REPORTED_TO_AUTHORITY: 'reportedAt',
  OFFICIAL_REPORT_SENT: 'officialReportAt',
  REVIEW_WRITTEN: 'reviewAt',
  CLOSED: 'closedAt',
} as const satisfies Record<string, keyof Incident>;
export type IncidentStep = keyof typeof INCIDENT_STEPS;

/** The steps done by sending a document (App. III.III step 5, step 7), and the column that keeps it. */
export const STEP_DOCUMENTS = {
  REPORTED_TO_AUTHORITY: 'reportDocument',
  OFFICIAL_REPORT_SENT: 'officialReportDocument',
  REVIEW_WRITTEN: 'reviewDocument',
} as const satisfies Partial<Record<IncidentStep, keyof Incident>>;


export interface IncidentView extends Incident {
  deadlines: IncidentDeadlines;
  /** A step is overdue when it is not done, its deadline has passed and the incident is open. */
  overdue: { classification: boolean; reportToAuthority: boolean; officialReport: boolean; review: boolean };
  isOverdue: boolean;
  /** IV.5.d, for an incident the unit reported: did its notice come within 2 hours of detection? */
  unitNotice: { detectedAt: Date; notifiedAt: Date; minutesAfterDetection: number; withinTwoHours: boolean } | null;
  /** IV.5.d, for an incident the unit reported: its official report, due 24 hours after detection. */
  unitReport: { due: Date; filedAt: Date | null; document: IncidentStepDocument | null; onTime: boolean | null; overdue: boolean } | null;
}

export interface OpenIncidentInput {
  connectionId: string | null;
  reasonCode: string;
  summary: string;
  actor: string;
  /** When the incident was detected; defaults to its opening. */
  detectedAt?: Date;
  /** Kept unaltered with the incident (hashed); e.g. the unit's report or the calls seen. */
  evidence?: { kind: string; content: unknown };
}

export interface EvidenceView {
  id: string;
  kind: string;
  content: unknown;
  sha256: string;
  /** The stored text still hashes to the stored SHA-256. */
  intact: boolean;
  recordedBy: string;
  recordedAt: Date;
}

/**
 * Security incidents (Appendix III.III): opened by the detector, by a security officer or from a
 * connected unit's own report (IV.5.d); classified; each response step stamped; listed with the
 * deadlines that are overdue. Opening an incident queues an alert in the same transaction.
 * Free of HTTP concerns: the control plane calls it and maps SecurityError to a status.
 */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly db: DataSource,
    private readonly config: GatewayConfig,
    private readonly suspensions: ConnectionSuspensionService,
    private readonly alerts: AlertDeliveryService,
    private readonly calendars: WorkingCalendarService,
    private readonly clock: Clock,
  ) {}

  /**
   * The detector's path: suspend the connection and open an incident with the calls that tripped
   * it, atomically. Null when the connection was already suspended (another request or instance
   * got there first): one incident per cut-off.
   */
  async openFromDetector(input: { connectionId: string; reasonCode: string; summary: string; evidence: unknown }): Promise<Incident | null> {
    return this.openWithSuspension('DETECTOR', { ...input, actor: 'detector', evidence: { kind: 'requests', content: input.evidence } }, true);
  }

  /**
   * IV.5.d: a unit reports an attack, a leak or lost credentials. Its connection is suspended at
   * once (if it was not already) and the incident is opened with the report as evidence.
   */
  async openFromUnitReport(input: OpenIncidentInput & { connectionId: string }): Promise<Incident> {
    return (await this.openWithSuspension('UNIT_REPORT', input, false))!;
  }

  /** A security officer opens an incident, and cuts the connection off too when `suspend` is set. */
  async openManual(input: OpenIncidentInput & { severity?: Severity; suspend?: boolean }): Promise<Incident> {
    if (input.suspend) {
      if (!input.connectionId) throw SecurityError.invalid('CONNECTION_REQUIRED', 'Suspending needs a connection');
      const incident = (await this.openWithSuspension('SECURITY_OFFICER', input, false))!;
      return input.severity ? this.classify(incident.id, input.severity) : incident;
    }
    const incident = await this.db.transaction((manager) => this.insertIncident(manager, 'SECURITY_OFFICER', input, false));
    this.alerts.kick();
    return input.severity ? this.classify(incident.id, input.severity) : incident;
  }

  /** Step 2: the initial assessment. Re-classifying later is allowed; the first time is kept. */
  async classify(incidentId: string, severity: Severity): Promise<Incident> {
    if (!SEVERITIES.includes(severity)) throw SecurityError.invalid('INVALID_SEVERITY', `Severity must be one of ${SEVERITIES.join(', ')}`);
    const incident = await this.find(incidentId);
    await this.db.getRepository(Incident).update({ id: incidentId }, { severity, classifiedAt: incident.classifiedAt ?? new Date() });
    return this.find(incidentId);
  }

  /**
   * Stamps a response step as done (at `at`, default now). A step is stamped once, and in the
   * order of Appendix III.III: classified (step 2) first, then reported to the competent authority
   * and the official document (step 5), the review (step 7), and only then closed. Out of order is
   * a 409 naming the step that may come next. Under a row lock: two officers stamping at once
   * cannot both pass the check.
   */
  async markStep(incidentId: string, step: IncidentStep, document: IncidentStepDocument | null, at: Date = this.clock.now()): Promise<Incident> {
    const column = INCIDENT_STEPS[step];
    if (!column) throw SecurityError.invalid('INVALID_STEP', `Step must be one of ${Object.keys(INCIDENT_STEPS).join(', ')}`);
    const documentColumn = STEP_DOCUMENTS[step as keyof typeof STEP_DOCUMENTS];
    // Each report is a document sent to someone, not only a time (App. III.III).
    if (documentColumn && !document) throw SecurityError.invalid('STEP_DOCUMENT_REQUIRED', `${step} is recorded with its document: number, date, recipient and documentId`);
    await this.db.transaction(async (manager) => {
      const incident = await manager.findOne(Incident, { where: { id: incidentId }, lock: { mode: 'pessimistic_write' } });
      if (!incident) throw SecurityError.notFound('INCIDENT_NOT_FOUND', `No incident ${incidentId}`);
      if (incident[column]) throw SecurityError.conflict('STEP_ALREADY_DONE', `${step} was already recorded at ${incident[column]!.toISOString()}`);
      if (!incident.classifiedAt) {
        throw SecurityError.conflict('NOT_CLASSIFIED', `Classify the incident before recording ${step}; the next step is its classification (POST …/classification)`);
      }
      const next = (Object.keys(INCIDENT_STEPS) as IncidentStep[]).find((s) => !incident[INCIDENT_STEPS[s]]);
      if (step !== next) throw SecurityError.conflict('STEP_OUT_OF_ORDER', `Cannot record ${step} yet: the next step is ${next}`);
      await manager.update(Incident, { id: incidentId }, { [column]: at, ...(documentColumn ? { [documentColumn]: { ...document! } } : {}) });
    });
    return this.find(incidentId);
  }

  /**
   * IV.5.d: the unit's own official report on an incident it reported, filed once (the document
   * it was sent as), kept as sealed evidence too. Late is recorded as late, not refused: the
   * view says whether it came within 24 hours of detection.
   */
  async fileUnitReport(connectionId: string, incidentId: string, document: IncidentStepDocument, actor: string): Promise<Incident> {
    // The officer on duty is told it came by an alert in the same transaction, as when the incident was opened.
    await this.db.transaction(async (manager) => {
      const incident = await manager.findOne(Incident, { where: { id: incidentId, connectionId }, lock: { mode: 'pessimistic_write' } });
      if (!incident) throw SecurityError.notFound('INCIDENT_NOT_FOUND', 'No such incident on this connection');
      if (incident.source !== 'UNIT_REPORT') {
        throw SecurityError.conflict('NOT_A_UNIT_REPORT', 'Only an incident the unit reported (POST …/incident-reports) takes its official report; this one was opened by the DTD');
      }
      if (incident.unitReportAt) throw SecurityError.conflict('UNIT_REPORT_ALREADY_FILED', `The official report was filed at ${incident.unitReportAt.toISOString()}`);
      const filedAt = this.clock.now();
      await manager.update(Incident, { id: incidentId }, { unitReportAt: filedAt, unitReportDocument: { ...document } });
      const sealed = sealEvidence({ ...document, filedAt: filedAt.toISOString(), filedBy: actor });
      await manager.insert(IncidentEvidence, { incidentId, kind: 'unit-official-report', ...sealed, recordedBy: actor.slice(0, 200) });
      await enqueueAlert(manager, {
        kind: 'UNIT_INCIDENT_REPORT_FILED',
        incidentId,
        body: {
          incident: { id: incidentId, connectionId, reasonCode: incident.reasonCode, summary: incident.summary },
          document: { number: document.number, date: document.date, recipient: document.recipient },
          filedAt: filedAt.toISOString(),
          onTime: filedAt.getTime() <= unitReportDue(incident).getTime(),
          filedBy: actor,
        },
      });
    });
    this.alerts.kick();
    return this.find(incidentId);
  }

  /** Adds evidence to an incident; like the first, it can never be altered. */
  async addEvidence(incidentId: string, kind: string, content: unknown, actor: string): Promise<EvidenceView> {
    await this.find(incidentId);
    const sealed = sealEvidence(content);
    const row = await this.db.getRepository(IncidentEvidence).save({ incidentId, kind, ...sealed, recordedBy: actor.slice(0, 200) });
    return this.evidenceView(row);
  }

  async get(incidentId: string, now: Date = this.clock.now()): Promise<IncidentView> {
    return this.view(await this.find(incidentId), now);
  }

  /** Incidents, latest first, each with its deadlines and overdue flags as of `now`. */
  async list(
    filter: { open?: boolean; connectionId?: string; ids?: string[]; overdueOnly?: boolean; limit?: number; page?: PageWindow } = {},
    now: Date = this.clock.now(),
  ): Promise<IncidentView[]> {
    const where: FindOptionsWhere<Incident> = {};
    if (filter.connectionId) where.connectionId = filter.connectionId;
    if (filter.ids) where.id = In(filter.ids);
    if (filter.open === true || filter.overdueOnly) where.closedAt = IsNull();
    if (filter.open === false) where.closedAt = Not(IsNull());
    // Overdue is reckoned by the working calendar, not in SQL: that filter pages the (open) rows in memory.
    const inSql = filter.page && !filter.overdueOnly ? filter.page : { take: Math.min(filter.limit ?? 1000, 1000) };
    const rows = await this.db.getRepository(Incident).find({ where, order: { openedAt: 'DESC', id: 'ASC' }, ...inSql });
    const views = rows.map((row) => this.view(row, now));
    if (!filter.overdueOnly) return views;
    const overdue = views.filter((v) => v.isOverdue);
    return filter.page ? overdue.slice(filter.page.skip, filter.page.skip + filter.page.take) : overdue;
  }

  /** The evidence of an incident, each item re-hashed to show it is intact. */
  async evidence(incidentId: string): Promise<EvidenceView[]> {
    const rows = await this.db.getRepository(IncidentEvidence).find({ where: { incidentId }, order: { recordedAt: 'ASC' } });
    return rows.map((row) => this.evidenceView(row));
  }

  private async openWithSuspension(source: IncidentSource, input: OpenIncidentInput & { connectionId: string | null }, skipIfSuspended: boolean): Promise<Incident | null> {
    let suspended = false;
    const incident = await this.db.transaction(async (manager) => {
      const created = await this.insertIncident(manager, source, input, true);
      const outcome = await this.suspensions.suspendWithin(manager, input.connectionId!, input.reasonCode, input.actor, created.id);
      if (!outcome.suspended && skipIfSuspended) {
        // Roll back the incident: the connection was cut off already, by an earlier trip.
        throw new AlreadySuspended();
      }
      suspended = outcome.suspended;
      return created;
    }).catch((error) => {
      if (error instanceof AlreadySuspended) return null;
      throw error;
    });
    if (suspended) await this.suspensions.announceSuspension(input.connectionId!, input.reasonCode, input.actor);
    if (incident) this.alerts.kick();
    return incident;
  }

  private async insertIncident(manager: EntityManager, source: IncidentSource, input: OpenIncidentInput, suspends: boolean): Promise<Incident> {
    if (!REASON_CODE_PATTERN.test(input.reasonCode)) throw SecurityError.invalid('INVALID_REASON_CODE', `Reason code must match ${REASON_CODE_PATTERN}`);
    if (!input.summary?.trim()) throw SecurityError.invalid('SUMMARY_REQUIRED', 'An incident needs a summary');
    const openedAt = this.clock.now();
    const incident = await manager.save(
      manager.create(Incident, {
        connectionId: input.connectionId,
        source,
        reasonCode: input.reasonCode,
        severity: null,
        summary: input.summary.trim(),
        openedBy: input.actor.slice(0, 200),
        openedAt,
        detectedAt: input.detectedAt ?? openedAt,
        classifiedAt: null,
        reportedAt: null,
        officialReportAt: null,
        reviewAt: null,
        closedAt: null,
      }),
    );
    let evidenceSha256: string | null = null;
    if (input.evidence !== undefined) {
      const sealed = sealEvidence(input.evidence.content);
      await manager.insert(IncidentEvidence, { incidentId: incident.id, kind: input.evidence.kind, ...sealed, recordedBy: input.actor.slice(0, 200) });
      evidenceSha256 = sealed.sha256;
    }
    const deadlines = incidentDeadlines(incident.openedAt, this.calendars.calendar());
    await enqueueAlert(manager, {
      kind: 'INCIDENT_OPENED',
      incidentId: incident.id,
      body: {
        incident: {
          id: incident.id,
          connectionId: incident.connectionId,
          source,
          reasonCode: incident.reasonCode,
          summary: incident.summary,
          openedAt: incident.openedAt.toISOString(),
          detectedAt: incident.detectedAt?.toISOString() ?? null,
          classificationDue: deadlines.classification.toISOString(),
        },
        connectionSuspended: suspends,
        evidenceSha256,
      },
    });
    return incident;
  }

  private async find(incidentId: string): Promise<Incident> {
    const incident = await this.db.getRepository(Incident).findOneBy({ id: incidentId });
    if (!incident) throw SecurityError.notFound('INCIDENT_NOT_FOUND', `No incident ${incidentId}`);
    return incident;
  }

  private view(incident: Incident, now: Date): IncidentView {
    const deadlines = incidentDeadlines(incident.openedAt, this.calendars.calendar());
    const open = !incident.closedAt;
    const late = (done: Date | null, due: Date) => open && !done && now.getTime() > due.getTime();
    const overdue = {
      classification: late(incident.classifiedAt, deadlines.classification),
      reportToAuthority: late(incident.reportedAt, deadlines.reportToAuthority),
      officialReport: late(incident.officialReportAt, deadlines.officialReport),
      review: late(incident.reviewAt, deadlines.review),
    };
    const unitNotice =
      incident.source === 'UNIT_REPORT' && incident.detectedAt
        ? {
            detectedAt: incident.detectedAt,
            notifiedAt: incident.openedAt,
            minutesAfterDetection: Math.floor((incident.openedAt.getTime() - incident.detectedAt.getTime()) / 60_000),
            withinTwoHours: incident.openedAt.getTime() - incident.detectedAt.getTime() <= UNIT_NOTICE_HOURS * 3_600_000,
          }
        : null;
    const reportDue = unitNotice && unitReportDue(incident);
    const unitReport = reportDue && {
      due: reportDue,
      filedAt: incident.unitReportAt,
      document: incident.unitReportDocument,
      onTime: incident.unitReportAt ? incident.unitReportAt.getTime() <= reportDue.getTime() : null,
      overdue: !incident.unitReportAt && now.getTime() > reportDue.getTime(),
    };
    return { ...incident, deadlines, overdue, isOverdue: Object.values(overdue).some(Boolean), unitNotice, unitReport };
  }

  private evidenceView(row: IncidentEvidence): EvidenceView {
    return {
      id: row.id,
      kind: row.kind,
      content: JSON.parse(row.content),
      sha256: row.sha256,
      intact: sha256Hex(row.content) === row.sha256,
      recordedBy: row.recordedBy,
      recordedAt: row.recordedAt,
    };
  }
}

class AlreadySuspended extends Error {}
