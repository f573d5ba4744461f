import { Body, Controller, Delete, Get, Header, Headers, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataPlaneAccess, Principal } from '../../auth/data-plane-access.decorator.js';
import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import { ScreenedBatchItems, type ScreenedItems } from '../../security/enforcement/screened-items.js';
import { ScreenFreeText } from '../../security/enforcement/screening-policy.js';
import { ApiErrorBody } from '../../shared/errors/api-error.js';
import { BatchRequestDocs, batchItems } from '../shared/batch-request.dto.js';
import { BatchResponse } from '../shared/batch-outcome.dto.js';
import { etagOf, expectedVersion } from '../shared/if-match.js';
import { TASK_RESULT_FREE_TEXT, TaskResultInputDto } from './dto/task-result-input.dto.js';
import { PullTaskResultsQueryDto, TaskResultDto, TaskResultPageDto, TaskResultTombstoneDto } from './dto/task-result.dto.js';
import { TaskResultsService } from './task-results.service.js';

const TASK_CODE = { name: 'taskCode', description: 'Mã nhiệm vụ', example: '012_TBKL_NQ57' };

@ApiTags('Task results — Kết quả thực hiện nhiệm vụ')
@ApiResponse({ status: 400, description: 'Malformed or invalid input; `details` names each field', type: ApiErrorBody })
@Controller('api/v1/task-results')
@ScreenFreeText({ query: ['leadUnit'], body: TASK_RESULT_FREE_TEXT })
export class TaskResultsController {
  constructor(private readonly tasks: TaskResultsService) {}

  @Post('batch')
  @HttpCode(200)
  @DataPlaneAccess('task-results', 'push')
  @ApiOperation({ operationId: 'upsertTaskResultsBatch', summary: 'Upsert up to 1,000 task results; one outcome per item' })
  @ApiBody({ type: BatchRequestDocs(TaskResultInputDto) })
  @ApiOkResponse({ type: BatchResponse })
  @ApiResponse({ status: 413, description: 'More than 1,000 items or body too large', type: ApiErrorBody })
  upsertBatch(
    @Principal() principal: DataPlanePrincipal,
    @Req() request: FastifyRequest,
    @Body() body: { items?: unknown },
    @ScreenedBatchItems() screened: ScreenedItems,
  ) {
    return this.tasks.upsertBatch({ principal, requestId: String(request.id) }, batchItems(body), screened);
  }

  @Put(':taskCode')
  @DataPlaneAccess('task-results', 'push')
  @ApiOperation({ operationId: 'putTaskResult', summary: 'Create or replace one task result (idempotent)' })
  @ApiParam(TASK_CODE)
  @ApiHeader({ name: 'if-match', required: false, description: 'ETag of the version being replaced, or * for "only if it exists"; 409 when it does not hold' })
  @ApiBody({ type: TaskResultInputDto })
  @ApiResponse({ status: 201, description: 'Created', type: TaskResultDto })
  @ApiOkResponse({ description: 'Updated or unchanged', type: TaskResultDto })
  @ApiResponse({ status: 409, description: 'If-Match is stale', type: ApiErrorBody })
  async put(
    @Principal() principal: DataPlanePrincipal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Param('taskCode') taskCode: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch?: string,
  ) {
    const { outcome } = await this.tasks.upsertOne({ principal, requestId: String(request.id) }, { taskCode }, body, expectedVersion(ifMatch));
    reply.status(outcome.status === 'created' ? 201 : 200).header('ETag', etagOf(outcome.version!));
    return this.tasks.findOne(principal, taskCode, true);
  }

  @Get(':taskCode')
  @DataPlaneAccess('task-results', 'pull')
  @ApiOperation({ operationId: 'getTaskResult', summary: 'One task result with its deadline signal' })
  @ApiParam(TASK_CODE)
  @ApiOkResponse({ type: TaskResultDto })
  @ApiResponse({ status: 404, description: 'No such record among those the connection may read, or revoked', type: ApiErrorBody })
  async get(@Principal() principal: DataPlanePrincipal, @Res({ passthrough: true }) reply: FastifyReply, @Param('taskCode') taskCode: string) {
    const record = await this.tasks.findOne(principal, taskCode);
    reply.header('ETag', etagOf(record.version as number));
    return record;
  }

  @Get()
  @DataPlaneAccess('task-results', 'pull')
  @ApiOperation({ operationId: 'pullTaskResults', summary: 'Pull task results in change order, with filters and cursor paging' })
  @ApiOkResponse({ type: TaskResultPageDto })
  @Header('Content-Type', 'application/json; charset=utf-8')
  pull(@Principal() principal: DataPlanePrincipal, @Query() query: PullTaskResultsQueryDto) {
    return this.tasks.pull(principal, query);
  }

  @Delete(':taskCode')
  @DataPlaneAccess('task-results', 'push')
  @ApiOperation({ operationId: 'revokeTaskResult', summary: 'Revoke (withdraw) a task result; pulls with a cursor or updatedSince return its tombstone' })
  @ApiParam(TASK_CODE)
  @ApiHeader({ name: 'if-match', required: false, description: 'ETag of the version being revoked, or * for "only if it exists"; 409 when it does not hold' })
  @ApiOkResponse({ type: TaskResultTombstoneDto })
  @ApiResponse({ status: 404, description: 'No such record', type: ApiErrorBody })
  revoke(
    @Principal() principal: DataPlanePrincipal,
    @Req() request: FastifyRequest,
    @Param('taskCode') taskCode: string,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.tasks.revoke({ principal, requestId: String(request.id) }, { taskCode }, expectedVersion(ifMatch));
  }
}
