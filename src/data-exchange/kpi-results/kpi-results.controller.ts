import { Body, Controller, Delete, Get, Header, Headers, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataPlaneAccess, Principal } from '../../auth/data-plane-access.decorator.js';
import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import { ScreenedBatchItems, type ScreenedItems } from '../../security/enforcement/screened-items.js';
import { ScreenFreeText } from '../../security/enforcement/screening-policy.js';
import { ApiErrorBody } from '../../shared/errors/api-error.js';
import { BatchResponse } from '../shared/batch-outcome.dto.js';
import { BatchRequestDocs, batchItems } from '../shared/batch-request.dto.js';
import { etagOf, expectedVersion } from '../shared/if-match.js';
import { KPI_RESULT_FREE_TEXT, KpiResultInputDto } from './dto/kpi-result-input.dto.js';
import { KpiResultDto, KpiResultPageDto, KpiResultTombstoneDto, PullKpiResultsQueryDto } from './dto/kpi-result.dto.js';
import { type KpiKey, KpiResultsService } from './kpi-results.service.js';

const INDICATOR = { name: 'indicatorCode', description: 'Mã chỉ số', example: 'A.02.01' };
const PERIOD = { name: 'period', description: 'Kỳ dữ liệu: 2026-05, 2026-Q2 or 2026', example: '2026-Q2' };
/** Issue 14.5: the reporting agency is part of a KPI result's key; the path names indicator and period. */
export const REPORTING_AGENCY_QUERY = {
  name: 'reportingAgencyCode',
  required: false,
  description: 'Mã cơ quan thực hiện: selects the record where more than one agency reports the indicator for the period (400 REPORTING_AGENCY_REQUIRED without it then); optional where the connection sees one',
  example: 'GW-BTC',
};

@ApiTags('KPI results — Kết quả thực hiện bộ chỉ số')
@ApiResponse({ status: 400, description: 'Malformed or invalid input; `details` names each field', type: ApiErrorBody })
@Controller('api/v1/kpi-results')
@ScreenFreeText({ query: ['indicatorGroup', 'reportingAgency'], body: KPI_RESULT_FREE_TEXT })
export class KpiResultsController {
  constructor(private readonly kpis: KpiResultsService) {}

  @Post('batch')
  @HttpCode(200)
  @DataPlaneAccess('kpi-results', 'push')
  @ApiOperation({ operationId: 'upsertKpiResultsBatch', summary: 'Upsert up to 1,000 KPI results; one outcome per item' })
  @ApiBody({ type: BatchRequestDocs(KpiResultInputDto) })
  @ApiOkResponse({ type: BatchResponse })
  @ApiResponse({ status: 413, description: 'More than 1,000 items or body too large', type: ApiErrorBody })
  upsertBatch(
    @Principal() principal: DataPlanePrincipal,
    @Req() request: FastifyRequest,
    @Body() body: { items?: unknown },
    @ScreenedBatchItems() screened: ScreenedItems,
  ) {
    return this.kpis.upsertBatch({ principal, requestId: String(request.id) }, batchItems(body), screened);
  }

  @Put(':indicatorCode/:period')
  @DataPlaneAccess('kpi-results', 'push')
  @ApiOperation({ operationId: 'putKpiResult', summary: 'Create or replace one KPI result for one data period (idempotent)' })
  @ApiParam(INDICATOR)
  @ApiParam(PERIOD)
  @ApiQuery({ ...REPORTING_AGENCY_QUERY, description: 'Mã cơ quan thực hiện: as reportingAgencyCode in the body (both must agree); a REPORTER may name its record by it instead of sending the agency' })
  @ApiHeader({ name: 'if-match', required: false, description: 'ETag of the version being replaced, or * for "only if it exists"; 409 when it does not hold' })
  @ApiBody({ type: KpiResultInputDto })
  @ApiResponse({ status: 201, description: 'Created', type: KpiResultDto })
  @ApiOkResponse({ description: 'Updated or unchanged', type: KpiResultDto })
  @ApiResponse({ status: 409, description: 'If-Match is stale', type: ApiErrorBody })
  async put(
    @Principal() principal: DataPlanePrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Param('indicatorCode') indicatorCode: string,
    @Param('period') period: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch?: string,
    @Query('reportingAgencyCode') agencyCode?: string,
  ) {
    this.kpis.assertPeriod(period);
    const named: Record<string, string> = agencyCode === undefined ? {} : { reportingAgencyCode: (await this.kpis.resolveKey(principal, indicatorCode, period, agencyCode)).reportingAgencyCode };
    const { outcome, key } = await this.kpis.upsertOne({ principal, requestId: String(request.id) }, { indicatorCode, period, ...named }, body, expectedVersion(ifMatch));
    reply.status(outcome.status === 'created' ? 201 : 200).header('ETag', etagOf(outcome.version!));
    return this.kpis.findOne(principal, key as KpiKey, true);
  }

  @Get(':indicatorCode/:period')
  @DataPlaneAccess('kpi-results', 'pull')
  @ApiOperation({ operationId: 'getKpiResult', summary: 'One KPI result for one data period' })
  @ApiParam(INDICATOR)
  @ApiParam(PERIOD)
  @ApiQuery(REPORTING_AGENCY_QUERY)
  @ApiOkResponse({ type: KpiResultDto })
  @ApiResponse({ status: 404, description: 'No such record among those the connection may read, or revoked', type: ApiErrorBody })
  async get(
    @Principal() principal: DataPlanePrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Param('indicatorCode') indicatorCode: string,
    @Param('period') period: string,
    @Query('reportingAgencyCode') agencyCode?: string,
  ) {
    const record = await this.kpis.findOne(principal, await this.kpis.resolveKey(principal, indicatorCode, period, agencyCode));
    reply.header('ETag', etagOf(record.version as number));
    return record;
  }

  @Get()
  @DataPlaneAccess('kpi-results', 'pull')
  @ApiOperation({ operationId: 'pullKpiResults', summary: 'Pull KPI results in change order, with filters and cursor paging' })
  @ApiOkResponse({ type: KpiResultPageDto })
  @Header('Content-Type', 'application/json; charset=utf-8')
  pull(@Principal() principal: DataPlanePrincipal, @Query() query: PullKpiResultsQueryDto) {
    return this.kpis.pull(principal, query);
  }

  @Delete(':indicatorCode/:period')
  @DataPlaneAccess('kpi-results', 'push')
  @ApiOperation({ operationId: 'revokeKpiResult', summary: 'Revoke (withdraw) a KPI result; pulls with a cursor or updatedSince return its tombstone' })
  @ApiParam(INDICATOR)
  @ApiParam(PERIOD)
  @ApiQuery(REPORTING_AGENCY_QUERY)
  @ApiHeader({ name: 'if-match', required: false, description: 'ETag of the version being revoked, or * for "only if it exists"; 409 when it does not hold' })
  @ApiOkResponse({ type: KpiResultTombstoneDto })
  @ApiResponse({ status: 404, description: 'No such record', type: ApiErrorBody })
  async revoke(
    @Principal() principal: DataPlanePrincipal,
    @Req() request: FastifyRequest,
    @Param('indicatorCode') indicatorCode: string,
    @Param('period') period: string,
    @Headers('if-match') ifMatch?: string,
    @Query('reportingAgencyCode') agencyCode?: string,
  ) {
    const key = await this.kpis.resolveKey(principal, indicatorCode, period, agencyCode);
    return this.kpis.revoke({ principal, requestId: String(request.id) }, key, expectedVersion(ifMatch));
  }
}
