import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Res, StreamableFile } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../accounts/actor.js';
import { ControlPlaneRoute, CurrentActor } from '../accounts/control-plane-action.decorator.js';
import { ALLOWED_EVIDENCE_TYPES } from '../data-exchange/attachments/evidence-file-types.js';
import { ApiErrorBody } from '../shared/errors/api-error.js';
import { ApiFailures, ApiSuccess } from '../shared/errors/api-error-responses.js';
import { DocumentsService } from './documents.service.js';
import { Audited } from '../audit/http/audited.decorator.js';

/** A filed document: quote documentId in the dossier, the test confirmation or the remediation report. */
class StoredDocumentView {
  @ApiProperty({ format: 'uuid' }) documentId: string;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the bytes, lower-case hex' }) sha256: string;
  @ApiProperty({ example: 'application/pdf', description: 'As detected from the bytes' }) mediaType: string;
  @ApiProperty() sizeBytes: number;
}

@ApiTags('Documents')
@Controller('control/v1/documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post()
  @ControlPlaneRoute('documents.upload')
  @Audited({ target: 'document', createdId: ({ documentId }) => documentId })
  @ApiOperation({ operationId: 'uploadDocument', summary: 'File a document (raw body): security assessment, test report, remediation confirmation' })
  @ApiConsumes(...Object.values(ALLOWED_EVIDENCE_TYPES).flat(), 'application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiHeader({ name: 'x-file-name', required: false, description: 'Original file name: percent-encoded UTF-8, or UTF-8 as is; "file" when absent' })
  @ApiResponse({ status: 400, description: 'Not an allowed type, or refused by malware screening: FILE_MACROS_REFUSED, FILE_ARCHIVE_REFUSED (zip bomb, damaged, encrypted), FILE_MALWARE_FOUND', type: ApiErrorBody })
  @ApiSuccess(201, StoredDocumentView)
  @ApiFailures([413, 'Larger than the configured limit'])
  @ApiResponse({ status: 503, description: 'FILE_SCANNER_UNAVAILABLE: the malware scanner could not check the file; try again later', type: ApiErrorBody })
  async upload(
    @CurrentActor() actor: Actor,
    @Body() body: unknown,
    @Headers('content-type') contentType?: string,
    @Headers('x-file-name') fileName?: string,
  ): Promise<StoredDocumentView> {
    const { documentId, sha256, mediaType, sizeBytes } = await this.documents.store(actor, body, contentType, fileName);
    return { documentId, sha256, mediaType, sizeBytes };
  }

  @Get(':id')
  @ControlPlaneRoute('documents.read')
  @Audited({ target: 'document' })
  @ApiOperation({ operationId: 'downloadDocument', summary: "Download a filed document: the bytes as filed, its type as detected, its SHA-256 in X-Content-SHA256. A unit administrator reads its own agency's only" })
  @ApiOkResponse({ description: 'The file (Content-Disposition: attachment)', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } })
  @ApiFailures(400, 404)
  async download(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<StreamableFile> {
    const file = await this.documents.fetch(actor, id);
    reply.header('x-content-sha256', file.sha256);
    // The type detected from the bytes at upload, never the declared one (helmet adds nosniff).
    return new StreamableFile(file.content, {
      type: file.mediaType,
      length: file.sizeBytes,
      disposition: `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    });
  }
}
