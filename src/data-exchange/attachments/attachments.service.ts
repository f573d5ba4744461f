import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import { mayUse, readableUnits } from '../../connections/connection-scope.js';
import { GatewayConfig } from '../../shared/config/gateway-config.js';
import { ApiError } from '../../shared/errors/api-error.js';
import { SqlParams } from '../shared/sql-params.js';
import { Attachment } from './attachment.entity.js';
import { inspectEvidenceFile } from './evidence-file.js';

export interface AttachmentReceipt {
  attachmentId: string;
  sha256: string;
  mediaType: string;
  sizeBytes: number;
}

/** Records whose attachments may be downloaded: table and the field that says which unit owns them. */
const REFERENCING_TABLES = [
  { dataSet: 'task-results', table: 'task_results', owner: 'lead_unit' },
  { dataSet: 'kpi-results', table: 'kpi_results', owner: 'reporting_agency' },
] as const;

@Injectable()
export class AttachmentsService {
  constructor(
    @InjectRepository(Attachment) private readonly attachments: Repository<Attachment>,
    private readonly db: DataSource,
    private readonly config: GatewayConfig,
  ) {}

  async store(principal: DataPlanePrincipal, bytes: unknown, declaredType: string | undefined, fileName: string | undefined): Promise<AttachmentReceipt> {
    const file = await inspectEvidenceFile(bytes, declaredType, fileName, this.config.ATTACHMENT_MAX_BYTES);
    const saved = await this.attachments.save(
      this.attachments.create({ ...file, environment: principal.environment, uploadedByConnection: principal.connectionId }),
    );
    return { attachmentId: saved.id, sha256: saved.sha256, mediaType: saved.mediaType, sizeBytes: saved.sizeBytes };
  }

  /**
   * The file, for a connection that uploaded it or may read a live, unclassified record that
   * references it. Anything else is "not found": existence is not disclosed.
   */
  async fetch(principal: DataPlanePrincipal, id: string): Promise<Attachment> {
    const p = new SqlParams();
    const idParam = p.add(id);
    const env = p.add(principal.environment);
    const units = readableUnits(principal.scope);
    const unitsParam = units ? p.add(units) : null;
    // Only records of data sets the agreement lets this connection pull can open their evidence.
    const readable = REFERENCING_TABLES.filter(({ dataSet }) => mayUse(principal.scope, dataSet, 'pull')).map(
      ({ table, owner }) => `EXISTS (SELECT 1 FROM ${table} r WHERE r.environment = ${env} AND r.attachments @> ARRAY[${idParam}]::text[]
         AND NOT r.revoked AND r.classification = 'UNCLASSIFIED'${unitsParam ? ` AND r.${owner} = ANY(${unitsParam}::text[])` : ''})`,
    );
    const rows = await this.db.query(
      `SELECT id, file_name AS "fileName", media_type AS "mediaType", size_bytes AS "sizeBytes", sha256, content
         FROM attachments a
        WHERE a.id = ${idParam}::uuid AND a.environment = ${env}
          AND (a.uploaded_by_connection = ${p.add(principal.connectionId)}::uuid${readable.map((r) => ` OR ${r}`).join('')})`,
      p.values,
    );
    if (!rows[0]) throw ApiError.notFound('No such attachment among those this connection may read');
    return rows[0] as Attachment;
  }

  /** Which of these ids name no attachment in the environment. */
  async unknownIds(environment: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: Array<{ id: string }> = await this.db.query(
      'SELECT id::text AS id FROM attachments WHERE environment = $1 AND id = ANY($2::uuid[])',
      [environment, ids],
    );
    const known = new Set(rows.map((r) => r.id));
    return new Set(ids.filter((id) => !known.has(id)));
  }
}
