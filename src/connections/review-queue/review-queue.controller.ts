import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ControlPlaneRoute } from '../../accounts/control-plane-action.decorator.js';
import { Audited } from '../../audit/http/audited.decorator.js';
import { ApiFailures, ApiSuccess } from '../../shared/errors/api-error-responses.js';
import { PageOf, PageQueryDto, pageWindow, toPage } from '../../shared/http/paging.js';
import { ReviewQueueService } from './review-queue.service.js';
import { REVIEW_TASKS, type ReviewTask, ReviewTaskView } from './review-queue.views.js';

class ReviewQueueQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: REVIEW_TASKS, description: 'Only this step' })
  @IsOptional()
  @IsIn(REVIEW_TASKS, { message: `must be one of ${REVIEW_TASKS.join(', ')}` })
  task?: ReviewTask;
}

@ApiTags('Connections — lifecycle (Appendix II, part I)')
@Controller('control/v1/review-queue')
export class ReviewQueueController {
  constructor(private readonly queue: ReviewQueueService) {}

  @Get()
  @ControlPlaneRoute('reviewQueue.read')
  @Audited()
  @ApiOperation({
    operationId: 'reviewQueue',
    summary:
      "The DTD reviewer's work queue: requests to appraise, agreements to record, test configurations, test confirmations, go-lives, re-evaluations and certificates due within 30 days — each with its working-day deadline and colour (III.1.đ), soonest due first",
  })
  @ApiSuccess(200, PageOf(ReviewTaskView))
  @ApiFailures(400)
  async list(@Query() query: ReviewQueueQuery) {
    const window = pageWindow(query);
    return toPage(await this.queue.list({ task: query.task }, window), window, (row) => row);
  }
}
