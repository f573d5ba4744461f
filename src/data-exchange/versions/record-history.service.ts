import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Environment } from '../../connections/environment.js';
import { ApiError } from '../../shared/errors/api-error.js';
import { type Page, pageWindow, type PageQueryDto, type PageWindow, toPage } from '../../shared/http/paging.js';
import { KPI_RESULT_SCHEMA, reportingAgencyRequired } from '../kpi-results/kpi-result.schema.js';
import { columnOf, type RecordSchema } from '../shared/record-schema.js';
import { CODE_PATTERN } from '../shared/validators.js';
import { TASK_RESULT_SCHEMA } from '../task-results/task-result.schema.js';
import type { RecordVersionView, VersionChange } from './record-history.views.js';
import { recordBodyKeys, withheldWhenClassified } from './version-body.js';

const SCHEMAS: Record<RecordVersionView['dataSet'], RecordSchema> = { 'task-results': TASK_RESULT_SCHEMA, 'kpi-results': KPI_RESULT_SCHEMA };



/**
 * Whether the record a version belongs to is classified now, as one SQL expression over the
 * version row `v`: a version of a record classified since keeps only its status (III.1.d), as
 * the data plane's versions do (record-versions.ts). The key's parts are split back out of
 * `record_key` (no code, period or unit code holds a '/'), so that the record's key index serves.
 */
function classifiedNowSql(): string {
  const arms = Object.values(SCHEMAS).map((schema) => {
    const match = schema.keyFields.map((field, n) => `r.${columnOf(schema, field)} = split_part(v.record_key, '/', ${n + 1})`);
    return `WHEN '${schema.dataSet}' THEN EXISTS (SELECT 1 FROM ${schema.table} r WHERE r.environment = v.environment AND ${match.join(' AND ')} AND r.classification <> 'UNCLASSIFIED')`;
  });
  return `CASE v.data_set ${arms.join(' ')} ELSE true END`;
}

interface VersionRow {
  data_set: RecordVersionView['dataSet'];
  environment: Environment;
  record_key: string;
  version: number;
  change: VersionChange;
  recorded_at: Date;
  connection_id: string;
  connection_name: string | null;
  owner_unit: string | null;
  certificate_thumbprint: string;
  request_id: string;
  body: Record<string, unknown>;
  previous: Record<string, unknown> | null;
  classified_now: boolean;
}

/** Each version with its connection, the version before it (for what changed) and whether its record is classified now. */
const SELECT_VERSIONS = `SELECT v.data_set, v.environment, v.record_key, v.version, v.change, v.recorded_at, v.connection_id,
       c.name AS connection_name, c.owner_unit, v.certificate_thumbprint, v.request_id, v.body, p.body AS previous,
       ${classifiedNowSql()} AS classified_now
  FROM record_versions v
  LEFT JOIN connections c ON c.id = v.connection_id
  LEFT JOIN record_versions p ON p.data_set = v.data_set AND p.environment = v.environment AND p.record_key = v.record_key AND p.version = v.version - 1`;

/**
 * The kept versions of exchanged records, for the people who settle a dispute from the system's
 * log (IV.6): the DTD and auditors. Every accepted change is a version (record-store.ts writes it
 * in the same statement as the record), with the connection and certificate of the call and its
 * request id, which is also its audit entry's.
 */
@Injectable()
export class RecordHistoryService {
  constructor(private readonly db: DataSource) {}

  async ofTask(taskCode: string, environment: Environment, query: PageQueryDto & { order?: 'oldest' | 'newest' }): Promise<Page<RecordVersionView>> {
    checkCode('taskCode', taskCode);
    return this.ofRecord('task-results', environment, taskCode, query, `task result ${taskCode}`);
  }

  async ofKpi(indicatorCode: string, period: string, environment: Environment, query: PageQueryDto & { order?: 'oldest' | 'newest'; reportingAgencyCode?: string }): Promise<Page<RecordVersionView>> {
    checkCode('indicatorCode', indicatorCode);
    checkCode('period', period);
    const agency = query.reportingAgencyCode ?? (await this.onlyReportingAgency(indicatorCode, period, environment));
    return this.ofRecord('kpi-results', environment, `${indicatorCode}/${period}/${agency}`, query, `KPI result ${indicatorCode}/${period}`);
  }

  /** The versions one call wrote (a batch writes many), by record and version. */
  async ofRequest(requestId: string, query: PageQueryDto): Promise<Page<RecordVersionView>> {
    const window = pageWindow(query);
    const rows: VersionRow[] = await this.db.query(
      `${SELECT_VERSIONS} WHERE v.request_id = $1 ORDER BY v.data_set, v.environment, v.record_key, v.version OFFSET $2 LIMIT $3`,
      [requestId, window.skip, window.take],
    );
    return toPage(rows, window, versionView);
  }

  private async ofRecord(dataSet: RecordVersionView['dataSet'], environment: Environment, recordKey: string, query: PageQueryDto & { order?: 'oldest' | 'newest' }, label: string) {
    const window: PageWindow = pageWindow(query);
    const rows: VersionRow[] = await this.db.query(
      `${SELECT_VERSIONS} WHERE v.data_set = $1 AND v.environment = $2 AND v.record_key = $3
        ORDER BY v.version ${query.order === 'newest' ? 'DESC' : 'ASC'} OFFSET $4 LIMIT $5`,
      [dataSet, environment, recordKey, window.skip, window.take],
    );
    if (rows.length === 0 && window.skip === 0) throw ApiError.notFound(`No versions of ${label} in the ${environment} environment`);
    return toPage(rows, window, versionView);
  }

  /**
   * The one agency reporting an indicator for a period (issue 14.5: several may, each with its own
   * record); asked of the records themselves, which are never deleted (a revoked one stays).
   */
  private async onlyReportingAgency(indicatorCode: string, period: string, environment: Environment): Promise<string> {
    const rows: Array<{ code: string }> = await this.db.query(
      `SELECT reporting_agency_code AS code FROM ${KPI_RESULT_SCHEMA.table} WHERE environment = $1 AND indicator_code = $2 AND period = $3 ORDER BY reporting_agency_code`,
      [environment, indicatorCode, period],
    );
    if (rows.length === 0) throw ApiError.notFound(`No KPI result ${indicatorCode}/${period} in the ${environment} environment`);
    if (rows.length > 1) {
      throw reportingAgencyRequired(indicatorCode, period, rows.map((r) => r.code));
    }
    return rows[0].code;
  }
}

function checkCode(field: string, value: string): void {
  if (!CODE_PATTERN.test(value)) throw ApiError.badRequest(`Invalid ${field}`, [{ field, problem: 'must be a code of letters, digits, dot, dash or underscore (at most 100)' }]);
}

/** A version as people read it: the withheld fields left out, the fields it changed named. */
function versionView(row: VersionRow): RecordVersionView {
  const schema = SCHEMAS[row.data_set];
  const hidden = withheldWhenClassified(schema);
  const withholds = (body: Record<string, unknown> | null) => body !== null && (row.classified_now || body.classification !== 'UNCLASSIFIED');
  const hiddenHere = withholds(row.body);
  // What changed says nothing of a withheld field, on either side of the change.
  const compared = (key: string) => !((hiddenHere || withholds(row.previous)) && hidden.includes(key));
  const body: Record<string, unknown> = {};
  // In the catalogue's order: jsonb keeps keys in an order of its own.
  const order = recordBodyKeys(schema);
  for (const key of [...order, ...Object.keys(row.body)]) {
    if (key in row.body && !(key in body) && !(hiddenHere && hidden.includes(key))) body[key] = row.body[key];
  }
  const keyParts = row.record_key.split('/');
  return {
    dataSet: row.data_set,
    environment: row.environment,
    key: Object.fromEntries(schema.keyFields.map((field, n) => [field, keyParts[n] ?? ''])),
    version: row.version,
    change: row.change,
    recordedAt: row.recorded_at.toISOString(),
    connection: { id: row.connection_id, name: row.connection_name, ownerUnit: row.owner_unit },
    certificateThumbprint: row.certificate_thumbprint,
    requestId: row.request_id,
    body,
    withheldFields: hiddenHere ? hidden.filter((key) => key in row.body) : [],
    changedFields: row.previous === null ? null : changed(row.previous, row.body, compared, order),
  };
}

/** The keys whose values differ between two bodies (both parsed from jsonb, so equal values print alike), in catalogue order. */
function changed(before: Record<string, unknown>, after: Record<string, unknown>, compared: (key: string) => boolean, order: string[]): string[] {
  const keys = [...new Set([...order, ...Object.keys(before), ...Object.keys(after)])];
  return keys.filter((key) => (key in before || key in after) && compared(key) && JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null));
}
