import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { Actor } from '../accounts/actor.js';
import { Role } from '../accounts/roles.js';
import { inspectEvidenceFile } from '../data-exchange/attachments/evidence-file.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { ApiError } from '../shared/errors/api-error.js';
import { FileScreening } from '../shared/files/file-screening.js';
import { ControlDocument } from './document.entity.js';

@Injectable()
export class DocumentsService {
  constructor(
    @InjectRepository(ControlDocument) private readonly documents: Repository<ControlDocument>,
    private readonly config: GatewayConfig,
    private readonly screening: FileScreening,
  ) {}

  /** The same checks as evidence files on the data plane (IV.5.a), malware screening included. */
  async store(actor: Actor, bytes: unknown, declaredType: string | undefined, fileName: string | undefined) {
    const file = await inspectEvidenceFile(bytes, declaredType, fileName, this.config.ATTACHMENT_MAX_BYTES);
    await this.screening.screen(file.content, file);
    const saved = await this.documents.save(
      this.documents.create({ ...file, unit: actor.role === Role.UNIT_ADMIN ? actor.unit : null, uploadedBy: actor.accountId }),
    );
    return { documentId: saved.id, sha256: saved.sha256, mediaType: saved.mediaType, sizeBytes: saved.sizeBytes };
  }

  /**
   * A filed document with its bytes, for reading: DTD, security officers and auditors read every
   * one; a unit administrator its own agency's and the signed agreement minutes of its own
   * connections, which DTD files but both sides signed (anyone else's is a 404, as if absent).
   */
  async fetch(actor: Actor, documentId: string): Promise<ControlDocument> {
    const document = await this.documents.findOne({ where: { id: documentId }, select: { id: true, fileName: true, mediaType: true, sizeBytes: true, sha256: true, content: true, unit: true, createdAt: true, uploadedBy: true } });
    if (!document || (actor.role === Role.UNIT_ADMIN && document.unit !== actor.unit && !(await this.isOwnAgreementScan(documentId, actor.unit)))) {
      throw ApiError.notFound('No such document');
    }
    return document;
  }

  /**
   * SQL rather than the connections' repository: connections use this service (a document a step
   * refers to), so importing theirs here would make a cycle.
   */
  private async isOwnAgreementScan(documentId: string, unit: string | null): Promise<boolean> {
    const rows: unknown[] = await this.documents.manager.query(
      `SELECT 1 FROM connection_agreements a JOIN connections c ON c.id = a.connection_id WHERE a.document_id = $1 AND c.owner_unit = $2 LIMIT 1`,
      [documentId, unit],
    );
    return rows.length > 0;
  }

  /** A document a unit refers to must be its own (or filed by DTD). */
  async assertUsableBy(actor: Actor, documentId: string, field: string): Promise<void> {
    const document = await this.documents.findOneBy({ id: documentId });
    const usable = document && (actor.role !== Role.UNIT_ADMIN || document.unit === actor.unit);
    if (!usable) throw ApiError.badRequest('Unknown document', [{ field, problem: 'is not a document you uploaded' }]);
  }
}
