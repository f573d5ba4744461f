import { isUUID } from 'class-validator';
import type { PageWindow } from '../../shared/http/paging.js';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../../accounts/actor.js';
import { Role } from '../../accounts/roles.js';
import { ClientCertificatesService } from '../../pki/client-certificates.service.js';
import { Clock } from '../../calendar/clock.js';
import { DTD_INBOX, NotificationsService } from '../../notifications/notifications.service.js';
import { ConnectionSuspensionService } from '../../security/suspension/connection-suspension.service.js';
import { ApiError } from '../../shared/errors/api-error.js';
import { Connection } from '../connection.entity.js';
import type { MaintenanceMinutesDto, ReEvaluationDto, SubmitAssessmentDossierDto } from '../dto/lifecycle.dto.js';
import { ConnectionLifecycleService } from './connection-lifecycle.service.js';
import { applyTransition, personOf } from './connection-transition.js';

/** The reason code a connected system is shown when a re-evaluation suspended it (step 7). */
export const RE_EVALUATION_SUSPENSION = 'RE_EVALUATION_CONDITIONS_NOT_MET';

/** Step 7 and the end of life: re-evaluation, maintenance minutes, termination, and what DTD watches. */
@Injectable()
export class ConnectionOperationsService {
  constructor(
    private readonly lifecycle: ConnectionLifecycleService,
    private readonly certificates: ClientCertificatesService,
    private readonly db: DataSource,
    private readonly suspensions: ConnectionSuspensionService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Step 7: the yearly re-evaluation. Conditions not met have the consequence DTD chooses: SUSPEND
   * cuts the connection off now (through the suspension service, so the state table, the
   * suspension record and every instance's cache follow), DEADLINE gives the unit until a date to
   * fix them, told now and reminded when it comes (RemindersService). Both are in the history:
   * the re-evaluation's event names the consequence, a suspension adds its own event after it.
   */
  async reEvaluate(actor: Actor, id: string, body: ReEvaluationDto): Promise<Connection> {
    const notMet = body.outcome === 'CONDITIONS_NOT_MET';
    const today = this.clock.today();
    const problem = !notMet && body.consequence
      ? { field: 'consequence', problem: 'is only for a re-evaluation whose conditions are not met' }
      : body.consequence !== 'DEADLINE' && body.remedyDeadline
        ? { field: 'remedyDeadline', problem: 'is only for the DEADLINE consequence' }
        : body.consequence === 'DEADLINE' && body.remedyDeadline! <= today
          ? { field: 'remedyDeadline', problem: `must be after today (${today} in ${this.clock.timeZone})` }
          : null;
    if (problem) throw ApiError.badRequest('Invalid re-evaluation', [problem]);
    const suspend = body.consequence === 'SUSPEND';
    let suspended = false;
    await this.db.transaction(async (manager) => {
      const connection = await this.lifecycle.visible(actor, id, manager, true);
      const previousDue = connection.reEvaluationDue;
      // A year after today in TIMEZONE (29 February rolls to 1 March), on the gateway's Clock.
      const [year, month, day] = this.clock.today().split('-').map(Number);
      connection.reEvaluationDue = new Date(Date.UTC(year + 1, month - 1, day)).toISOString().slice(0, 10);
      connection.remedyDeadline = body.consequence === 'DEADLINE'
        ? { due: body.remedyDeadline!, findings: body.findings, setAt: new Date().toISOString(), setBy: actor.username }
        : null;
      const consequence = notMet ? { consequence: body.consequence, remedyDeadline: body.remedyDeadline ?? null } : {};
      await applyTransition(manager, connection, {
        action: null,
        eventName: 'reEvaluate',
        actor: personOf(actor),
        reason: body.findings,
        changes: { outcome: body.outcome, ...consequence, previousDue, reEvaluationDue: connection.reEvaluationDue },
      });
      const then = body.consequence === 'DEADLINE' ? `; the conditions must be met by ${body.remedyDeadline}` : suspend ? '; the connection is suspended' : '';
      await this.notifications.notify(manager, connection.ownerUnit, connection.id, 'RE_EVALUATED',
        `Re-evaluation recorded (${body.outcome})${then}. The next one is due by ${connection.reEvaluationDue}`, { outcome: body.outcome, ...consequence });
      if (suspend) {
        const outcome = await this.suspensions.suspendWithin(manager, id, RE_EVALUATION_SUSPENSION, actor.username, null, { actor: personOf(actor), reason: body.findings });
        suspended = outcome.suspended;
      }
    });
    if (suspended) await this.suspensions.announceSuspension(id, RE_EVALUATION_SUSPENSION, actor.username);
    return this.lifecycle.visible(actor, id);
  }

  /**
   * Step 7's minutes and IV.5.e's records (MaintenanceMinutesDto says which), kept in the history
   * for inspection. A demand for the annual assessment dossier is also sent to the unit's inbox.
   */
  async recordMaintenance(actor: Actor, id: string, body: MaintenanceMinutesDto): Promise<Connection> {
    const kind = body.kind ?? 'MAINTENANCE';
    const today = this.clock.today();
    const problems: Array<{ field: string; problem: string }> = [];
    if (kind === 'ASSESSMENT_REQUESTED' && body.dueDate === undefined) problems.push({ field: 'dueDate', problem: 'is required for ASSESSMENT_REQUESTED: the date the dossier is due' });
    else if (kind !== 'ASSESSMENT_REQUESTED' && body.dueDate !== undefined) problems.push({ field: 'dueDate', problem: 'is only for ASSESSMENT_REQUESTED' });
    else if (body.dueDate !== undefined && body.dueDate <= today) problems.push({ field: 'dueDate', problem: `must be after today (${today} in ${this.clock.timeZone})` });
    if (kind === 'ASSESSMENT_DOSSIER' && !body.documentId) problems.push({ field: 'documentId', problem: 'is required for ASSESSMENT_DOSSIER: the dossier as received' });
    if (problems.length) throw ApiError.badRequest('Invalid minutes', problems);
    if (body.documentId) await this.lifecycle.documents.assertUsableBy(actor, body.documentId, 'documentId');
    return this.lifecycle.run(actor, id, 'recordMaintenance', 'maintenanceMinutes', null, () => ({
      changes: { kind, summary: body.summary, documentId: body.documentId ?? null, ...(body.dueDate ? { dueDate: body.dueDate } : {}) },
      ...(kind === 'ASSESSMENT_REQUESTED'
        ? { notice: { kind: 'SECURITY_ASSESSMENT_REQUESTED' as const, message: `Send the annual security assessment dossier by ${body.dueDate}: ${body.summary}`, data: { due: body.dueDate, summary: body.summary } } }
        : {}),
    }));
  }

  /**
   * IV.5.e, the unit's side: its annual security assessment dossier, sent by the unit itself (asked
   * for by DTD, or of its own accord). Kept in the history as the record DTD would otherwise make
   * on receiving it (`ASSESSMENT_DOSSIER`, among the minutes kept for inspection), with the unit's
   * administrator as the one who sent it, and announced in the DTD's inbox.
   */
  async submitAssessmentDossier(actor: Actor, id: string, body: SubmitAssessmentDossierDto): Promise<Connection> {
    await this.lifecycle.documents.assertUsableBy(actor, body.documentId, 'documentId');
    return this.lifecycle.run(actor, id, 'submitAssessmentDossier', 'maintenanceMinutes', null, async (connection, manager) => {
      await this.notifications.notify(manager, DTD_INBOX, connection.id, 'SECURITY_ASSESSMENT_DOSSIER_RECEIVED', `${connection.ownerUnit} sent its annual security assessment dossier: ${body.summary}`, {
        unit: connection.ownerUnit,
        summary: body.summary,
        documentId: body.documentId,
      });
      return { changes: { kind: 'ASSESSMENT_DOSSIER', summary: body.summary, documentId: body.documentId, sentByUnit: true } };
    });
  }

  /** Ends the connection: every certificate revoked at once; the history stays. */
  terminate(actor: Actor, id: string, reason: string): Promise<Connection> {
    return this.lifecycle.run(actor, id, 'terminate', 'terminate', reason, async (connection, manager) => {
      const revoked = await this.certificates.revokeAllOf(connection.id, `connection terminated: ${reason}`, manager);
      connection.pendingCsrs = [];
      return {
        changes: { revokedCertificates: revoked },
        notice: { kind: 'TERMINATED', message: `The connection was terminated and its certificates revoked: ${reason}`, data: { reason } },
      };
    });
  }

  /** Connections visible to the actor, optionally only those whose yearly re-evaluation is overdue. */
  async list(actor: Actor, filter: { q?: string; state?: string; reEvaluationOverdue?: boolean }, page?: PageWindow): Promise<Connection[]> {
    const query = this.db.getRepository(Connection).createQueryBuilder('c').orderBy('c.createdAt', 'ASC').addOrderBy('c.id', 'ASC');
    if (page) query.skip(page.skip).take(page.take);
    if (actor.role === Role.UNIT_ADMIN) query.andWhere('c.ownerUnit = :unit', { unit: actor.unit });
    const q = filter.q?.normalize('NFC').trim();
    if (q && isUUID(q)) query.andWhere('c.id = :id', { id: q.toLowerCase() });
    // Every word somewhere in the name or the unit (stored NFC), with or without Vietnamese marks
    // ("tai chinh" finds "Bộ Tài chính"); %, _ and \ typed are matched as themselves.
    else if (q) {
      folded(q).split(/\s+/).forEach((word, i) => {
        query.andWhere(`lower(translate(c.name || ' ' || c.ownerUnit, :marked, :plain)) LIKE :word${i} ESCAPE '\\'`, {
          marked: MARKED,
          plain: PLAIN,
          [`word${i}`]: `%${word.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`,
        });
      });
    }
    if (filter.state) query.andWhere('c.state = :state', { state: filter.state });
    if (filter.reEvaluationOverdue) query.andWhere("c.reEvaluationDue < :today AND c.state IN ('LIVE', 'SUSPENDED')", { today: this.clock.today() }); // TIMEZONE's today, not the database session's
    return query.getMany();
  }

  /**
   * Step 5's reconciliation report: what the connection exchanged in the test environment —
   * records per data set, refused calls and rejected items, and a sample of records to check.
   */
  async testReconciliation(actor: Actor, id: string) {
    const connection = await this.lifecycle.visible(actor, id);
    const [counts] = await this.db.query(
      `SELECT (SELECT count(*) FROM task_results WHERE environment = 'test' AND updated_by_connection = $1)::int AS "taskResults",
              (SELECT count(*) FROM kpi_results WHERE environment = 'test' AND updated_by_connection = $1)::int AS "kpiResults",
              (SELECT count(*) FROM task_results WHERE environment = 'test' AND updated_by_connection = $1 AND revoked)::int AS "revokedTaskResults",
              (SELECT count(*) FROM kpi_results WHERE environment = 'test' AND updated_by_connection = $1 AND revoked)::int AS "revokedKpiResults"`,
      [connection.id],
    );
    const calls = await this.db.query(
      `SELECT status_code AS "statusCode", coalesce(error_code, '') AS "errorCode", count(*)::int AS count
         FROM audit_entries WHERE connection_id = $1 AND environment = 'test' GROUP BY 1, 2 ORDER BY 1, 2`,
      [connection.id],
    );
    const sampleTasks = await this.db.query(
      `SELECT task_code AS "taskCode", lead_unit AS "leadUnit", result, version, updated_at AS "updatedAt"
         FROM task_results WHERE environment = 'test' AND updated_by_connection = $1 ORDER BY updated_at DESC LIMIT 5`,
      [connection.id],
    );
    const sampleKpis = await this.db.query(
      `SELECT indicator_code AS "indicatorCode", period, reporting_agency AS "reportingAgency", period_result AS "periodResult", version
         FROM kpi_results WHERE environment = 'test' AND updated_by_connection = $1 ORDER BY updated_at DESC LIMIT 5`,
      [connection.id],
    );
    const validationFailures = calls.filter((c: { statusCode: number }) => c.statusCode === 400).reduce((n: number, c: { count: number }) => n + c.count, 0);
    return {
      connectionId: connection.id,
      generatedAt: new Date().toISOString(),
      records: counts,
      calls,
      validationFailures,
      samples: { taskResults: sampleTasks, kpiResults: sampleKpis },
      confirmation: connection.testConfirmation,
    };
  }
}

/**
 * Vietnam's marked letters, both cases, and their plain lower-case letters, for SQL's translate():
 * no extension (unaccent) to install, and lower() in any collation then has only ASCII left to fold.
 */
const VOWELS: Record<string, string> = {
  a: 'àáảãạăằắẳẵặâầấẩẫậ',
  e: 'èéẻẽẹêềếểễệ',
  i: 'ìíỉĩị',
  o: 'òóỏõọôồốổỗộơờớởỡợ',
  u: 'ùúủũụưừứửữự',
  y: 'ỳýỷỹỵ',
  d: 'đ',
};
const PAIRS = Object.entries(VOWELS).flatMap(([plain, marked]) => [...marked].flatMap((m) => [[m, plain], [m.toUpperCase(), plain]]));
const MARKED = PAIRS.map(([m]) => m).join('');
const PLAIN = PAIRS.map(([, p]) => p).join('');

/** A search word as translate() leaves the stored text: marks gone, lower case. */
function folded(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
}
