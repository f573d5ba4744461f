import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { ControlPlaneRoute } from '../../accounts/control-plane-action.decorator.js';
import { ApiFailures } from '../../shared/errors/api-error-responses.js';
import { AuditQueryService } from './audit-query.service.js';
import { AuditEntryPageDto, AuditRangeQueryDto, AuditSearchQueryDto, AuditVerificationDto } from './dto/audit.dto.js';
import { Audited } from '../http/audited.decorator.js';

const date = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

@ApiTags('Audit log (auditors)')
@Controller('control/v1/audit')
export class AuditController {
  constructor(private readonly query: AuditQueryService) {}

  @Get('entries')
  @ControlPlaneRoute('audit.read')
  @Audited()
  @ApiOperation({ operationId: 'searchAuditEntries', summary: 'Audit entries of both planes, newest first: by request id, connection, actor, action, plane, outcome and time, with cursor paging' })
  @ApiOkResponse({ type: AuditEntryPageDto })
  @ApiFailures(400)
  search(@Query() q: AuditSearchQueryDto) {
    return this.query.search({ ...q, from: date(q.from), to: date(q.to) });
  }

  @Get('verification')
  @ControlPlaneRoute('audit.read')
  @Audited()
  @ApiOperation({ operationId: 'verifyAuditLog', summary: 'Recompute the hash chain and checkpoint signatures over a time range; reports the first mismatch' })
  @ApiOkResponse({ type: AuditVerificationDto })
  @ApiFailures(400)
  verify(@Query() q: AuditRangeQueryDto) {
    return this.query.verify({ from: date(q.from), to: date(q.to) });
  }

  @Get('export')
  @ControlPlaneRoute('audit.read')
  @Audited()
  @ApiOperation({ operationId: 'exportAuditLog', summary: 'Entries, checkpoints and public key of a time range, verifiable offline (npm run cli -- audit:verify --file); the CLI audit:export format' })
  @ApiProduces('application/json')
  @ApiOkResponse({ description: 'gateway-audit-export/v2 (see src/audit/README.md)', schema: { type: 'object' } })
  @ApiFailures(400)
  async export(@Query() q: AuditRangeQueryDto) {
    const { chunks, startSeq, endSeq } = await this.query.export({ from: date(q.from), to: date(q.to) });
    return new StreamableFile(Readable.from(chunks), {
      type: 'application/json; charset=utf-8',
      disposition: `attachment; filename="audit-export-seq-${startSeq}-${endSeq ?? 'none'}.json"`,
    });
  }
}
