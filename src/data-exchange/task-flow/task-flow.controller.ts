import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DataPlaneAccess, Principal } from '../../auth/data-plane-access.decorator.js';
import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import { ScreenFreeText } from '../../security/enforcement/screening-policy.js';
import { ApiErrorBody } from '../../shared/errors/api-error.js';
import { TaskResultDto } from '../task-results/dto/task-result.dto.js';
import { DisputeDto, RecordVersionsDto, ReviewDto } from './dto/flow.dto.js';
import { TaskFlowService } from './task-flow.service.js';

const TASK_CODE = { name: 'taskCode', description: 'Mã nhiệm vụ', example: '012_TBKL_NQ57' };

@ApiTags('Task results — Kết quả thực hiện nhiệm vụ')
@ApiResponse({ status: 403, description: "The connection's role on task results does not allow this step (DATA_ROLE_NOT_ALLOWED), or the task is outside its write scope", type: ApiErrorBody })
@ApiResponse({ status: 404, description: 'No such task among those the connection may read, or revoked', type: ApiErrorBody })
@Controller('api/v1/task-results')
@ScreenFreeText({ body: ['reason', 'explanation'] })
export class TaskFlowController {
  constructor(private readonly flow: TaskFlowService) {}

  @Post(':taskCode/receipt')
  @HttpCode(200)
  @DataPlaneAccess('task-results', 'push')
  @ApiOperation({ operationId: 'confirmTaskReceipt', summary: 'REPORTER: confirm receipt of an assigned task (Appendix I step 4); repeating it changes nothing' })
  @ApiParam(TASK_CODE)
  @ApiOkResponse({ type: TaskResultDto })
  receipt(@Principal() principal: DataPlanePrincipal, @Req() request: FastifyRequest, @Param('taskCode') taskCode: string) {
    return this.flow.taskStep({ principal, requestId: String(request.id) }, taskCode, 'receipt', {});
  }

  @Post(':taskCode/disputes')
  @HttpCode(200)
  @DataPlaneAccess('task-results', 'push')
  @ApiOperation({ operationId: 'disputeTask', summary: 'REPORTER: dispute the assignment, with a reason, within 8 working hours of it (Appendix I step 5)' })
  @ApiParam(TASK_CODE)
  @ApiBody({ type: DisputeDto })
  @ApiOkResponse({ type: TaskResultDto })
  @ApiResponse({ status: 409, description: 'DISPUTE_WINDOW_CLOSED: more than 8 working hours after the assignment', type: ApiErrorBody })
  dispute(@Principal() principal: DataPlanePrincipal, @Req() request: FastifyRequest, @Param('taskCode') taskCode: string, @Body() body: unknown) {
    return this.flow.taskStep({ principal, requestId: String(request.id) }, taskCode, 'dispute', body);
  }

  @Post(':taskCode/reviews')
  @HttpCode(200)
  @DataPlaneAccess('task-results', 'push')
  @ApiOperation({ operationId: 'reviewTask', summary: 'ASSIGNER: approve the reported result, or return it with the explanation it requires (III.1.c)' })
  @ApiParam(TASK_CODE)
  @ApiBody({ type: ReviewDto })
  @ApiOkResponse({ type: TaskResultDto })
  review(@Principal() principal: DataPlanePrincipal, @Req() request: FastifyRequest, @Param('taskCode') taskCode: string, @Body() body: unknown) {
    return this.flow.taskStep({ principal, requestId: String(request.id) }, taskCode, 'review', body);
  }

  @Get(':taskCode/versions')
  @DataPlaneAccess('task-results', 'pull')
  @ApiOperation({ operationId: 'listTaskResultVersions', summary: 'Every accepted version of a task result, oldest first: body, version, connection, certificate, time, request id' })
  @ApiParam(TASK_CODE)
  @ApiOkResponse({ type: RecordVersionsDto })
  versions(@Principal() principal: DataPlanePrincipal, @Param('taskCode') taskCode: string) {
    return this.flow.taskVersions(principal, taskCode);
  }
}
