import crypto from 'node:crypto';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import type { RowSink } from './raw-data-rows.js';
import { ResilientPgClient } from './resilient-pg-client.js';

/** A number per pool client and a tag per process, for the statement names (see PreparedStatement). */
const clientNumbers = new WeakMap<pg.PoolClient, number>();
let lastClientNumber = 0;
const PROCESS_TAG = crypto.randomBytes(3).toString('hex');

/**
 * A statement run on every data-plane call, sent as a named (prepared) statement so that
 * PostgreSQL parses and plans it once per connection instead of on every run: measured here, the
 * feed-watermark read cost the server 130–160 µs of CPU unprepared and 40–50 µs prepared, and the
 * gateway half as much. TypeORM cannot name a statement, so this goes to its `pg` pool directly.
 *
 * The name carries a tag of this process and a number per pool client: the embedded database
 * (PGlite behind its socket server) serves every connection, of every process (the CLI joins a
 * running gateway's), from one session, where two connections preparing one name collide
 * ("prepared statement already exists"). There a pool keeps its one connection open (data-source.ts),
 * so statements do not pile up with every reconnection. On PostgreSQL names are per connection anyway.
 *
 * Behind PgBouncer in transaction pooling mode, use version 1.21 or later (prepared statements).
 */
export class PreparedStatement<Row> {
  constructor(
    private readonly db: DataSource,
    readonly name: string,
    readonly text: string,
    private readonly options: {
      /** 'array': each row as an array of its columns' values, without building an object per row. */
      rowMode?: 'array';
    } = {},
  ) {}

  async rows(values: unknown[]): Promise<Row[]> {
    // Awaited, yet run in pg's callback form (resilient-pg-client.ts says why).
    return this.run(values, async (client, config) => (await client.query<Row & pg.QueryResultRow>(config)).rows);
  }

  /**
   * Runs the statement handing each row to `sink` as PostgreSQL sent it, in place (raw-data-rows.ts):
   * for a large result the caller copies straight into what it builds, nothing decoded.
   */
  async each(values: unknown[], sink: RowSink): Promise<void> {
    await this.run(values, (client, config) => rawRowClient(client).queryRawRows(config, sink));
  }

  private async run<T>(values: unknown[], query: (client: pg.PoolClient, config: pg.QueryConfig) => Promise<T>): Promise<T> {
    const pool = (this.db.driver as unknown as { master: pg.Pool }).master;
    const client = await pool.connect();
    let number = clientNumbers.get(client);
    if (number === undefined) clientNumbers.set(client, (number = ++lastClientNumber));
    try {
      const config = { name: `${this.name}_${PROCESS_TAG}_${number}`, text: this.text, values, ...(this.options.rowMode && { rowMode: this.options.rowMode }) };
      const result = await query(client, config);
      client.release();
      return result;
    } catch (error) {
      // As pg's own pool.query does: a client that failed a query is not trusted again.
      client.release(error as Error);
      throw error;
    }
  }
}

function rawRowClient(client: pg.PoolClient): ResilientPgClient {
  if (client instanceof ResilientPgClient) return client;
  throw new Error('Raw rows need the gateway\'s pool client (dataSourceOptions: Client: ResilientPgClient)');
}
