import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities.js';
import { CONNECT_TIMEOUT_MS, ResilientPgClient } from './resilient-pg-client.js';
import { MIGRATIONS } from './migrations/index.js';
import { GATEWAY_TYPE_PARSERS } from './type-parsers.js';

/** TypeORM options for a PostgreSQL URL. Schema changes only ever come from checked-in migrations. */
export function dataSourceOptions(url: string, poolSize = 10, connectTimeoutMs = CONNECT_TIMEOUT_MS): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    uuidExtension: 'pgcrypto',
    // A pool of one (the embedded database's) keeps its connection open: PGlite serves all
    // connections from one session, where each new connection's prepared statements would stay.
    extra: {
      max: poolSize,
      ...(poolSize === 1 ? { idleTimeoutMillis: 0 } : {}),
      // The gateway outlives a database outage (resilient-pg-client.ts): no client error goes
      // unheard, and a request waits for a connection seconds at most, then gets a 503.
      Client: ResilientPgClient,
      connectionTimeoutMillis: connectTimeoutMs,
      types: GATEWAY_TYPE_PARSERS, // DATE stays 'YYYY-MM-DD' (type-parsers.ts)
    },
  };
}

/**
 * Used by the TypeORM CLI (`npm run migration:generate|run|revert`): as the owner role
 * (DATABASE_MIGRATION_URL) when there is one, else DATABASE_URL. After `migration:run` with two
 * roles, `npm run cli -- db:grant-runtime-role --role …` grants a new table (or restart the gateway).
 */
const url = process.env.DATABASE_MIGRATION_URL || process.env.DATABASE_URL || 'postgres://127.0.0.1:5432/gateway';
export default new DataSource(dataSourceOptions(url));
