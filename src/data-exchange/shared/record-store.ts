import crypto from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import { mayReadUnit, mayWriteUnit, readableUnits, visibleClassifications, writableUnits } from '../../connections/connection-scope.js';
import { ApiError, FieldProblem } from '../../shared/errors/api-error.js';
import type { UnitRegisterService } from '../../units/unit-register.service.js';
import type { BatchItemOutcome } from './batch-outcome.dto.js';
import { feedHorizonReader, joinChangeFeedWriters } from './change-feed-writers.js';
import { PreparedStatement } from '../../shared/database/prepared-statement.js';
import { CoalescedRead } from './coalesced-read.js';
import type { FeedPageCache } from './feed-page-cache.js';
import { failedPrecondition, type VersionPrecondition } from './if-match.js';
import { encodeCursor, FeedPosition, resumePosition } from './pull-cursor.js';
import { type RecordSchema } from './record-schema.js';
import { pageBody } from './page-body.js';
import { recordViewSql } from './record-view.js';
import { SqlParams } from './sql-params.js';
import { authorityOf, requireRole } from '../authority/roles.js';
import { refuseByAuthority } from '../authority/write-guard.js';
import { flowOnRewriteSql } from '../task-flow/flow-on-write.js';
import { recordBodySql } from '../versions/version-body.js';
import { insertVersionsSql } from '../versions/version-rows.js';
import type { WriteContext } from './write-context.js';

/** A page's statement's rows, as arrays: [json, seq, watermark, latest] (see pull). */
type PageRow = [json: string | null, seq: string | null, watermark: string | null, latest: string | null];

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

/** A record as a consumer sees it, already serialised by PostgreSQL, with what HTTP needs beside it. */
export interface RecordView {
  json: string;
  version: number;
  revoked: boolean;
  revokedAt: string | null;
}

export interface PullQuery {
  params: SqlParams;
  /** Extra SQL conditions over the table's columns. */
  where: string[];
  /** Computed output fields (JSON name → SQL expression), e.g. the deadline signal. */
  select?: Record<string, string>;
  position: FeedPosition;
  limit: number;
  includeRevoked: boolean;
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
  private readonly latestChanges = new Map<string, CoalescedRead<string>>();
  private readonly horizon: CoalescedRead<string>;
  private readonly pageStatements = new Map<string, PreparedStatement<PageRow>>();
  /** View SQL texts by their computed fields, each with a short id for the page cache's keys. */
  private readonly views = new Map<string, { id: number; sql: string }>();
  /** Never reused, also after `views` is cleared: cached pages keyed by an old id stay apart. */
  private viewCount = 0;

  constructor(
    private readonly db: DataSource,
    readonly schema: RecordSchema,
    private readonly pages: FeedPageCache,
    readonly units: UnitRegisterService,
  ) {
    const col = (field: string) => schema.fields.find((f) => f.field === field)!.column;
    this.keyColumns = schema.keyFields.map(col);
    // Scopes are matched on the owner's register code, not on its name as sent.
    this.ownerColumn = col(schema.ownerCodeField);
    this.horizon = new CoalescedRead(feedHorizonReader(db, schema));
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
  async findOne(principal: DataPlanePrincipal, key: Record<string, string>, select: Record<string, string> = {}, params = new SqlParams(), asWriter = false): Promise<RecordView | null> {
    const where = [`environment = ${params.add(principal.environment)}`, ...this.keyColumns.map((c, n) => `${c} = ${params.add(key[this.schema.keyFields[n]])}`)];
    // The writer of a record sees what it wrote, even for a unit it may not read (null: every unit).
    const register = this.units.register();
    const readable = readableUnits(register, principal.scope);
    const units = readable && asWriter ? [...readable, ...writableUnits(register, principal.scope)] : readable;
    if (units) where.push(`${this.ownerColumn} = ANY(${params.add(units)}::text[])`);
    const levels = asWriter ? null : visibleClassifications(principal.scope);
    if (levels) where.push(`classification = ANY(${params.add(levels)}::text[])`);
    const rows = await this.db.query(`SELECT ${this.viewColumns(select)} FROM ${this.schema.table} WHERE ${where.join(' AND ')}`, params.values);
    return (rows[0] as RecordView | undefined) ?? null;
  }

  /**
   * A page of the change feed as the response body: `{"items":[…],"nextCursor":…,"resumeCursor":…}`.
   * PostgreSQL serialises each record to its JSON text (parsing rows into objects and serialising
   * them again was most of the pull path's CPU in Node), page-body.ts joins them as bytes; the body is kept in the
   * FeedPageCache and reused while the feed's watermark says nothing changed (feed-page-cache.ts).
   */
  async pull(principal: DataPlanePrincipal, query: PullQuery): Promise<Buffer> {
    const p = query.params;
    const environment = p.add(principal.environment);
    const where = [`environment = ${environment}`, `change_seq > ${p.add(query.position.seq)}::bigint`, ...query.where];
    if (!query.includeRevoked) where.push('NOT revoked');
    const units = readableUnits(this.units.register(), principal.scope);
    if (units) where.push(`${this.ownerColumn} = ANY(${p.add(units)}::text[])`);
    // Without clearance a classified record does not exist for the caller, tombstone included.
    const levels = visibleClassifications(principal.scope);
    if (levels) where.push(`classification = ANY(${p.add(levels)}::text[])`);
    const limit = p.add(query.limit);
    const view = this.viewOf(query.select ?? {});
    // The page's key is everything its SQL text is made of and its parameters, without the long
    // view text (its id stands for it): the key is hashed on every pull.
    const key = `${this.schema.table}\u0000${view.id}\u0000${where.join(' AND ')}\u0000${JSON.stringify(p.values)}`;
    const cached = this.pages.get(key);
    if (cached && (await this.latestChange(principal.environment)) === cached.latestChange) return cached.body;

    // Read before the page's snapshot, as change-feed-writers.ts requires (coalesced: one read for
    // the pages built at that moment, each of them sent after it).
    const horizon = await this.horizon.get();
    const h = p.add(horizon);
    // One statement, one snapshot: the watermark (the feed's end for the consumer) and the latest
    // change number are those of the rows the page was built from. They come as the first row
    // (json NULL), then up to limit + 1 records, each its own short text (page-body.ts says why).
    // The watermark as one backward index step: written as max(), the planner scanned every row below the horizon.
    const sql = `SELECT json, seq::text, watermark, latest FROM (
                   SELECT NULL::text AS json, NULL::bigint AS seq,
                          coalesce((SELECT change_seq FROM ${this.schema.table} WHERE environment = ${environment} AND change_seq <= ${h}::bigint ORDER BY change_seq DESC LIMIT 1), 0)::text AS watermark,
                          (SELECT coalesce(max(change_seq), 0) FROM ${this.schema.table} WHERE environment = ${environment})::text AS latest
                   UNION ALL
                   (SELECT ${view.sql}, change_seq, NULL, NULL
                      FROM ${this.schema.table} WHERE ${where.join(' AND ')} AND change_seq <= ${h}::bigint
                     ORDER BY change_seq LIMIT ${limit}::int + 1)) page
                 ORDER BY page.seq NULLS FIRST`;
    const [[, , watermark, latest], ...records] = await this.pageStatement(sql).rows(p.values);
    const page = records.slice(0, query.limit);
    const end = encodeCursor(resumePosition(query.position, page.length ? page[page.length - 1][1] : null, watermark!));
    const body = pageBody(
      page.map((r) => r[0]!),
      records.length > query.limit ? JSON.stringify(end) : 'null',
      JSON.stringify(end),
    );
    // Kept only when no committed row was held back above the horizon (feed-page-cache.ts says why).
    if (BigInt(latest!) <= BigInt(horizon)) this.pages.set(key, { latestChange: latest!, body });
    return body;
  }

  /**
   * The highest committed change_seq of this data set in an environment (an index lookup), read
   * once for all the pulls waiting at that moment (coalesced-read.ts), as a prepared statement.
   */
  private latestChange(environment: string): Promise<string> {
    let reader = this.latestChanges.get(environment);
    if (!reader) {
      const read = new PreparedStatement<{ latest: string }>(
        this.db,
        `${this.schema.table}_latest_change`,
        `SELECT coalesce(max(change_seq), 0)::text AS latest FROM ${this.schema.table} WHERE environment = $1`,
      );
      reader = new CoalescedRead(async () => (await read.rows([environment]))[0].latest);
      this.latestChanges.set(environment, reader);
    }
    return reader.get();
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
      const [row] = await manager.query(`SELECT ${this.viewColumns({})} FROM ${this.schema.table} WHERE ${match.join(' AND ')}`, p.values.slice(0, match.length));
      return row as RecordView;
    });
  }

  /**
   * The page's statement, prepared: planning it took PostgreSQL longer than running it (3-4 ms
   * against ~1 ms here). Its text varies only with which filters a query uses, so there are a
   * few dozen; the names are kept per text (a bounded map: a cleared entry is prepared again).
   */
  private pageStatement(sql: string): PreparedStatement<PageRow> {
    let statement = this.pageStatements.get(sql);
    if (!statement) {
      if (this.pageStatements.size >= 200) this.pageStatements.clear();
      const name = `${this.schema.table}_page_${crypto.createHash('sha256').update(sql).digest('hex').slice(0, 16)}`;
      this.pageStatements.set(sql, (statement = new PreparedStatement<PageRow>(this.db, name, sql, 'array')));
    }
    return statement;
  }

  /**
   * The view's SQL for these computed fields, built once (their texts vary only with their
   * parameters' positions: a handful of entries), with a short id for the page cache's keys.
   */
  private viewOf(select: Record<string, string>): { id: number; sql: string } {
    const computed = Object.entries(select).map(([name, sql]) => `${name}\u0001${sql}`).join('\u0000');
    let view = this.views.get(computed);
    if (!view) {
      if (this.views.size >= 1000) this.views.clear();
      this.views.set(computed, (view = { id: ++this.viewCount, sql: recordViewSql(this.schema, select) }));
    }
    return view;
  }

  private viewColumns(select: Record<string, string>): string {
    return `${this.viewOf(select).sql} AS json, version, revoked, to_json(revoked_at)#>>'{}' AS "revokedAt"`;
  }

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
