import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, FindOptionsWhere, IsNull, Not } from 'typeorm';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { AlertDeliveryService } from './alert-delivery.service.js';
import { enqueueAlert } from './alert-outbox.js';
import { ConnectionSuspensionService } from './connection-suspension.service.js';
import { IncidentEvidence } from './entities/incident-evidence.entity.js';
import { Incident, IncidentSource, Severity, SEVERITIES } from './entities/incident.entity.js';
import { sealEvidence, sha256Hex } from './evidence.js';
import { IncidentDeadlines, incidentDeadlines } from './incident-deadlines.js';
import { REASON_CODE_PATTERN } from './reason-codes.js';
import { SecurityError } from './security-errors.js';

/** The response steps after classification, and the column each one stamps. */
export const INCIDENT_STEPS = {
  REPORTED_TO_AUTHORITY: 'reportedAt',
  OFFICIAL_REPORT_SENT: 'officialReportAt',
  REVIEW_WRITTEN: 'reviewAt',
  CLOSED: 'closedAt',
} as const satisfies Record<string, keyof Incident>;
export type IncidentStep = keyof typeof INCIDENT_STEPS;

export interface IncidentView extends Incident {
  deadlines: IncidentDeadlines;
  /** A step is overdue when it is not done, its deadline has passed and the incident is open. */
  overdue: { classification: boolean; reportToAuthority: boolean; officialReport: boolean; review: boolean };
  isOverdue: boolean;
}

export interface OpenIncidentInput {
  connectionId: string | null;
  reasonCode: string;
  summary: string;
  actor: string;
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

  /** Stamps a response step as done (at `at`, default now). A step is stamped once. */
  async markStep(incidentId: string, step: IncidentStep, at: Date = new Date()): Promise<Incident> {
    const column = INCIDENT_STEPS[step];
    if (!column) throw SecurityError.invalid('INVALID_STEP', `Step must be one of ${Object.keys(INCIDENT_STEPS).join(', ')}`);
    const incident = await this.find(incidentId);
    if (incident[column]) throw SecurityError.conflict('STEP_ALREADY_DONE', `${step} was already recorded at ${incident[column]!.toISOString()}`);
    if (step === 'CLOSED' && !incident.classifiedAt) throw SecurityError.conflict('NOT_CLASSIFIED', 'Classify the incident before closing it');
    await this.db.getRepository(Incident).update({ id: incidentId }, { [column]: at });
    return this.find(incidentId);
  }

  /** Adds evidence to an incident; like the first, it can never be altered. */
  async addEvidence(incidentId: string, kind: string, content: unknown, actor: string): Promise<EvidenceView> {
    await this.find(incidentId);
    const sealed = sealEvidence(content);
    const row = await this.db.getRepository(IncidentEvidence).save({ incidentId, kind, ...sealed, recordedBy: actor.slice(0, 200) });
    return this.evidenceView(row);
  }

  async get(incidentId: string, now: Date = new Date()): Promise<IncidentView> {
    return this.view(await this.find(incidentId), now);
  }

  /** Incidents, latest first, each with its deadlines and overdue flags as of `now`. */
  async list(
    filter: { open?: boolean; connectionId?: string; overdueOnly?: boolean; limit?: number } = {},
    now: Date = new Date(),
  ): Promise<IncidentView[]> {
    const where: FindOptionsWhere<Incident> = {};
    if (filter.connectionId) where.connectionId = filter.connectionId;
    if (filter.open === true) where.closedAt = IsNull();
    if (filter.open === false) where.closedAt = Not(IsNull());
    const rows = await this.db.getRepository(Incident).find({ where, order: { openedAt: 'DESC' }, take: Math.min(filter.limit ?? 200, 1000) });
    const views = rows.map((row) => this.view(row, now));
    return filter.overdueOnly ? views.filter((v) => v.isOverdue) : views;
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
    const incident = await manager.save(
      manager.create(Incident, {
        connectionId: input.connectionId,
        source,
        reasonCode: input.reasonCode,
        severity: null,
        summary: input.summary.trim(),
        openedBy: input.actor.slice(0, 200),
        openedAt: new Date(),
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
    const deadlines = incidentDeadlines(incident.openedAt, this.config.TIMEZONE);
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
    const deadlines = incidentDeadlines(incident.openedAt, this.config.TIMEZONE);
    const open = !incident.closedAt;
    const late = (done: Date | null, due: Date) => open && !done && now.getTime() > due.getTime();
    const overdue = {
      classification: late(incident.classifiedAt, deadlines.classification),
      reportToAuthority: late(incident.reportedAt, deadlines.reportToAuthority),
      officialReport: late(incident.officialReportAt, deadlines.officialReport),
      review: late(incident.reviewAt, deadlines.review),
    };
    return { ...incident, deadlines, overdue, isOverdue: Object.values(overdue).some(Boolean) };
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
