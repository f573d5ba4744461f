import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import { mayUse, readableUnits } from '../../connections/connection-scope.js';
import { GatewayConfig } from '../../shared/config/gateway-config.js';
import { ApiError } from '../../shared/errors/api-error.js';
import { FileScreening } from '../../shared/files/file-screening.js';
import type { UnitRegister } from '../../units/unit-register.js';
import { UnitRegisterService } from '../../units/unit-register.service.js';
import { KPI_RESULT_SCHEMA } from '../kpi-results/kpi-result.schema.js';
import { columnOf } from '../shared/record-schema.js';
import { SqlParams } from '../shared/sql-params.js';
import { TASK_RESULT_SCHEMA } from '../task-results/task-result.schema.js';
import { Attachment } from './attachment.entity.js';
import { inspectEvidenceFile } from './evidence-file.js';

export interface AttachmentReceipt {
  attachmentId: string;
  sha256: string;
  mediaType: string;
  sizeBytes: number;
}

/** Records whose attachments may be downloaded: table and the field that says which unit owns them. */
const REFERENCING_TABLES = [TASK_RESULT_SCHEMA, KPI_RESULT_SCHEMA].map((schema) => ({
  dataSet: schema.dataSet,
  table: schema.table,
  owner: columnOf(schema, schema.ownerCodeField),
}));

@Injectable()
export class AttachmentsService {
  constructor(
    @InjectRepository(Attachment) private readonly attachments: Repository<Attachment>,
    private readonly db: DataSource,
    private readonly config: GatewayConfig,
    private readonly screening: FileScreening,
    private readonly units: UnitRegisterService,
  ) {}

  async store(principal: DataPlanePrincipal, bytes: unknown, declaredType: string | undefined, fileName: string | undefined): Promise<AttachmentReceipt> {
    const file = await inspectEvidenceFile(bytes, declaredType, fileName, this.config.ATTACHMENT_MAX_BYTES);
    await this.screening.screen(file.content, file);
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
    const rows = await this.db.query(
      `SELECT id, file_name AS "fileName", media_type AS "mediaType", size_bytes AS "sizeBytes", sha256, content
         FROM attachments a
        WHERE a.id = ${idParam}::uuid AND ${usableBy(principal, p, this.units.register())}`,
      p.values,
    );
    if (!rows[0]) throw ApiError.notFound('No such attachment among those this connection may read');
    return rows[0] as Attachment;
  }

  /**
   * Which of these ids a record of this connection may not reference: files it neither uploaded
   * nor may read (the same rule as a download). Otherwise a connection could put another's
   * attachmentId in a record of its own and then download the file through that record.
   * Files of other connections and ids that name nothing are not told apart: existence is not
   * disclosed.
   */
  async unusableIds(principal: DataPlanePrincipal, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const p = new SqlParams();
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT a.id::text AS id FROM attachments a WHERE a.id = ANY(${p.add(ids)}::uuid[]) AND ${usableBy(principal, p, this.units.register())}`,
      p.values,
    );
    const usable = new Set(rows.map((r) => r.id));
    return new Set(ids.filter((id) => !usable.has(id)));
  }
}

/**
 * SQL condition on attachment `a`: in the connection's environment, and uploaded by it or
 * referenced by a live, unclassified record it may read (of a data set its agreement lets it
 * pull, owned by a unit it may read). The cheap owner test comes first.
 */
function usableBy(principal: DataPlanePrincipal, p: SqlParams, register: UnitRegister): string {
  const env = p.add(principal.environment);
  const units = readableUnits(register, principal.scope);
  const unitsParam = units ? p.add(units) : null;
  const readable = REFERENCING_TABLES.filter(({ dataSet }) => mayUse(principal.scope, dataSet, 'pull')).map(
    ({ table, owner }) => `EXISTS (SELECT 1 FROM ${table} r WHERE r.environment = ${env} AND r.attachments @> ARRAY[a.id::text]
       AND NOT r.revoked AND r.classification = 'UNCLASSIFIED'${unitsParam ? ` AND r.${owner} = ANY(${unitsParam}::text[])` : ''})`,
  );
  return `a.environment = ${env} AND (a.uploaded_by_connection = ${p.add(principal.connectionId)}::uuid${readable.map((r) => ` OR ${r}`).join('')})`;
}
