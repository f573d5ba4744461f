import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DataPlaneAccess, Principal } from '../../auth/data-plane-access.decorator.js';
import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import { ScreenFreeText } from '../../security/enforcement/screening-policy.js';
import { ApiErrorBody } from '../../shared/errors/api-error.js';
import { KpiResultDto } from '../kpi-results/dto/kpi-result.dto.js';
import { REPORTING_AGENCY_QUERY } from '../kpi-results/kpi-results.controller.js';
import { DisputeDto, RecordVersionsDto, ReviewDto } from './dto/flow.dto.js';
import { TaskFlowService } from './task-flow.service.js';

const INDICATOR = { name: 'indicatorCode', description: 'Mã chỉ số', example: 'A.02.01' };
const PERIOD = { name: 'period', description: 'Kỳ dữ liệu: 2026-05, 2026-Q2 or 2026', example: '2026-Q2' };

@ApiTags('KPI results — Kết quả thực hiện bộ chỉ số')
@ApiResponse({ status: 403, description: "The connection's role on KPI results does not allow this step (DATA_ROLE_NOT_ALLOWED), or the record is outside its write scope", type: ApiErrorBody })
@ApiResponse({ status: 404, description: 'No such KPI result among those the connection may read, or revoked', type: ApiErrorBody })
@Controller('api/v1/kpi-results')
@ScreenFreeText({ body: ['reason', 'explanation'] })
export class KpiFlowController {
  constructor(private readonly flow: TaskFlowService) {}

  @Post(':indicatorCode/:period/receipt')
  @HttpCode(200)
  @DataPlaneAccess('kpi-results', 'push')
  @ApiOperation({ operationId: 'confirmKpiReceipt', summary: 'REPORTER: confirm receipt of an assigned indicator period' })
  @ApiParam(INDICATOR)
  @ApiParam(PERIOD)
  @ApiQuery(REPORTING_AGENCY_QUERY)
  @ApiOkResponse({ type: KpiResultDto })
  receipt(@Principal() principal: DataPlanePrincipal, @Req() request: FastifyRequest, @Param('indicatorCode') code: string, @Param('period') period: string, @Query('reportingAgencyCode') agency?: string) {
    return this.flow.kpiStep({ principal, requestId: String(request.id) }, code, period, 'receipt', {}, agency);
  }

  @Post(':indicatorCode/:period/disputes')
  @HttpCode(200)
  @DataPlaneAccess('kpi-results', 'push')
  @ApiOperation({ operationId: 'disputeKpi', summary: 'REPORTER: dispute the assignment, with a reason, within 8 working hours of it' })
  @ApiParam(INDICATOR)
  @ApiParam(PERIOD)
  @ApiQuery(REPORTING_AGENCY_QUERY)
  @ApiBody({ type: DisputeDto })
  @ApiOkResponse({ type: KpiResultDto })
  @ApiResponse({ status: 409, description: 'DISPUTE_WINDOW_CLOSED: more than 8 working hours after the assignment', type: ApiErrorBody })
  dispute(@Principal() principal: DataPlanePrincipal, @Req() request: FastifyRequest, @Param('indicatorCode') code: string, @Param('period') period: string, @Body() body: unknown, @Query('reportingAgencyCode') agency?: string) {
    return this.flow.kpiStep({ principal, requestId: String(request.id) }, code, period, 'dispute', body, agency);
  }

  @Post(':indicatorCode/:period/reviews')
  @HttpCode(200)
  @DataPlaneAccess('kpi-results', 'push')
  @ApiOperation({ operationId: 'reviewKpi', summary: 'ASSIGNER: approve the reported figures, or return them with the explanation it requires' })
  @ApiParam(INDICATOR)
  @ApiParam(PERIOD)
  @ApiQuery(REPORTING_AGENCY_QUERY)
  @ApiBody({ type: ReviewDto })
  @ApiOkResponse({ type: KpiResultDto })
  review(@Principal() principal: DataPlanePrincipal, @Req() request: FastifyRequest, @Param('indicatorCode') code: string, @Param('period') period: string, @Body() body: unknown, @Query('reportingAgencyCode') agency?: string) {
    return this.flow.kpiStep({ principal, requestId: String(request.id) }, code, period, 'review', body, agency);
  }

  @Get(':indicatorCode/:period/versions')
  @DataPlaneAccess('kpi-results', 'pull')
  @ApiOperation({ operationId: 'listKpiResultVersions', summary: 'Every accepted version of a KPI result, oldest first' })
  @ApiParam(INDICATOR)
  @ApiParam(PERIOD)
  @ApiQuery(REPORTING_AGENCY_QUERY)
  @ApiOkResponse({ type: RecordVersionsDto })
  versions(@Principal() principal: DataPlanePrincipal, @Param('indicatorCode') code: string, @Param('period') period: string, @Query('reportingAgencyCode') agency?: string) {
    return this.flow.kpiVersions(principal, code, period, agency);
  }
}
