import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import { Clock } from '../../calendar/clock.js';
import { WorkingCalendarService } from '../../calendar/working-calendar.service.js';
import { ApiError } from '../../shared/errors/api-error.js';
import type { WriteContext } from '../shared/record-store.js';
import { validateItem } from '../shared/validate-item.js';
import { KpiResultsService } from '../kpi-results/kpi-results.service.js';
import { TaskResultsService } from '../task-results/task-results.service.js';
import { listVersions } from '../versions/record-versions.js';
import { DisputeDto, ReviewDto } from './dto/flow.dto.js';
import { type FlowAction, RecordFlow } from './record-flow.js';

type Kind = 'receipt' | 'dispute' | 'review';

/** Receipt, dispute, review and version history for both data sets (record-flow.ts, record-versions.ts). */
@Injectable()
export class TaskFlowService {
  private readonly flows: Record<'task-results' | 'kpi-results', RecordFlow>;

  constructor(
    private readonly db: DataSource,
    private readonly tasks: TaskResultsService,
    private readonly kpis: KpiResultsService,
    clock: Clock,
    calendars: WorkingCalendarService,
  ) {
    this.flows = {
      'task-results': new RecordFlow(db, tasks.recordStore, clock, calendars),
      'kpi-results': new RecordFlow(db, kpis.recordStore, clock, calendars),
    };
  }

  async taskStep(ctx: WriteContext, taskCode: string, kind: Kind, body: unknown) {
    await this.flows['task-results'].apply(ctx, { taskCode }, actionOf(kind, body));
    return this.tasks.findOne(ctx.principal, taskCode, true);
  }

  /** `agencyCode`: the reporting agency, where more than one reports the indicator (kpi-results.service.ts resolveKey). */
  async kpiStep(ctx: WriteContext, indicatorCode: string, period: string, kind: Kind, body: unknown, agencyCode?: string) {
    const key = await this.kpis.resolveKey(ctx.principal, indicatorCode, period, agencyCode);
    await this.flows['kpi-results'].apply(ctx, key, actionOf(kind, body));
    return this.kpis.findOne(ctx.principal, key, true);
  }

  taskVersions(principal: DataPlanePrincipal, taskCode: string) {
    return listVersions(this.db, this.tasks.recordStore, principal, { taskCode }, `task result ${taskCode}`);
  }

  async kpiVersions(principal: DataPlanePrincipal, indicatorCode: string, period: string, agencyCode?: string) {
    const key = await this.kpis.resolveKey(principal, indicatorCode, period, agencyCode);
    return listVersions(this.db, this.kpis.recordStore, principal, key, `KPI result ${indicatorCode}/${period}`);
  }
}

function actionOf(kind: Kind, body: unknown): FlowAction {
  if (kind === 'receipt') return { kind };
  if (kind === 'dispute') return { kind, reason: valid(DisputeDto, body).reason };
  const review = valid(ReviewDto, body);
  return { kind, decision: review.decision, explanation: review.explanation };
}

function valid<T extends object>(type: new () => T, body: unknown): T {
  const { value, problems } = validateItem(type, body ?? {});
  if (!value) throw ApiError.badRequest('Validation failed', problems);
  return value;
}

