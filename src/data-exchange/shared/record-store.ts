import { DataSource, EntityManager } from 'typeorm';
import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import { mayReadUnit, mayWriteUnit, readableUnits, visibleClassifications, writableUnits } from '../../connections/connection-scope.js';
import { ApiError, FieldProblem } from '../../shared/errors/api-error.js';
import type { UnitRegisterService } from '../../units/unit-register.service.js';
import type { BatchItemOutcome } from './batch-outcome.dto.js';
import { joinChangeFeedWriters } from './change-feed-writers.js';
import type { FeedPageCache } from './feed-page-cache.js';
import { failedPrecondition, type VersionPrecondition } from './if-match.js';
import { type RecordSchema } from './record-schema.js';
import { ComputedFields, type ComputedFieldsChoice, withComputedFields } from './record-view.js';
import { ChangeFeedPages, type PullQuery } from './change-feed-pages.js';
import { SqlParams } from './sql-params.js';
import { authorityOf, requireRole } from '../authority/roles.js';
import { refuseByAuthority } from '../authority/write-guard.js';
import { flowOnRewriteSql } from '../task-flow/flow-on-write.js';
import { recordBodySql } from '../versions/version-body.js';
import { insertVersionsSql } from '../versions/version-rows.js';
import type { WriteContext } from './write-context.js';

/** An item that passed validation, ready to be written. */
export interface PreparedItem {
  index: number;
  /** The key as the batch outcome shows it: the path's key fields joined by '/'. */
  key: string;
  /** The full record key (every key field, '/'-joined), as the store matches rows by. */
  recordKey: string;
  /** Field values by JSON name, including key fields, classification and attachments. */
  record: Record<string, unknown>;
  hash: string;
}

export type { WriteContext } from './write-context.js';
export type { PullQuery } from './change-feed-pages.js';

/** A record as a consumer sees it, already serialised by PostgreSQL, with what HTTP needs beside it. */
export interface RecordView {
  json: string;
  version: number;
  revoked: boolean;
  revokedAt: string | null;
}

/**
 * Storage for one exchanged data set (task results or KPI results), driven by its RecordSchema:
 * idempotent batch upserts with per-item outcomes, reads, change-feed pulls and revocation,
 * all confined to the caller's environment and agreed units.
 */
export class RecordStore {
  private readonly keyColumns: string[];
  /** The column of the owning unit's register code, which scopes are matched against. */
  readonly ownerColumn: string;
  /** Computed fields' SQL, shared with the feed's pages (record-view.ts). */
  private readonly computed = new ComputedFields();
  private readonly feed: ChangeFeedPages;

  constructor(
    private readonly db: DataSource,
    readonly schema: RecordSchema,
    pages: FeedPageCache,
    readonly units: UnitRegisterService,
  ) {
    const col = (field: string) => schema.fields.find((f) => f.field === field)!.column;
    this.keyColumns = schema.keyFields.map(col);
    // Scopes are matched on the owner's register code, not on its name as sent.
    this.ownerColumn = col(schema.ownerCodeField);
    this.feed = new ChangeFeedPages(db, schema, pages, units, this.computed, this.ownerColumn);
  }

  /**
   * Writes the items in one transaction and returns an outcome per item index. Items whose
   * existing record belongs to a unit outside the caller's write scope are rejected, not written.
   */
  async upsert(ctx: WriteContext, items: PreparedItem[], expectedVersion?: VersionPrecondition): Promise<Map<number, BatchItemOutcome>> {
    const outcomes = new Map<number, BatchItemOutcome>();
    if (items.length === 0) return outcomes;
    const { principal } = ctx;
    await retriedOnDeadlock(() => this.db.transaction(async (manager) => {
      outcomes.clear();
      await this.joinWriters(manager);
      // The stored record's body is needed only to check a role-limited writer's fields.
      const authority = authorityOf(principal, this.schema.dataSet);
      const existing = await this.lockExisting(manager, principal.environment, items, !(authority.assigns && authority.reports));
      const toWrite: PreparedItem[] = [];
      let refusal: BatchItemOutcome | null;
      for (const item of items) {
        const current = existing.get(item.recordKey);
        const stale = failedPrecondition(expectedVersion, current);
        if (current && !mayWriteUnit(this.units.register(), principal.scope, String(current.owner))) {
          // Say nothing of the owner: the caller may not be allowed to read that record at all.
          outcomes.set(item.index, rejected(item.key, this.schema.ownerField, 'a record with this key exists and this connection may not write it'));
        } else if (stale) {
          throw stale;
        } else if ((refusal = refuseByAuthority(principal, this.schema, item.key, item.record, current && { body: current.body!, revoked: current.revoked }))) {
          outcomes.set(item.index, refusal);
        } else if (current && current.content_hash === item.hash && !current.revoked) {
          outcomes.set(item.index, { key: item.key, status: 'unchanged', version: current.version });
        } else {
          toWrite.push(item);
        }
      }
      const written = await this.write(manager, ctx, toWrite);
      for (const item of toWrite) {
        const row = written.get(item.recordKey);
        outcomes.set(
          item.index,
          row
            ? { key: item.key, status: row.inserted ? 'created' : 'updated', version: row.version }
            : rejected(item.key, this.schema.ownerField, 'the record was taken by a unit outside the write scope meanwhile'),
        );
      }
    }));
    return outcomes;
  }

  /** Joins this data set's writers (change-feed-writers.ts): the first statement of every write transaction. */
  joinWriters(manager: EntityManager): Promise<void> {
    return joinChangeFeedWriters(manager, this.schema);
  }

  private async lockExisting(manager: EntityManager, environment: string, items: PreparedItem[], withBody = false) {
    const p = new SqlParams();
    const keys = this.keysJson(items);
    const env = p.add(environment);
    const rows: Array<Record<string, unknown> & { version: number; content_hash: string; revoked: boolean; body?: Record<string, unknown> }> = await manager.query(
      `SELECT r.* FROM ${this.keysInOrder(p.add(keys), this.keyColumns)}
        CROSS JOIN LATERAL (
          SELECT ${this.keyColumns.join(', ')}, ${this.ownerColumn} AS owner, version, content_hash, revoked${withBody ? `, ${recordBodySql(this.schema)} AS body` : ''}
            FROM ${this.schema.table} t
           WHERE t.environment = ${env} AND ${this.keyColumns.map((c) => `t.${c} = k.${c}`).join(' AND ')}
             FOR UPDATE) r`,
      p.values,
    );
    return new Map(rows.map((r) => [this.keyColumns.map((c) => r[c]).join('/'), r]));
  }

  /**
   * Stored records by their path key (the path's key fields, '/'-joined), as recordBodySql()
   * serialises them, each with its full key values; several per path key where the key has more
   * fields (KPI results of several agencies). Unlocked.
   */
  async bodiesAtPathKeys(environment: string, keys: Array<Record<string, string>>): Promise<Map<string, Array<{ key: Record<string, string>; body: Record<string, unknown> }>>> {
    const p = new SqlParams();
    const pathColumns = this.schema.pathKeyFields.map((f) => this.columnOfField(f));
    const json = JSON.stringify(keys.map((k) => Object.fromEntries(this.schema.pathKeyFields.map((f, n) => [pathColumns[n], k[f]]))));
    const env = p.add(environment);
    const rows: Array<Record<string, string> & { body: Record<string, unknown> }> = await this.db.query(
      `SELECT r.* FROM ${this.keysInOrder(p.add(json), pathColumns)}
        CROSS JOIN LATERAL (
          SELECT ${this.keyColumns.join(', ')}, ${recordBodySql(this.schema)} AS body FROM ${this.schema.table} t
           WHERE t.environment = ${env} AND ${pathColumns.map((c) => `t.${c} = k.${c}`).join(' AND ')}) r`,
      p.values,
    );
    const found = new Map<string, Array<{ key: Record<string, string>; body: Record<string, unknown> }>>();
    for (const row of rows) {
      const pathKey = pathColumns.map((c) => row[c]).join('/');
      const key = Object.fromEntries(this.schema.keyFields.map((f, n) => [f, row[this.keyColumns[n]]]));
      found.set(pathKey, [...(found.get(pathKey) ?? []), { key, body: row.body }]);
    }
    return found;
  }

  /**
   * The distinct keys of a JSON array as a row source `k`, in key order, for a LATERAL lookup of
   * each by the primary key. Not `(key) IN (SELECT …)`: with statistics from when the table was
   * small (a bulk load outruns autovacuum's ANALYZE) PostgreSQL hashed the keys and scanned the
   * whole environment, ~100 ms per batch at 175,000 rows and growing; a lookup per key stays an
   * index probe whatever the statistics say. Locks are taken in key order, as every writer does.
   */
  private keysInOrder(keysParam: string, columns: string[]): string {
    return `(SELECT DISTINCT ${columns.join(', ')} FROM jsonb_to_recordset(${keysParam}::jsonb) AS j(${columns.map((c) => `${c} text`).join(', ')})
              ORDER BY ${columns.join(', ')}) k`;
  }

  private columnOfField(field: string): string {
    return this.schema.fields.find((f) => f.field === field)!.column;
  }

  private keysJson(items: PreparedItem[]): string {
    return JSON.stringify(items.map((i) => Object.fromEntries(this.schema.keyFields.map((f, n) => [this.keyColumns[n], i.record[f]]))));
  }

  private async write(manager: EntityManager, ctx: WriteContext, items: PreparedItem[]) {
    const written = new Map<string, { inserted: boolean; version: number }>();
    if (items.length === 0) return written;
    const { fields, table, changeSequence } = this.schema;
    const p = new SqlParams();
    const env = p.add(ctx.principal.environment);
    const connection = p.add(ctx.principal.connectionId);
    const request = p.add(ctx.requestId);
    // A plain loop, not Object.fromEntries and a spread per item: this ran at ~12% of the gateway's
    // CPU in a deadline burst (bench/authority.ts).
    const rows = JSON.stringify(
      items.map((i) => {
        const row: Record<string, unknown> = {};
        for (const f of fields) row[f.column] = i.record[f.field] ?? null;
        row.classification = i.record.classification;
        row.attachments = i.record.attachments ?? [];
        row.content_hash = i.hash;
        return row;
      }),
    );
    const recordset = [...fields.map((f) => `${f.column} ${f.sqlType}`), 'classification text', 'attachments text[]', 'content_hash text'];
    const dataColumns = [...fields.map((f) => f.column), 'classification', 'attachments', 'content_hash'];
    const writeScope = p.add(writableUnits(this.units.register(), ctx.principal.scope));
    // One statement writes the records and their versions (versions/version-rows.ts): a batch
    // stays one round trip, and a version exists exactly when its record change committed.
    const result: Array<Record<string, unknown> & { inserted: boolean; version: number }> = await manager.query(
      `WITH written AS (
       INSERT INTO ${table} (environment, ${dataColumns.join(', ')}, version, revoked, revoked_at, created_at, updated_at,
                             change_txid, change_seq, updated_by_connection, updated_by_request)
       SELECT ${env}, ${dataColumns.map((c) => `r.${c}`).join(', ')}, 1, false, NULL, now(), statement_timestamp(),
              pg_current_xact_id()::text::bigint, nextval('${changeSequence}'), ${connection}::uuid, ${request}::uuid
         FROM jsonb_to_recordset(${p.add(rows)}::jsonb) AS r(${recordset.join(', ')})
        -- In key order, as every writer inserts: two batches with the same new keys never wait for each other crosswise.
        ORDER BY ${this.keyColumns.map((c) => `r.${c}`).join(', ')}
       ON CONFLICT (environment, ${this.keyColumns.join(', ')}) DO UPDATE SET
         ${dataColumns.map((c) => `${c} = EXCLUDED.${c}`).join(', ')},
         version = ${table}.version + 1, revoked = false, revoked_at = NULL, updated_at = statement_timestamp(),
         ${flowOnRewriteSql(this.schema)},
         change_txid = EXCLUDED.change_txid, change_seq = EXCLUDED.change_seq,
         updated_by_connection = EXCLUDED.updated_by_connection, updated_by_request = EXCLUDED.updated_by_request
       WHERE ${table}.${this.ownerColumn} = ANY(${writeScope}::text[])
       RETURNING ${this.keyColumns.join(', ')}, version, (xmax = 0) AS inserted, updated_at, ${recordBodySql(this.schema)} AS body),
       kept AS (${insertVersionsSql(this.schema, 'written', "'write'", p, ctx)})
       SELECT ${this.keyColumns.join(', ')}, version, inserted FROM written`,
      p.values,
    );
    for (const row of result) written.set(this.keyColumns.map((c) => row[c]).join('/'), { inserted: row.inserted, version: row.version });
    return written;
  }

  /** One record by key within the caller's environment and read scope; null when not visible. */
  async findOne(principal: DataPlanePrincipal, key: Record<string, string>, select: ComputedFieldsChoice | undefined, params = new SqlParams(), asWriter = false): Promise<RecordView | null> {
    const where = [`environment = ${params.add(principal.environment)}`, ...this.keyColumns.map((c, n) => `${c} = ${params.add(key[this.schema.keyFields[n]])}`)];
    // The writer of a record sees what it wrote, even for a unit it may not read (null: every unit).
    const register = this.units.register();
    const readable = readableUnits(register, principal.scope);
    const units = readable && asWriter ? [...readable, ...writableUnits(register, principal.scope)] : readable;
    if (units) where.push(`${this.ownerColumn} = ANY(${params.add(units)}::text[])`);
    const levels = asWriter ? null : visibleClassifications(principal.scope);
    if (levels) where.push(`classification = ANY(${params.add(levels)}::text[])`);
    const rows = await this.db.query(`SELECT ${this.viewColumns(select)} FROM ${this.schema.table} WHERE ${where.join(' AND ')}`, params.values);
    return rows.length ? recordView(rows[0]) : null;
  }

  /** A page of the change feed as the response body (change-feed-pages.ts). */
  pull(principal: DataPlanePrincipal, query: PullQuery): Promise<Buffer> {
    return this.feed.pull(principal, query);
  }

  /** Marks a record revoked; it then appears as a tombstone in incremental pulls. */
  async revoke(ctx: WriteContext, key: Record<string, string>, expectedVersion?: VersionPrecondition): Promise<RecordView> {
    const { principal } = ctx;
    return this.db.transaction(async (manager) => {
      await this.joinWriters(manager);
      const p = new SqlParams();
      const match = [`environment = ${p.add(principal.environment)}`, ...this.keyColumns.map((c, n) => `${c} = ${p.add(key[this.schema.keyFields[n]])}`)];
      const [current] = await manager.query(
        `SELECT ${this.ownerColumn} AS owner, version, revoked FROM ${this.schema.table} WHERE ${match.join(' AND ')} FOR UPDATE`,
        p.values,
      );
      // A record the caller may write is its to revoke; one it may neither write nor read does not
      // exist for it; one it may only read is forbidden.
      const register = this.units.register();
      const writable = current && mayWriteUnit(register, principal.scope, current.owner);
      if (!current || (!writable && !mayReadUnit(register, principal.scope, current.owner))) {
        throw ApiError.notFound(`No such ${this.schema.dataSet} record among those this connection may read`);
      }
      if (!writable) throw ApiError.forbidden('OUTSIDE_WRITE_SCOPE', `The record belongs to ${current.owner}, outside the connection's write scope`);
      requireRole(principal, this.schema.dataSet, 'ASSIGNER', 'revoke a record');
      const stale = failedPrecondition(expectedVersion, current);
      if (stale) throw stale;
      if (!current.revoked) {
        const conn = p.add(principal.connectionId);
        const req = p.add(ctx.requestId);
        await manager.query(
          `WITH changed AS (
           UPDATE ${this.schema.table} SET revoked = true, revoked_at = now(), updated_at = statement_timestamp(), version = version + 1,
                  change_txid = pg_current_xact_id()::text::bigint, change_seq = nextval('${this.schema.changeSequence}'),
                  updated_by_connection = ${conn}::uuid, updated_by_request = ${req}::uuid
            WHERE ${match.join(' AND ')}
           RETURNING ${this.keyColumns.join(', ')}, version, updated_at, ${recordBodySql(this.schema)} AS body)
           ${insertVersionsSql(this.schema, 'changed', "'revoke'", p, ctx)}`,
          p.values,
        );
      }
      const [row] = await manager.query(`SELECT ${this.viewColumns()} FROM ${this.schema.table} WHERE ${match.join(' AND ')}`, p.values.slice(0, match.length));
      return recordView(row);
    });
  }

  private viewColumns(select?: ComputedFieldsChoice): string {
    return `view_json AS json, ${this.computed.of(select).sql} AS computed, version, revoked, to_json(revoked_at)#>>'{}' AS "revokedAt"`;
  }

}

/** A row of viewColumns() as the record's view, its computed fields in place. */
function recordView({ json, computed, ...rest }: RecordView & { computed: string | null }): RecordView {
  return { json: withComputedFields(json, computed), ...rest };
}

function rejected(key: string, field: string, problem: string): BatchItemOutcome {
  return { key, status: 'rejected', errors: [{ field, problem } satisfies FieldProblem] };
}

/**
 * Runs a write transaction again when PostgreSQL ended it as a deadlock (40P01), at most twice: it
 * was rolled back whole. Writers insert in key order and lock existing records in key order, so
 * two batches cannot deadlock on their own; a third writer creating one of their records between
 * the two phases can still close a cycle, now that writers no longer queue behind one lock.
 */
async function retriedOnDeadlock<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= 3 || (error as { code?: string }).code !== '40P01') throw error;
    }
  }
}
