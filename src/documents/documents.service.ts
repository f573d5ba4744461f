import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import crypto from 'node:crypto';
import { Repository } from 'typeorm';
import type { Actor } from '../accounts/actor.js';
import { Role } from '../accounts/roles.js';
import { sniffEvidenceType } from '../data-exchange/attachments/evidence-file-types.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { ApiError } from '../shared/errors/api-error.js';
import { ControlDocument } from './document.entity.js';

@Injectable()
export class DocumentsService {
  constructor(
    @InjectRepository(ControlDocument) private readonly documents: Repository<ControlDocument>,
    private readonly config: GatewayConfig,
  ) {}

  /** Same checks as evidence files: type sniffed from the bytes, size bounded, hashed. */
  async store(actor: Actor, bytes: unknown, declaredType: string | undefined, fileName: string | undefined) {
    if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw ApiError.badRequest('The body must be the file itself', [{ field: 'body', problem: 'is empty' }]);
    if (bytes.length > this.config.ATTACHMENT_MAX_BYTES) throw ApiError.tooLarge(`Documents are limited to ${this.config.ATTACHMENT_MAX_BYTES} bytes`);
    const sniffed = await sniffEvidenceType(bytes, declaredType);
    if (!sniffed.ok) throw ApiError.badRequest('The file is not an allowed document type', [{ field: 'Content-Type', problem: sniffed.problem }], 'FILE_TYPE_REFUSED');
    const saved = await this.documents.save(
      this.documents.create({
        unit: actor.role === Role.UNIT_ADMIN ? actor.unit : null,
        uploadedBy: actor.accountId,
        fileName: (fileName ? safeDecode(fileName) : 'document').replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 255),
        mediaType: sniffed.mediaType,
        sizeBytes: bytes.length,
        sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
        content: bytes,
      }),
    );
    return { documentId: saved.id, sha256: saved.sha256, mediaType: saved.mediaType, sizeBytes: saved.sizeBytes };
  }

  /** A document a unit refers to must be its own (or filed by DTD). */
  async assertUsableBy(actor: Actor, documentId: string, field: string): Promise<void> {
    const document = await this.documents.findOneBy({ id: documentId });
    const usable = document && (actor.role !== Role.UNIT_ADMIN || document.unit === actor.unit);
    if (!usable) throw ApiError.badRequest('Unknown document', [{ field, problem: 'is not a document you uploaded' }]);
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
