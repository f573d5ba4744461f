import { Body, Controller, Headers, Post } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../accounts/actor.js';
import { ControlPlaneRoute, CurrentActor } from '../accounts/control-plane-action.decorator.js';
import { ALLOWED_EVIDENCE_TYPES } from '../data-exchange/attachments/evidence-file-types.js';
import { DocumentsService } from './documents.service.js';

@ApiTags('Documents')
@Controller('control/v1/documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post()
  @ControlPlaneRoute('documents.upload')
  @ApiOperation({ operationId: 'uploadDocument', summary: 'File a document (raw body): security assessment, test report, remediation confirmation' })
  @ApiConsumes(...Object.values(ALLOWED_EVIDENCE_TYPES).flat(), 'application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  upload(
    @CurrentActor() actor: Actor,
    @Body() body: unknown,
    @Headers('content-type') contentType?: string,
    @Headers('x-file-name') fileName?: string,
  ) {
    return this.documents.store(actor, body, contentType, fileName);
  }
}
