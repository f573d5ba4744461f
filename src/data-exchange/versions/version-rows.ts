import type { RecordSchema } from '../shared/record-schema.js';
import type { WriteContext } from '../shared/write-context.js';
import type { SqlParams } from '../shared/sql-params.js';
import { recordKeySql } from './version-body.js';

/**
 * `INSERT INTO record_versions … SELECT … FROM <cte>`: one version row per changed record, set-based,
 * for use as a data-modifying CTE beside the statement that changed the records. The CTE must
 * return the key columns, `version`, `updated_at` and `body` (recordBodySql) of the changed rows.
 * The version's time is the record's `updated_at`; its request id is the audit entry's.
 */
export function insertVersionsSql(schema: RecordSchema, from: string, changeSql: string, p: SqlParams, ctx: WriteContext): string {
  return `INSERT INTO record_versions (data_set, environment, record_key, version, change, body, connection_id, certificate_thumbprint, request_id, recorded_at)
          SELECT ${p.add(schema.dataSet)}, ${p.add(ctx.principal.environment)}, ${recordKeySql(schema)}, version, ${changeSql}, body::jsonb,
                 ${p.add(ctx.principal.connectionId)}::uuid, ${p.add(ctx.principal.certificateThumbprint)}, ${p.add(ctx.requestId)}::uuid, updated_at
            FROM ${from}`;
}
