import { Logger } from '@nestjs/common';
import pg from 'pg';
import { type RawRowParser, rawRowQuery, type RowSink, useRawRowParser } from './raw-data-rows.js';

const logger = new Logger('Database');

/**
 * The pool's client class. It can hand a query's rows to a sink as their bytes (queryRawRows, with
 * the parser raw-data-rows.ts gives its connection).
 *
 * pg emits 'error' on a client whose connection dies while it is checked out between queries (a
 * transaction waiting on the application, an advisory-lock holder); with no listener, Node turns
 * that into an uncaught exception and the whole gateway dies with the database. The listener keeps
 * the process alive: the failed client is no longer queryable, so the next query on it fails (its
 * caller answers 503) and the pool drops it on release (pg-pool discards clients that are not
 * `_queryable`), and new clients connect once the server is back.
 */
export class ResilientPgClient extends pg.Client {
  private readonly parser: RawRowParser;

  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', (error: Error) => logger.warn(`A database connection failed: ${error.message}`));
    this.parser = useRawRowParser(this);
  }

  /**
   * An awaited query whose rows go to `sink` as PostgreSQL sent them (raw-data-rows.ts says why);
   * it resolves when the query is complete, with a result that holds no rows.
   */
  queryRawRows(config: pg.QueryConfig | pg.QueryArrayConfig, sink: RowSink): Promise<pg.QueryResult> {
    // The bytes are UTF-8 only if the server sends UTF-8; pg decodes as UTF-8 whatever it says.
    const encoding = this.parser.clientEncoding;
    if (encoding !== undefined && encoding.toUpperCase() !== 'UTF8') {
      return Promise.reject(new Error(`Raw rows need client_encoding UTF8; the database reports ${encoding}`));
    }
    return new Promise((resolve, reject) => {
      super.query(rawRowQuery(config, sink, (error, result) => (error ? reject(error) : resolve(result))));
    });
  }

  /**
   * Every query in pg's callback form, also when the caller (TypeORM, PreparedStatement) awaits
   * it. With no callback, pg builds a promise of its own, and on a query returning many rows that
   * cost the gateway about twice the CPU: measured on a built pull page (100 rows, ~90 KB), almost
   * all of the difference in the garbage collector, which promoted every row's text to the old
   * generation. The callback form, as pg-pool's own pool.query uses it, does not.
   */
  // pg's overloads (config or text, values, callback, submittables) are passed through untouched.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(config: any, values?: any, callback?: any): any {
    const awaited = typeof values !== 'function' && typeof callback !== 'function' && typeof config?.submit !== 'function' && config != null;
    if (!awaited) return super.query(config, values, callback);
    return new Promise((resolve, reject) => {
      super.query(config, values, (error: Error | null, result: unknown) => (error ? reject(error) : resolve(result)));
    });
  }
}

/** How long a request waits for a database connection before it is answered 503 (DATABASE_CONNECT_TIMEOUT_MS). */
export const CONNECT_TIMEOUT_MS = 3000;

/**
 * Errors that mean "the database could not be reached", as opposed to a query it refused: the
 * caller is told to retry (503), not that its request was wrong. Codes from Node's sockets,
 * messages from pg and pg-pool, which raise plain Errors for these.
 */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  // PostgreSQL itself: shutting down, too many connections, cannot connect now.
  '57P01', '57P02', '57P03', '53300']);
const UNREACHABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|not queryable|Cannot use a pool after calling end/i;

export function isDatabaseUnreachable(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && UNREACHABLE_MESSAGES.test(e.message)) return true;
    // TypeORM wraps the driver's error (QueryFailedError.driverError); AggregateError (several addresses refused) has `errors`.
    const inner = e.driverError ?? e.cause ?? (Array.isArray((e as { errors?: unknown[] }).errors) ? (e as { errors: unknown[] }).errors[0] : undefined);
    e = inner as typeof e;
  }
  return false;
}
