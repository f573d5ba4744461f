import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ControlPlaneRoute } from '../../accounts/control-plane-action.decorator.js';
import { Audited } from '../../audit/http/audited.decorator.js';
import { ApiFailures, ApiSuccess } from '../../shared/errors/api-error-responses.js';
import { PageOf, pageWindow, toPage } from '../../shared/http/paging.js';
import { OverviewService } from './overview.service.js';
import { OverviewView, UnitDeadlinesQueryDto, UnitDeadlinesView } from './overview.views.js';

/** The console's overview page: aggregates across every connection and unit (no record content). */
@ApiTags('Reports')
@Controller('control/v1/overview')
export class OverviewController {
  constructor(private readonly overview: OverviewService) {}

  @Get()
  @ControlPlaneRoute('overview.read')
  @Audited()
  @ApiOperation({ operationId: 'overview', summary: 'Connections by state, open incidents by severity (with the overdue ones), data-plane calls of the last 24 hours by hour and outcome' })
  @ApiSuccess(200, OverviewView)
  summary(): Promise<OverviewView> {
    return this.overview.overview();
  }

  @Get('unit-deadlines')
  @ControlPlaneRoute('overview.read')
  @Audited()
  @ApiOperation({ operationId: 'unitDeadlines', summary: "Each unit's open production tasks by deadline colour (III.1.đ) and its nearest deadline in working days, most urgent first" })
  @ApiSuccess(200, PageOf(UnitDeadlinesView))
  @ApiFailures(400)
  async unitDeadlines(@Query() query: UnitDeadlinesQueryDto) {
    const window = pageWindow(query);
    return toPage(await this.overview.unitDeadlines(window, query.colour), window, (r) => r);
  }
}
