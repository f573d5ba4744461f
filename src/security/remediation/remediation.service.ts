import type { PageWindow } from '../../shared/http/paging.js';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../calendar/clock.js';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { Actor } from '../../accounts/actor.js';
import { ConnectionState, nextState } from '../../connections/connection-lifecycle.js';
import type { Connection } from '../../connections/connection.entity.js';
import { ConnectionLifecycleService } from '../../connections/lifecycle/connection-lifecycle.service.js';
import { personOf } from '../../connections/lifecycle/connection-transition.js';
import { ApiError } from '../../shared/errors/api-error.js';
import { ConnectionSuspensionService } from '../suspension/connection-suspension.service.js';
import { SecurityEventsBus } from '../security-events.bus.js';
import { RemediationReport } from './remediation-report.entity.js';
import type { RemediationDecisionDto, SubmitRemediationReportDto } from './remediation.dto.js';

const RESTORE_WITHIN_MS = 24 * 3600 * 1000;

/** How a person is named in the remediation records: the username, and the assistant's under delegation. */
const signatureOf = (actor: Actor) => `${actor.username}${actor.assistant ? ` (by ${actor.assistant.username})` : ''}`;

/**
 * Cut-off and the way back (IV.5.b-c): a security officer's manual suspension, the unit's
 * remediation report, DTD's decision — written recommendations, or acceptance, a re-test against
 * test data and restoration within 24 hours — and the officer's recorded override. Every step goes
 * through the lifecycle's state table and history.
 */
@Injectable()
export class RemediationService {
  constructor(
    private readonly db: DataSource,
    private readonly lifecycle: ConnectionLifecycleService,
    private readonly suspensions: ConnectionSuspensionService,
    private readonly events: SecurityEventsBus,
    private readonly clock: Clock,
  ) {}

  /** The officer's cut-off: the same transition, record and notice as the detector's, named after the officer. */
  async suspend(actor: Actor, connectionId: string, reasonCode: string, reason: string): Promise<Connection> {
    // A 409 naming the state, as for every other step (suspendWithin checks again under lock).
    nextState('suspend', (await this.lifecycle.visible(actor, connectionId)).state);
    const outcome = await this.suspensions.suspend(connectionId, reasonCode, signatureOf(actor), null, { actor: personOf(actor), reason });
    if (!outcome.suspended) throw ApiError.conflict('ILLEGAL_TRANSITION', 'The connection was suspended meanwhile');
    return this.lifecycle.visible(actor, connectionId);
  }

  async submit(actor: Actor, connectionId: string, body: SubmitRemediationReportDto): Promise<RemediationReport> {
    await this.lifecycle.documents.assertUsableBy(actor, body.confirmationDocumentId, 'confirmationDocumentId');
    let report!: RemediationReport;
    await this.lifecycle.run(actor, connectionId, null, 'remediationReport', body.cause, async (connection, manager) => {
      if (connection.state !== ConnectionState.SUSPENDED) {
        throw ApiError.conflict('ILLEGAL_TRANSITION', `A remediation report is filed for a SUSPENDED connection; this one is ${connection.state}`);
      }
      if (await manager.existsBy(RemediationReport, { connectionId, status: 'SUBMITTED' })) {
        throw ApiError.conflict('REPORT_PENDING', 'A remediation report is already waiting for a decision');
      }
      report = await manager.save(manager.create(RemediationReport, { ...body, connectionId, status: 'SUBMITTED', submittedBy: signatureOf(actor) }));
      return { changes: { remediationReportId: report.id } };
    });
    return report;
  }

  /** DTD's answer: recommendations (stays suspended) or acceptance (re-test, restore within 24 h). */
  async decide(actor: Actor, reportId: string, body: RemediationDecisionDto): Promise<RemediationReport> {
    const pending = await this.report(reportId);
    if (pending.status !== 'SUBMITTED') throw ApiError.conflict('ALREADY_DECIDED', `The report is ${pending.status}`);
    const accept = body.decision === 'ACCEPT';
    let decision!: RemediationReport;
    await this.lifecycle.run(actor, pending.connectionId, accept ? 'acceptRemediation' : null, accept ? 'acceptRemediation' : 'remediationRecommendations', body.text, async (_c, manager) => {
      const now = this.clock.now();
      const deadline = new Date(now.getTime() + RESTORE_WITHIN_MS);
      const decided = await manager.update(RemediationReport, { id: reportId, status: 'SUBMITTED' }, {
        status: accept ? 'ACCEPTED' : 'RECOMMENDATIONS',
        decidedBy: signatureOf(actor),
        decidedAt: now,
        decisionText: body.text,
        restoreDeadline: accept ? deadline : null,
      });
      if (!decided.affected) throw ApiError.conflict('ALREADY_DECIDED', 'The report was decided meanwhile');
      decision = await manager.findOneByOrFail(RemediationReport, { id: reportId });
      return {
        changes: { remediationReportId: reportId, decision: body.decision },
        notice: accept
          ? { kind: 'REMEDIATION_ACCEPTED', message: `Remediation accepted: re-test with your test certificate against test data; restoration is due by ${deadline.toISOString()}`, data: { reportId, restoreDeadline: deadline } }
          : { kind: 'REMEDIATION_RECOMMENDATIONS', message: `The connection stays suspended. Recommendations: ${body.text}`, data: { reportId } },
      };
    });
    if (accept) await this.events.publish({ type: 'connection-restored', connectionId: pending.connectionId });
    return decision;
  }

  /** After the re-test: reopen the connection to the state it was suspended from. */
  async restoreAfterRetest(actor: Actor, reportId: string, retestFindings: string): Promise<RemediationReport> {
    const accepted = await this.report(reportId);
    if (accepted.status !== 'ACCEPTED') throw ApiError.conflict('NOT_ACCEPTED', `The report is ${accepted.status}; only an accepted report leads to restoration`);
    const current = await this.lifecycle.visible(actor, accepted.connectionId);
    if (current.state !== ConnectionState.RETESTING) throw ApiError.conflict('ILLEGAL_TRANSITION', `Restore follows the re-test; the connection is ${current.state}`);
    await this.restore(actor, accepted.connectionId, `Kết quả thử nghiệm lại: ${retestFindings}`, async (manager) => {
      await manager.update(RemediationReport, { id: reportId, status: 'ACCEPTED' }, { status: 'RESTORED', restoredAt: new Date() });
    });
    return this.report(reportId);
  }

  /** A security officer's explicit, recorded override: no remediation report needed. */
  override(actor: Actor, connectionId: string, justification: string): Promise<Connection> {
    return this.restore(actor, connectionId, `override: ${justification}`);
  }

  /** Accepted reports not yet restored, flagged when the 24-hour deadline has passed. */
  async awaitingRestoration(now = this.clock.now(), page?: PageWindow) {
    const reports = await this.db.getRepository(RemediationReport).find({ where: { status: 'ACCEPTED', restoredAt: IsNull() }, order: { restoreDeadline: 'ASC', id: 'ASC' }, ...page });
    return reports.map((r) => ({ ...r, overdue: r.restoreDeadline !== null && r.restoreDeadline < now }));
  }

  reportsOf(connectionId: string, page?: PageWindow): Promise<RemediationReport[]> {
    return this.db.getRepository(RemediationReport).find({ where: { connectionId }, order: { submittedAt: 'ASC', id: 'ASC' }, ...page });
  }

  async report(id: string): Promise<RemediationReport> {
    const report = await this.db.getRepository(RemediationReport).findOneBy({ id });
    if (!report) throw ApiError.notFound('No such remediation report');
    return report;
  }

  private async restore(actor: Actor, connectionId: string, justification: string, extra?: (m: EntityManager) => Promise<void>): Promise<Connection> {
    const connection = await this.lifecycle.run(actor, connectionId, 'restore', 'restore', justification, async (c, manager) => {
      const deadline = await manager.findOne(RemediationReport, { where: { connectionId, status: 'ACCEPTED' } });
      await this.suspensions.closeSuspensions(manager, c.id, signatureOf(actor), justification);
      await extra?.(manager);
      const late = deadline?.restoreDeadline && deadline.restoreDeadline < this.clock.now();
      return {
        changes: { justification },
        notice: { kind: 'RESTORED', message: `The connection is restored${late ? ' (after the 24-hour deadline)' : ''}.`, data: { late: Boolean(late) } },
      };
    });
    await this.events.publish({ type: 'connection-restored', connectionId });
    return connection;
  }
}
