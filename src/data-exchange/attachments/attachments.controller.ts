import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataPlaneAccess, Principal } from '../../auth/data-plane-access.decorator.js';
import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import { ApiError, ApiErrorBody } from '../../shared/errors/api-error.js';
import { AttachmentReceipt, AttachmentsService } from './attachments.service.js';
import { ALLOWED_EVIDENCE_TYPES } from './evidence-file-types.js';

class AttachmentReceiptDto implements AttachmentReceipt {
  @ApiProperty({ format: 'uuid' }) attachmentId: string;
  @ApiProperty({ description: 'Hex SHA-256 of the stored bytes' }) sha256: string;
  @ApiProperty({ example: 'application/pdf', description: 'Sniffed from the bytes' }) mediaType: string;
  @ApiProperty() sizeBytes: number;
}

const invalidId = () => ApiError.badRequest('Invalid attachment id', [{ field: 'attachmentId', problem: 'must be a UUID' }]);

@ApiTags('Attachments — File sở cứ')
@Controller('api/v1/attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post()
  @DataPlaneAccess('evidence', 'push')
  @ApiOperation({ operationId: 'uploadAttachment', summary: 'Upload one evidence file as the raw body; its type is sniffed from the bytes' })
  @ApiConsumes(...Object.values(ALLOWED_EVIDENCE_TYPES).flat(), 'application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiHeader({ name: 'x-file-name', required: false, description: 'Original file name: percent-encoded UTF-8, or UTF-8 as is; "file" when absent' })
  @ApiResponse({ status: 201, type: AttachmentReceiptDto })
  @ApiResponse({ status: 400, description: 'Empty, or the bytes are not an allowed type or do not match Content-Type; or the file was refused by malware screening: FILE_MACROS_REFUSED, FILE_ARCHIVE_REFUSED (zip bomb, damaged, encrypted), FILE_MALWARE_FOUND', type: ApiErrorBody })
  @ApiResponse({ status: 503, description: 'FILE_SCANNER_UNAVAILABLE: the malware scanner could not check the file; try again later', type: ApiErrorBody })
  @ApiResponse({ status: 413, description: 'Larger than the configured limit (default 20 MB)', type: ApiErrorBody })
  upload(
    @Principal() principal: DataPlanePrincipal,
    @Body() body: unknown,
    @Headers('content-type') contentType?: string,
    @Headers('x-file-name') fileName?: string,
  ): Promise<AttachmentReceiptDto> {
    return this.attachments.store(principal, body, contentType, fileName);
  }

  @Get(':attachmentId')
  @DataPlaneAccess('evidence', 'pull')
  @ApiOperation({ operationId: 'downloadAttachment', summary: 'Download an evidence file referenced by a record this connection may read' })
  @ApiOkResponse({ description: 'The file as uploaded, in its sniffed media type (Content-Type), with X-Content-SHA256', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 404, description: 'Unknown, or not referenced by any record this connection may read', type: ApiErrorBody })
  async download(
    @Principal() principal: DataPlanePrincipal,
    @Param('attachmentId', new ParseUUIDPipe({ exceptionFactory: invalidId })) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const file = await this.attachments.fetch(principal, id);
    reply
      .header('content-type', file.mediaType)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
      .header('x-content-sha256', file.sha256)
      .header('x-content-type-options', 'nosniff');
    return file.content;
  }
}
