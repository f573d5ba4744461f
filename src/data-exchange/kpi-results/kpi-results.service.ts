import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import { GatewayConfig } from '../../shared/config/gateway-config.js';
import { mayReadUnit, mayWriteUnit, visibleClassifications } from '../../connections/connection-scope.js';
import { ApiError, FieldProblem } from '../../shared/errors/api-error.js';
import { UNIT_CODE_PATTERN } from '../../units/record-units.js';
import { UnitRegisterService } from '../../units/unit-register.service.js';
import { AttachmentsService } from '../attachments/attachments.service.js';
import { ExchangedRecords } from '../shared/exchanged-records.js';
import { FeedPageCache } from '../shared/feed-page-cache.js';
import { decodeCursor } from '../shared/pull-cursor.js';
import { RecordStore } from '../shared/record-store.js';
import { SqlParams } from '../shared/sql-params.js';
import { UNIT_CODE_MESSAGE } from '../shared/validators.js';
import { KpiResultInputDto } from './dto/kpi-result-input.dto.js';
import type { PullKpiResultsQueryDto } from './dto/kpi-result.dto.js';
import { KPI_RESULT_SCHEMA, reportingAgencyRequired } from './kpi-result.schema.js';
import { PERIOD_FORMATS, PERIOD_SHAPES, periodTypeOf } from './kpi-period.js';

/** A KPI result's key (kpi-result.schema.ts): indicator, period and reporting agency. */
export type KpiKey = { indicatorCode: string; period: string; reportingAgencyCode: string };

@Injectable()
export class KpiResultsService extends ExchangedRecords<KpiResultInputDto> {
  constructor(private readonly db: DataSource, attachments: AttachmentsService, pages: FeedPageCache, config: GatewayConfig, units: UnitRegisterService) {
    super(new RecordStore(db, KPI_RESULT_SCHEMA, pages, units), attachments, KpiResultInputDto, config.CLASSIFIED_RECORDS, units);
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
      throw ApiError.badRequest('Invalid period', [{ field: 'period', problem: `must be ${PERIOD_SHAPES}` }]);
    }
  }

  /**
   * The full key of the KPI result a request names by path (indicator, period) and, optionally,
   * by `reportingAgencyCode` (issue 14.5: each agency reporting an indicator has its own record).
   * Without the agency, the one record at that indicator and period this connection may see is
   * meant (clients written before agencies were part of the key keep working); when it may see
   * several, 400 asks for the agency. When it may see none, the key of one it may not see (or of
   * none), so that the caller answers 404 / 403 as for any record outside its scope.
   */
  async resolveKey(principal: DataPlanePrincipal, indicatorCode: string, period: string, agencyCode?: string): Promise<KpiKey> {
    this.assertPeriod(period);
    if (agencyCode !== undefined) {
      // A query parameter given twice arrives as an array.
      if (typeof agencyCode !== 'string') throw ApiError.badRequest('Invalid reportingAgencyCode', [{ field: 'reportingAgencyCode', problem: 'must be given once' }]);
      if (!UNIT_CODE_PATTERN.test(agencyCode)) throw ApiError.badRequest('Invalid reportingAgencyCode', [{ field: 'reportingAgencyCode', problem: UNIT_CODE_MESSAGE }]);
      return { indicatorCode, period, reportingAgencyCode: agencyCode };
    }
    const rows: Array<{ code: string; classification: string }> = await this.db.query(
      `SELECT reporting_agency_code AS code, classification FROM kpi_results WHERE environment = $1 AND indicator_code = $2 AND period = $3 ORDER BY reporting_agency_code`,
      [principal.environment, indicatorCode, period],
    );
    const register = this.units.register();
    const levels = visibleClassifications(principal.scope);
    const visible = rows.filter(
      (r) => mayWriteUnit(register, principal.scope, r.code) || (mayReadUnit(register, principal.scope, r.code) && (!levels || levels.includes(r.classification))),
    );
    if (visible.length > 1) {
      throw reportingAgencyRequired(indicatorCode, period, visible.map((r) => r.code));
    }
    return { indicatorCode, period, reportingAgencyCode: (visible[0] ?? rows[0])?.code ?? '' };
  }

  /** `asWriter`: the answer to a PUT, which the writer sees even for a unit it may not read. */
  findOne(principal: DataPlanePrincipal, key: KpiKey, asWriter = false): Promise<Record<string, unknown>> {
    return this.visibleRecord(principal, key, `KPI result ${key.indicatorCode}/${key.period}`, undefined, asWriter);
  }

  /** A page of the pull: the JSON body, as sent. */
  async pull(principal: DataPlanePrincipal, query: PullKpiResultsQueryDto): Promise<Buffer> {
    const agencies = await this.ownerFilter(principal, query.reportingAgency, query.reportingAgencyCode);
    if (query.period) this.assertPeriod(query.period);
    const params = new SqlParams();
    const where: string[] = [];
    const updatedSince = query.updatedSince ? params.add(query.updatedSince) : undefined;
    if (updatedSince) where.push(`updated_at >= ${updatedSince}::timestamptz`);
    if (query.indicatorGroup) where.push(`indicator_group = ${params.add(query.indicatorGroup)}`);
    if (agencies) where.push(`reporting_agency_code = ANY(${params.add(agencies)}::text[])`);
    if (query.periodType) where.push(`period_type = ${params.add(query.periodType)}`);
    if (query.reviewStatus) where.push(`review_status = ${params.add(query.reviewStatus)}`);
    if (query.period) where.push(`period = ${params.add(query.period)}`);
    return this.store.pull(principal, {
      params,
      where,
      position: decodeCursor(query.cursor),
      limit: query.limit ?? 100,
      // Incremental consumers (a cursor or updatedSince) must learn of withdrawals (II.2.d).
      includeRevoked: query.updatedSince !== undefined || query.cursor !== undefined,
      updatedSince,
    });
  }
}
