import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import { mayReadUnit } from '../../connections/connection-scope.js';
import { ApiError, FieldProblem } from '../../shared/errors/api-error.js';
import { AttachmentsService } from '../attachments/attachments.service.js';
import { ExchangedRecords } from '../shared/exchanged-records.js';
import { FeedPageCache } from '../shared/feed-page-cache.js';
import { decodeCursor } from '../shared/pull-cursor.js';
import { RecordStore } from '../shared/record-store.js';
import { SqlParams } from '../shared/sql-params.js';
import { KpiResultInputDto } from './dto/kpi-result-input.dto.js';
import type { PullKpiResultsQueryDto } from './dto/kpi-result.dto.js';
import { KPI_RESULT_SCHEMA } from './kpi-result.schema.js';
import { PERIOD_FORMATS, periodTypeOf } from './kpi-period.js';

@Injectable()
export class KpiResultsService extends ExchangedRecords<KpiResultInputDto> {
  constructor(db: DataSource, attachments: AttachmentsService, pages: FeedPageCache) {
    super(new RecordStore(db, KPI_RESULT_SCHEMA, pages), attachments, KpiResultInputDto);
  }

  protected rules(kpi: KpiResultInputDto): FieldProblem[] {
    if (kpi.period === undefined) return [];
    const format = PERIOD_FORMATS[kpi.periodType];
    return format.pattern.test(kpi.period)
      ? []
      : [{ field: 'period', problem: `must be written like ${format.example} for periodType ${kpi.periodType}` }];
  }

  /** Path parameters name a period; one that no period type accepts is a 400, not a 404. */
  assertPeriod(period: string): void {
    if (!periodTypeOf(period)) {
      throw ApiError.badRequest('Invalid period', [{ field: 'period', problem: 'must be YYYY-MM, YYYY-Qn or YYYY' }]);
    }
  }

  /** `asWriter`: the answer to a PUT, which the writer sees even for a unit it may not read. */
  findOne(principal: DataPlanePrincipal, indicatorCode: string, period: string, asWriter = false): Promise<Record<string, unknown>> {
    this.assertPeriod(period);
    return this.visibleRecord(principal, { indicatorCode, period }, `KPI result ${indicatorCode}/${period}`, {}, undefined, asWriter);
  }

  /** A page of the pull: the JSON body, as sent. */
  async pull(principal: DataPlanePrincipal, query: PullKpiResultsQueryDto): Promise<Buffer> {
    if (query.reportingAgency && !mayReadUnit(principal.scope, query.reportingAgency)) {
      throw ApiError.forbidden('OUTSIDE_READ_SCOPE', `The connection agreement does not allow reading records of ${query.reportingAgency}`);
    }
    if (query.period) this.assertPeriod(query.period);
    const params = new SqlParams();
    const where: string[] = [];
    if (query.updatedSince) where.push(`updated_at >= ${params.add(query.updatedSince)}::timestamptz`);
    if (query.indicatorGroup) where.push(`indicator_group = ${params.add(query.indicatorGroup)}`);
    if (query.reportingAgency) where.push(`reporting_agency = ${params.add(query.reportingAgency.normalize('NFC').trim())}`);
    if (query.periodType) where.push(`period_type = ${params.add(query.periodType)}`);
    if (query.period) where.push(`period = ${params.add(query.period)}`);
    return this.store.pull(principal, {
      params,
      where,
      position: decodeCursor(query.cursor),
      limit: query.limit ?? 100,
      // Incremental consumers (a cursor or updatedSince) must learn of withdrawals (II.2.d).
      includeRevoked: query.updatedSince !== undefined || query.cursor !== undefined,
    });
  }
}
