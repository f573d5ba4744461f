import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ControlPlaneRoute } from '../../accounts/control-plane-action.decorator.js';
import { Audited } from '../../audit/http/audited.decorator.js';
import { ApiFailures, ApiSuccess } from '../../shared/errors/api-error-responses.js';
import { PageOf } from '../../shared/http/paging.js';
import { RecordHistoryService } from './record-history.service.js';
import { KpiRecordHistoryQueryDto, RecordHistoryQueryDto, RecordVersionView, VersionsByRequestQueryDto } from './record-history.views.js';

const NOT_FOUND = [404, 'No such record in that environment (it never had an accepted version)'] as const;

/**
 * IV.6: "when the parties see the data differently, they settle it through the system's owner and
 * the Standing Agency, from the system's log". The DTD and auditors read a record's every accepted
 * version here — what it said, which connection's call sent it, when — and the versions one call
 * wrote, from its audit entry. Read only; each read is itself an audit entry.
 */
@ApiTags('Record history (IV.6 disputes)')
@Controller('control/v1')
export class RecordHistoryController {
  constructor(private readonly history: RecordHistoryService) {}

  @Get('records/task-results/:taskCode/versions')
  @ControlPlaneRoute('recordVersions.read')
  @Audited({ target: 'record', targetId: ({ params }) => `task-results/${params.taskCode}` })
  @ApiOperation({ operationId: 'taskResultHistory', summary: "A task result's accepted versions (oldest first, or newest with order=newest), each with the connection and call that made it and the fields it changed" })
  @ApiParam({ name: 'taskCode', description: 'Mã nhiệm vụ', example: '012_TBKL_NQ57' })
  @ApiSuccess(200, PageOf(RecordVersionView))
  @ApiFailures(400, [...NOT_FOUND])
  taskResult(@Param('taskCode') taskCode: string, @Query() query: RecordHistoryQueryDto) {
    return this.history.ofTask(taskCode, query.environment ?? 'production', query);
  }

  @Get('records/kpi-results/:indicatorCode/:period/versions')
  @ControlPlaneRoute('recordVersions.read')
  @Audited({ target: 'record', targetId: ({ params }) => `kpi-results/${params.indicatorCode}/${params.period}` })
  @ApiOperation({ operationId: 'kpiResultHistory', summary: "A KPI result's accepted versions, as for a task result; reportingAgencyCode picks the agency's record where several report the indicator" })
  @ApiParam({ name: 'indicatorCode', description: 'Mã chỉ số', example: 'A.02.01' })
  @ApiParam({ name: 'period', description: 'Kỳ dữ liệu: 2026-05, 2026-Q2 or 2026', example: '2026-Q2' })
  @ApiSuccess(200, PageOf(RecordVersionView))
  @ApiFailures([400, 'Invalid input; or REPORTING_AGENCY_REQUIRED: several agencies report the indicator for the period, `details` names them'], [...NOT_FOUND])
  kpiResult(@Param('indicatorCode') indicatorCode: string, @Param('period') period: string, @Query() query: KpiRecordHistoryQueryDto) {
    return this.history.ofKpi(indicatorCode, period, query.environment ?? 'production', query);
  }

  @Get('record-versions')
  @ControlPlaneRoute('recordVersions.read')
  @Audited()
  @ApiOperation({ operationId: 'versionsByRequest', summary: 'The record versions one data-plane call wrote (a batch writes many), from the request id of its audit entry; empty for a call that changed nothing' })
  @ApiSuccess(200, PageOf(RecordVersionView))
  @ApiFailures(400)
  byRequest(@Query() query: VersionsByRequestQueryDto) {
    return this.history.ofRequest(query.requestId.toLowerCase(), query);
  }
}
