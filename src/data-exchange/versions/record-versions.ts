import type { DataSource } from 'typeorm';
import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import { mayReadUnit, mayWriteUnit, visibleClassifications } from '../../connections/connection-scope.js';
import { ApiError } from '../../shared/errors/api-error.js';
import { authorityOf } from '../authority/roles.js';
import { columnOf } from '../shared/record-schema.js';
import type { RecordStore } from '../shared/record-store.js';
import { withheldWhenClassified } from './version-body.js';

/**
 * The kept versions of one record (IV.6: a dispute is settled from the log): what it said after
 * each accepted change, who sent it (connection, certificate) and when, oldest first. Visible to a
 * connection that may read the record (or write it), also after revocation. A version of a record
 * that is — or was at that version — classified carries only the status (III.1.d): the restricted
 * fields and the narrative of reviews and disputes are left out.
 */
export async function listVersions(db: DataSource, store: RecordStore, principal: DataPlanePrincipal, key: Record<string, string>, label: string) {
  const { schema } = store;
  const match = schema.keyFields.map((f, n) => `${columnOf(schema, f)} = $${n + 2}`);
  const [current]: Array<{ owner: string; classification: string }> = await db.query(
    `SELECT ${store.ownerColumn} AS owner, classification FROM ${schema.table} WHERE environment = $1 AND ${match.join(' AND ')}`,
    [principal.environment, ...schema.keyFields.map((f) => key[f])],
  );
  // As for the record itself (record-store.ts findOne): its writer sees it; a reader sees it when
  // the unit is in its read scope and its clearance covers the classification, else it does not exist.
  const levels = visibleClassifications(principal.scope);
  const authority = authorityOf(principal, schema.dataSet);
  const visible =
    current &&
    (((authority.assigns || authority.reports) && mayWriteUnit(store.units.register(), principal.scope, current.owner)) || (mayReadUnit(store.units.register(), principal.scope, current.owner) && (!levels || levels.includes(current.classification))));
  if (!visible) throw ApiError.notFound(`No ${label} among those this connection may read`);
  const classifiedNow = current.classification !== 'UNCLASSIFIED';
  const hidden = withheldWhenClassified(schema);
  const rows: Array<{ json: string }> = await db.query(
    `SELECT json_build_object('version', version, 'change', change,
              'body', CASE WHEN $4::boolean OR body->>'classification' <> 'UNCLASSIFIED' THEN body - $5::text[] ELSE body END,
              'connectionId', connection_id, 'certificateThumbprint', certificate_thumbprint, 'requestId', request_id, 'recordedAt', recorded_at)::text AS json
       FROM record_versions WHERE data_set = $1 AND environment = $2 AND record_key = $3 ORDER BY version`,
    [schema.dataSet, principal.environment, schema.keyFields.map((f) => key[f]).join('/'), classifiedNow, hidden],
  );
  return { items: rows.map((r) => JSON.parse(r.json) as Record<string, unknown>) };
}
