import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { Clock } from '../../calendar/clock.js';
import { WorkingCalendarService } from '../../calendar/working-calendar.service.js';
import { GatewayConfig } from '../../shared/config/gateway-config.js';
import type { PageWindow } from '../../shared/http/paging.js';
import { REVIEW_DEADLINE_COLORS, type ReviewDeadlineStatus, type ReviewTask, type ReviewTaskView } from './review-queue.views.js';
import { renewedSql } from '../certificate-issuance-states.js';

/**
 * Working days DTD gives itself for each step. The guidance sets no time for them, so these are
 * the gateway's service targets, in one table; the colours follow III.1.đ as task results do.
 */
export const REVIEW_WORKING_DAYS: Partial<Record<ReviewTask, number>> = {
  APPRAISAL: 5,
  AGREEMENT: 5,
  CONFIGURATION: 3,
  TEST_CONFIRMATION: 5,
  GO_LIVE: 3,
  // IV.5.c gives DTD 24 hours to restore once the unit's system meets the standard: one working
  // day to decide on the report keeps that within reach.
  REMEDIATION_DECISION: 1,
};

/** A restoration's 24 hours turn yellow for their last hours, not DUE_SOON_DAYS ahead (always). */
const RESTORATION_DUE_SOON_HOURS = 4;

/** A re-evaluation or a certificate's end shows this many days ahead. */
export const REVIEW_HORIZON_DAYS = 30;

interface Row {
  task: ReviewTask;
  connectionId: string;
  connectionName: string;
  ownerUnit: string;
  state: ReviewTaskView['state'];
  since: Date;
  dateDue: string | null;
  instantDue: Date | null;
  certificateId: string | null;
}

@Injectable()
export class ReviewQueueService {
  constructor(
    private readonly db: DataSource,
    private readonly calendars: WorkingCalendarService,
    private readonly clock: Clock,
    private readonly config: GatewayConfig,
  ) {}

  /**
   * One SQL list (oldest waiting first), so that paging works over 10,000 connections; the
   * working-day deadline of each row on the page is reckoned from the calendar afterwards.
   */
  async list(filter: { task?: ReviewTask }, page: PageWindow): Promise<ReviewTaskView[]> {
    const today = this.clock.today();
    // When the connection entered its state: the last event that moved it there.
    const entered = `coalesce((SELECT max(e.occurred_at) FROM connection_events e
                       WHERE e.connection_id = c.id AND e.to_state = c.state AND e.from_state IS DISTINCT FROM e.to_state), c.updated_at)`;
    const base = `c.id AS "connectionId", c.name AS "connectionName", c.owner_unit AS "ownerUnit", c.state AS state`;
    const sql = `SELECT * FROM (
        SELECT 'APPRAISAL' AS task, ${base}, ${entered} AS since, NULL::date AS "dateDue", NULL::timestamptz AS "instantDue", NULL::uuid AS "certificateId"
          FROM connections c WHERE c.state = 'SUBMITTED'
        UNION ALL
        SELECT 'AGREEMENT', ${base}, ${entered}, NULL, NULL, NULL FROM connections c WHERE c.state = 'APPROVED'
        UNION ALL
        SELECT 'CONFIGURATION', ${base},
               (SELECT min((p->>'submittedAt')::timestamptz) FROM jsonb_array_elements(c.pending_csrs) p WHERE p->>'environment' = 'test'), NULL, NULL, NULL
          FROM connections c WHERE c.state = 'AGREEMENT_SIGNED' AND c.pending_csrs @> '[{"environment":"test"}]'
        UNION ALL
        SELECT 'TEST_CONFIRMATION', ${base}, ${entered}, NULL, NULL, NULL
          FROM connections c WHERE c.state = 'TESTING' AND (c.test_confirmation IS NULL OR c.test_confirmation->>'dtdConfirmedAt' IS NULL)
        UNION ALL
        SELECT 'GO_LIVE', ${base}, ${entered}, NULL, NULL, NULL FROM connections c WHERE c.state = 'TEST_PASSED'
        UNION ALL
        SELECT 'RE_EVALUATION', ${base}, ${entered}, c.re_evaluation_due, NULL, NULL
          FROM connections c WHERE c.state = 'LIVE' AND c.re_evaluation_due <= $1::date + ${REVIEW_HORIZON_DAYS}
        UNION ALL
        SELECT 'REMEDIATION_DECISION', ${base}, r.submitted_at, NULL, NULL, NULL
          FROM remediation_reports r JOIN connections c ON c.id = r.connection_id
         WHERE r.status = 'SUBMITTED' AND c.state = 'SUSPENDED'
        UNION ALL
        SELECT 'RESTORATION', ${base}, r.decided_at, NULL, r.restore_deadline, NULL
          FROM remediation_reports r JOIN connections c ON c.id = r.connection_id
         WHERE r.status = 'ACCEPTED' AND r.restored_at IS NULL AND c.state <> 'TERMINATED'
        UNION ALL
        SELECT 'CERTIFICATE_EXPIRY', ${base}, k.created_at, NULL, k.not_after, k.id
          FROM client_certificates k JOIN connections c ON c.id = k.connection_id
         WHERE k.revoked_at IS NULL AND c.state <> 'TERMINATED' AND k.not_after <= $2::timestamptz + interval '${REVIEW_HORIZON_DAYS} days'
           AND NOT ${renewedSql('k', `$2::timestamptz + interval '${REVIEW_HORIZON_DAYS} days'`)}
      ) q
      ${filter.task ? 'WHERE q.task = $3' : ''}
      ORDER BY coalesce(q."instantDue", q."dateDue"::timestamptz, q.since), q."connectionId", q.task
      OFFSET ${page.skip} LIMIT ${page.take}`;
    // The gateway's clock, not PostgreSQL's now(): one time for every deadline of the list.
    const now = this.clock.now().toISOString();
    const rows: Row[] = await this.db.query(sql, filter.task ? [today, now, filter.task] : [today, now]);
    return rows.map((row) => this.withDeadline(row));
  }

  private withDeadline(row: Row): ReviewTaskView {
    const calendar = this.calendars.calendar();
    const now = this.clock.now();
    const since = new Date(row.since);
    const days = REVIEW_WORKING_DAYS[row.task] ?? null;
    let dueAt: Date;
    let soonFrom: Date;
    if (days !== null) {
      dueAt = calendar.endOfWorkingDaysAfter(since, days);
      // Due soon on the last working day of the allowance.
      soonFrom = calendar.endOfWorkingDaysAfter(since, days - 1);
    } else {
      // A date in the gateway's zone ends at the next local midnight: the day after, at 00:00.
      dueAt = row.instantDue ? new Date(row.instantDue) : DateTime.fromISO(row.dateDue!, { zone: calendar.zone }).plus({ days: 1 }).toJSDate();
      const soonMs = row.task === 'RESTORATION' ? RESTORATION_DUE_SOON_HOURS * 3_600_000 : this.config.DUE_SOON_DAYS * 86_400_000;
      soonFrom = new Date(dueAt.getTime() - soonMs);
    }
    const deadlineStatus: ReviewDeadlineStatus = now >= dueAt ? 'OVERDUE' : now >= soonFrom ? 'DUE_SOON' : 'ON_TIME';
    return {
      task: row.task,
      connectionId: row.connectionId,
      connectionName: row.connectionName,
      ownerUnit: row.ownerUnit,
      state: row.state,
      since,
      dueAt,
      workingDays: days,
      deadlineStatus,
      deadlineColor: REVIEW_DEADLINE_COLORS[deadlineStatus],
      certificateId: row.certificateId,
    };
  }
}
