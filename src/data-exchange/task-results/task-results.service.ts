import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import { WorkingCalendarService } from '../../calendar/working-calendar.service.js';
import { GatewayConfig } from '../../shared/config/gateway-config.js';
import { FieldProblem } from '../../shared/errors/api-error.js';
import { UnitRegisterService } from '../../units/unit-register.service.js';
import { AttachmentsService } from '../attachments/attachments.service.js';
import { ExchangedRecords } from '../shared/exchanged-records.js';
import { FeedPageCache } from '../shared/feed-page-cache.js';
import { decodeCursor } from '../shared/pull-cursor.js';
import { RecordStore } from '../shared/record-store.js';
import type { ComputedFieldsChoice } from '../shared/record-view.js';
import { SqlParams } from '../shared/sql-params.js';
import { deadlineViewSql } from './deadline-status.js';
import { TaskResultInputDto } from './dto/task-result-input.dto.js';
import type { PullTaskResultsQueryDto } from './dto/task-result.dto.js';
import { TASK_RESULT_SCHEMA } from './task-result.schema.js';

@Injectable()
export class TaskResultsService extends ExchangedRecords<TaskResultInputDto> {
  constructor(
    db: DataSource,
    attachments: AttachmentsService,
    pages: FeedPageCache,
    private readonly config: GatewayConfig,
    private readonly calendars: WorkingCalendarService,
    units: UnitRegisterService,
  ) {
    super(new RecordStore(db, TASK_RESULT_SCHEMA, pages, units), attachments, TaskResultInputDto, config.CLASSIFIED_RECORDS, units);
  }

  protected rules(task: TaskResultInputDto): FieldProblem[] {
    const problems: FieldProblem[] = [];
    if (task.dueDate < task.assignedAt) problems.push({ field: 'dueDate', problem: 'must not be before assignedAt' });
    if (task.result === 'COMPLETED' && !task.completedAt) problems.push({ field: 'completedAt', problem: 'is required when result is COMPLETED' });
    if (task.result !== 'COMPLETED' && task.completedAt) problems.push({ field: 'completedAt', problem: `must be absent when result is ${task.result}` });
    if (task.completedAt && task.completedAt < task.assignedAt) problems.push({ field: 'completedAt', problem: 'must not be before assignedAt' });
    // A task is reported done when it is: a date ahead would read as COMPLETED_LATE or on time by a guess.
    const today = this.calendars.calendar().today();
    if (task.completedAt && task.completedAt > today) problems.push({ field: 'completedAt', problem: `must not be in the future (today is ${today} in Vietnam)` });
    return problems;
  }

  /** `asWriter`: the answer to a PUT, which the writer sees even for a unit it may not read. */
  findOne(principal: DataPlanePrincipal, taskCode: string, asWriter = false): Promise<Record<string, unknown>> {
    const view = () => {
      const params = new SqlParams();
      return { select: this.deadlineSelect(params), params };
    };
    return this.visibleRecord(principal, { taskCode }, `task result ${taskCode}`, view, asWriter);
  }

  /** A page of the pull: the JSON body, as sent. */
  async pull(principal: DataPlanePrincipal, query: PullTaskResultsQueryDto): Promise<Buffer> {
    const leadUnits = await this.ownerFilter(principal, query.leadUnit, query.leadUnitCode);
    const params = new SqlParams();
    const select = this.deadlineSelect(params);
    const where: string[] = [];
    const updatedSince = query.updatedSince ? params.add(query.updatedSince) : undefined;
    if (updatedSince) where.push(`updated_at >= ${updatedSince}::timestamptz`);
    if (leadUnits) where.push(`lead_unit_code = ANY(${params.add(leadUnits)}::text[])`);
    if (query.taskGroupCode) where.push(`task_group_code = ${params.add(query.taskGroupCode)}`);
    if (query.reviewStatus) where.push(`review_status = ${params.add(query.reviewStatus)}`);
    if (query.result) where.push(`result = ${params.add(query.result)}`);
    if (query.deadlineStatus) where.push(`(${select.by}) = ${params.add(query.deadlineStatus)} AND NOT revoked`);
    return this.store.pull(principal, {
      params,
      where,
      select,
      position: decodeCursor(query.cursor),
      limit: query.limit ?? 100,
      // Incremental consumers (a cursor or updatedSince) must learn of withdrawals (II.2.d).
      includeRevoked: query.updatedSince !== undefined || query.cursor !== undefined,
      updatedSince,
    });
  }

  private deadlineSelect(params: SqlParams): ComputedFieldsChoice {
    return deadlineViewSql(params, this.calendars.calendar().today(), this.config.DUE_SOON_DAYS);
  }
}
