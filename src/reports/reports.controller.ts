import { applyDecorators, Controller, Get, Param, ParseUUIDPipe, Query, StreamableFile } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ControlPlaneRoute } from '../accounts/control-plane-action.decorator.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { ApiError } from '../shared/errors/api-error.js';
import { ApiFailures, ApiSuccess } from '../shared/errors/api-error-responses.js';
import { PageOf, PageQueryDto, pageWindow, toPage } from '../shared/http/paging.js';
import { PeriodicReportService } from './periodic-report.service.js';
import { namedPeriod, PeriodProblem, rangePeriod, type ReportPeriod } from './report-period.js';
import { reportCsv, reportWorkbook, XLSX_MEDIA_TYPE } from './report-files.js';
import type { PeriodicReport } from './report-sections.js';
import { PeriodicReportQueryDto, ReportFormatQueryDto } from './reports.dto.js';
import { PeriodicReportView, ScheduledReportView } from './report.views.js';
import { ScheduledReportsService } from './scheduled-reports.service.js';
import { Audited } from '../audit/http/audited.decorator.js';

/** A report answers JSON, or a file (Content-Disposition: attachment) when format asks for one. */
function ApiReportAnswer() {
  return applyDecorators(
    ApiExtraModels(PeriodicReportView),
    ApiOkResponse({
      description: 'format=json (default): the report; format=xlsx: a workbook with a sheet per section; format=csv: one section (section=…), UTF-8',
      content: {
        'application/json': { schema: { $ref: getSchemaPath(PeriodicReportView) } },
        [XLSX_MEDIA_TYPE]: { schema: { type: 'string', format: 'binary' } },
        'text/csv': { schema: { type: 'string', format: 'binary' } },
      },
    }),
  );
}

/** Periodic reports (Appendix I step 8, III.1.e) for DTD reviewers and auditors. */
@ApiTags('Reports')
@Controller('control/v1/reports/periodic')
export class ReportsController {
  constructor(
    private readonly reports: PeriodicReportService,
    private readonly scheduled: ScheduledReportsService,
    private readonly config: GatewayConfig,
  ) {}

  @Get()
  @ControlPlaneRoute('reports.read')
  @Audited()
  @ApiOperation({ operationId: 'periodicReport', summary: 'The summary report of a period (quarter, half-year, year, or from/to), optionally of one unit or data set: JSON, XLSX, or one section as CSV' })
  @ApiReportAnswer()
  @ApiFailures([400, 'VALIDATION_FAILED: the period, from/to, format or section (section only with, and required by, format=csv)'])
  async build(@Query() q: PeriodicReportQueryDto) {
    const report = await this.reports.build({ period: periodOf(q), environment: q.environment ?? 'production', unit: q.unit, dataSet: q.dataSet });
    return deliver(report, q);
  }

  @Get('scheduled')
  @ControlPlaneRoute('reports.read')
  @Audited()
  @ApiOperation({ operationId: 'listScheduledReports', summary: 'The quarterly reports the gateway produced on its own (each also announced in the DTD inbox)' })
  @ApiSuccess(200, PageOf(ScheduledReportView))
  @ApiFailures(400)
  async list(@Query() page: PageQueryDto) {
    const window = pageWindow(page);
    return toPage(await this.scheduled.list(window), window, ({ id, period, from, to, createdAt }) => ({ id, period, from, to, createdAt }));
  }

  @Get('scheduled/:id')
  @ControlPlaneRoute('reports.read')
  @Audited({ target: 'scheduled-report' })
  @ApiOperation({ operationId: 'getScheduledReport', summary: 'A scheduled report as it was generated: JSON, XLSX, or one section as CSV' })
  @ApiReportAnswer()
  @ApiFailures(400, [404, 'No such scheduled report'])
  async get(@Param('id', ParseUUIDPipe) id: string, @Query() q: ReportFormatQueryDto) {
    return deliver(await this.scheduled.get(id), q);
  }
}

function periodOf(q: PeriodicReportQueryDto): ReportPeriod {
  try {
    if (q.period !== undefined) {
      if (q.from !== undefined || q.to !== undefined) throw new PeriodProblem('period', 'give either period or from and to, not both');
      return namedPeriod(q.period);
    }
    if (q.from === undefined || q.to === undefined) throw new PeriodProblem(q.from === undefined ? 'from' : 'to', 'is required unless period is given');
    return rangePeriod(q.from, q.to);
  } catch (error) {
    if (error instanceof PeriodProblem) throw ApiError.badRequest('Invalid report period', [{ field: error.field, problem: error.message }]);
    throw error;
  }
}

async function deliver(report: PeriodicReport, q: ReportFormatQueryDto): Promise<PeriodicReport | StreamableFile> {
  const name = `bao-cao-${report.period.label.replace(/\.\./, '_')}`;
  if (q.format === 'xlsx') return new StreamableFile(await reportWorkbook(report), { type: XLSX_MEDIA_TYPE, disposition: `attachment; filename="${name}.xlsx"` });
  if (q.format === 'csv') {
    if (!q.section) throw ApiError.badRequest('A CSV file holds one section', [{ field: 'section', problem: 'is required with format=csv' }]);
    return new StreamableFile(Buffer.from(reportCsv(report, q.section), 'utf8'), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${name}-${q.section}.csv"` });
  }
  if (q.section) throw ApiError.badRequest('section applies to CSV only', [{ field: 'section', problem: 'is only allowed with format=csv' }]);
  return report;
}
