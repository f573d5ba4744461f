import crypto from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { DataPlanePrincipal } from '../../auth/data-plane-principal.js';
import { readableUnits, visibleClassifications } from '../../connections/connection-scope.js';
import { PreparedStatement } from '../../shared/database/prepared-statement.js';
import type { UnitRegisterService } from '../../units/unit-register.service.js';
import { feedHorizonReader } from './change-feed-writers.js';
import { CoalescedRead } from './coalesced-read.js';
import type { FeedPageCache } from './feed-page-cache.js';
import { PageBody } from './page-body.js';
import { encodeCursor, type FeedPosition, resumePosition } from './pull-cursor.js';
import type { RecordSchema } from './record-schema.js';
import type { ComputedFields, ComputedFieldsChoice } from './record-view.js';
import type { SqlParams } from './sql-params.js';

/**
 * The columns of a page's statement (see pull): the first row has no view and carries the
 * watermark and latest change; each record's row, its stored view, computed fields and seq.
 */
const enum PageColumn {
  View = 0,
  Computed = 1,
  Seq = 2,
  Watermark = 3,
  Latest = 4,
}

export interface PullQuery {
  params: SqlParams;
  /** Extra SQL conditions over the table's columns. */
  where: string[];
  /** Computed output fields, e.g. the deadline signal. */
  select?: ComputedFieldsChoice;
  position: FeedPosition;
  limit: number;
  includeRevoked: boolean;
  /** The placeholder of the `updatedSince` parameter, when the pull has one (stampSafeBound says why). */
  updatedSince?: string;
}

/**
 * Pages of one data set's change feed, as response bodies: built by one prepared statement per
 * filter combination from the records' stored views, within the caller's environment, units and
 * clearance, and reused from the FeedPageCache while the feed's latest change is the same.
 */
export class ChangeFeedPages {
  private readonly latestChanges = new Map<string, CoalescedRead<string>>();
  private readonly horizon: CoalescedRead<string>;
  private readonly pageStatements = new Map<string, PreparedStatement<never>>();
  /**
   * Bytes a record took in the last built page: a page's body is allocated at that times its
   * limit, once (a consumer syncing history with limit 1000 and one polling 10 records at a time
   * each get a body near their own size).
   */
  private recordBytes = 1024;

  constructor(
    private readonly db: DataSource,
    private readonly schema: RecordSchema,
    private readonly pages: FeedPageCache,
    private readonly units: UnitRegisterService,
    private readonly computed: ComputedFields,
    /** The column of the owning unit's register code, which read scopes are matched against. */
    private readonly ownerColumn: string,
  ) {
    this.horizon = new CoalescedRead(feedHorizonReader(db, schema));
  }

  /**
   * A page of the change feed as the response body: `{"items":[…],"nextCursor":…,"resumeCursor":…}`.
   * Each record comes as its stored JSON text (record-view.ts; parsing rows into objects and
   * serialising them again was most of the pull path's CPU in Node) and the text of its computed
   * fields, copied into the body as the rows arrive (page-body.ts); the body is kept in the
   * FeedPageCache and reused while the feed's watermark says nothing changed (feed-page-cache.ts).
   */
  async pull(principal: DataPlanePrincipal, query: PullQuery): Promise<Buffer> {
    const p = query.params;
    const environment = p.add(principal.environment);
    // The feed's bounds reach the planner as sub-selects, so that no plan knows their values (below).
    const where = [`environment = ${environment}`, `change_seq > (SELECT ${p.add(query.position.seq)}::bigint)`, ...query.where];
    if (!query.includeRevoked) where.push('NOT revoked');
    const units = readableUnits(this.units.register(), principal.scope);
    if (units) where.push(`${this.ownerColumn} = ANY(${p.add(units)}::text[])`);
    // Without clearance a classified record does not exist for the caller, tombstone included.
    const levels = visibleClassifications(principal.scope);
    if (levels) where.push(`classification = ANY(${p.add(levels)}::text[])`);
    const limit = p.add(query.limit);
    const view = this.computed.of(query.select);
    // The page's key is everything its SQL text is made of and its parameters, without the long
    // view text (its id stands for it): the key is hashed on every pull.
    const key = `${this.schema.table}\u0000${view.id}\u0000${where.join(' AND ')}\u0000${JSON.stringify(p.values)}`;
    const cached = this.pages.get(key);
    if (cached && (await this.latestChange(principal.environment)) === cached.latestChange) return cached.body;

    // Read before the page's snapshot, as change-feed-writers.ts requires (coalesced: one read for
    // the pages built at that moment, each of them sent after it).
    const horizon = await this.horizon.get();
    const h = p.add(horizon);
    const bound = query.updatedSince ? '(SELECT h FROM bound)' : `(SELECT ${h}::bigint)`;
    // One statement, one snapshot: the watermark (the feed's end for the consumer) and the latest
    // change number are those of the rows the page was built from. They come as the first row
    // (json NULL), then up to limit + 1 records, each copied into the body as it arrives (page-body.ts).
    // The watermark as one backward index step: written as max(), the planner scanned every row below the horizon.
    // The records' bounds (position, horizon) are sub-selects: with their values in sight, a plan
    // for this position looked cheaper than the generic plan, so PostgreSQL planned the statement
    // again for most pages (a third of its CPU on a consumer syncing history); hidden, the generic
    // plan (an ordered scan of the change-feed index) is kept after five executions.
    const latestSql = `(SELECT coalesce(max(change_seq), 0) FROM ${this.schema.table} WHERE environment = ${environment})`;
    // With updatedSince, the latest change is read once: the bound needs it too (stampSafeBound).
    const boundCte = query.updatedSince
      ? `WITH feed AS MATERIALIZED (SELECT ${latestSql} AS latest), bound AS MATERIALIZED (SELECT ${this.stampSafeBound(environment, h, query.updatedSince)} AS h) `
      : '';
    const sql = `${boundCte}SELECT json, computed, seq::text, watermark, latest FROM (
                   SELECT NULL::text AS json, NULL::text AS computed, NULL::bigint AS seq,
                          coalesce((SELECT change_seq FROM ${this.schema.table} WHERE environment = ${environment} AND change_seq <= ${bound} ORDER BY change_seq DESC LIMIT 1), 0)::text AS watermark,
                          ${query.updatedSince ? '(SELECT latest FROM feed)' : latestSql}::text AS latest
                   UNION ALL
                   (SELECT view_json, ${view.sql}, change_seq, NULL, NULL
                      FROM ${this.schema.table} WHERE ${where.join(' AND ')} AND change_seq <= ${bound}
                     ORDER BY change_seq LIMIT ${limit}::int + 1)) page
                 ORDER BY page.seq NULLS FIRST`;
    const body = new PageBody(Math.min(this.recordBytes * query.limit * 1.0625 + 256, 64 * 1024 * 1024));
    let watermark: string | null = null;
    let latest: string | null = null;
    let lastSeq: string | null = null;
    let more = false;
    await this.pageStatement(sql).each(p.values, (row) => {
      if (row.isNull(PageColumn.View)) {
        watermark = row.ascii(PageColumn.Watermark);
        latest = row.ascii(PageColumn.Latest);
      } else if (body.records < query.limit) {
        body.add(row, PageColumn.View, PageColumn.Computed);
        lastSeq = row.ascii(PageColumn.Seq);
      } else more = true; // the one record past the limit: there is a next page
    });
    if (watermark === null || latest === null) throw new Error(`The page statement of ${this.schema.table} returned no head row`);
    const end = JSON.stringify(encodeCursor(resumePosition(query.position, lastSeq, watermark)));
    const page = body.finish(more ? end : 'null', end);
    if (body.records > 0) this.recordBytes = Math.ceil(page.length / body.records);
    // Kept only when no committed row was held back above the horizon (feed-page-cache.ts says why).
    if (BigInt(latest) <= BigInt(horizon)) this.pages.set(key, { latestChange: latest, body: page });
    return page;
  }

  /**
   * How far a pull with `updatedSince` may read: the horizon, lowered when a committed row above
   * it carries an earlier `updatedAt` than a row below it.
   *
   * A row's `updatedAt` is its write statement's start; its change number is taken later in that
   * statement. On a loaded machine writer B's statement starts, A writes and commits (a later
   * `updatedAt`, a lower number), S announces itself with A's number as its floor, then B takes a
   * number above S's floor and commits: the horizon stops at A while B, committed, waits above it.
   * A poller handed A alone moves `updatedSince` past B's `updatedAt` and never sees B
   * (test/change-feed-updated-since.e2e-spec.ts stages it). Rows in flight are no such danger
   * (change-feed-writers.ts): only committed rows above the horizon are, and they are visible here.
   *
   * So the pull reads up to the last row, at or below the horizon, whose `updatedAt` and every
   * earlier-numbered row's are no later than any later-numbered committed row's (rows since
   * `updatedSince`): whatever it leaves out is stamped no earlier than what it hands out. A lower
   * bound is still a safe horizon for the cursor. Usually no committed row is above the horizon
   * (the latest change, which the page reads anyway, is at or below it); the window over the rows
   * since `updatedSince` runs only while a slow writer holds the horizon back: a scan of the
   * environment's rows (0.16-0.25 s at 100,000 rows). The later rows' minimum is a running minimum
   * in descending order: over a frame that starts after the current row, PostgreSQL recomputes
   * min() for every row (minutes at 100,000).
   */
  private stampSafeBound(environment: string, h: string, since: string): string {
    const t = this.schema.table;
    return `CASE WHEN (SELECT latest FROM feed) <= ${h}::bigint THEN ${h}::bigint
              ELSE (SELECT least(${h}::bigint, coalesce(max(seq) FILTER (WHERE seq <= ${h}::bigint AND (later IS NULL OR upto <= later)), min(seq) - 1))
                      FROM (SELECT change_seq AS seq,
                                   max(updated_at) OVER (ORDER BY change_seq ROWS UNBOUNDED PRECEDING) AS upto,
                                   min(updated_at) OVER (ORDER BY change_seq DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS later
                              FROM ${t} WHERE environment = ${environment} AND updated_at >= ${since}::timestamptz) stamped) END`;
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

  /**
   * The page's statement, prepared: planning it took PostgreSQL longer than running it (3-4 ms
   * against ~1 ms here). Its text varies only with which filters a query uses, so there are a
   * few dozen; the names are kept per text (a bounded map: a cleared entry is prepared again).
   */
  private pageStatement(sql: string): PreparedStatement<never> {
    let statement = this.pageStatements.get(sql);
    if (!statement) {
      if (this.pageStatements.size >= 200) this.pageStatements.clear();
      const name = `${this.schema.table}_page_${crypto.createHash('sha256').update(sql).digest('hex').slice(0, 16)}`;
      this.pageStatements.set(sql, (statement = new PreparedStatement<never>(this.db, name, sql)));
    }
    return statement;
  }
}
