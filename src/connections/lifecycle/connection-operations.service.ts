import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../../accounts/actor.js';
import { Role } from '../../accounts/roles.js';
import { ClientCertificatesService } from '../../pki/client-certificates.service.js';
import { Connection } from '../connection.entity.js';
import type { MaintenanceMinutesDto, ReEvaluationDto } from '../dto/lifecycle.dto.js';
import { ConnectionLifecycleService } from './connection-lifecycle.service.js';

/** Step 7 and the end of life: re-evaluation, maintenance minutes, termination, and what DTD watches. */
@Injectable()
export class ConnectionOperationsService {
  constructor(
    private readonly lifecycle: ConnectionLifecycleService,
    private readonly certificates: ClientCertificatesService,
    private readonly db: DataSource,
  ) {}

  reEvaluate(actor: Actor, id: string, body: ReEvaluationDto): Promise<Connection> {
    return this.lifecycle.run(actor, id, null, 'reEvaluate', body.findings, (connection) => {
      const previousDue = connection.reEvaluationDue;
      const next = new Date();
      next.setUTCFullYear(next.getUTCFullYear() + 1);
      connection.reEvaluationDue = next.toISOString().slice(0, 10);
      return {
        changes: { outcome: body.outcome, previousDue, reEvaluationDue: connection.reEvaluationDue },
        notice: { kind: 'RE_EVALUATED', message: `Re-evaluation recorded (${body.outcome}); the next one is due by ${connection.reEvaluationDue}`, data: { outcome: body.outcome } },
      };
    });
  }

  async recordMaintenance(actor: Actor, id: string, body: MaintenanceMinutesDto): Promise<Connection> {
    if (body.documentId) await this.lifecycle.documents.assertUsableBy(actor, body.documentId, 'documentId');
    return this.lifecycle.run(actor, id, null, 'maintenanceMinutes', null, () => {
      return { changes: { summary: body.summary, documentId: body.documentId ?? null } };
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
  async list(actor: Actor, filter: { state?: string; reEvaluationOverdue?: boolean }): Promise<Connection[]> {
    const query = this.db.getRepository(Connection).createQueryBuilder('c').orderBy('c.createdAt', 'ASC');
    if (actor.role === Role.UNIT_ADMIN) query.andWhere('c.ownerUnit = :unit', { unit: actor.unit });
    if (filter.state) query.andWhere('c.state = :state', { state: filter.state });
    if (filter.reEvaluationOverdue) query.andWhere("c.reEvaluationDue < current_date AND c.state IN ('LIVE', 'SUSPENDED')");
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
