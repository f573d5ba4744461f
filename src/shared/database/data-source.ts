import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';

/** TypeORM options for a PostgreSQL URL. Schema changes only ever come from checked-in migrations. */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
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
    extra: { max: poolSize, ...(poolSize === 1 ? { idleTimeoutMillis: 0 } : {}) },
  };
}

/**
 * Used by the TypeORM CLI (`npm run migration:generate|run|revert`) against DATABASE_URL.
 */
export default new DataSource(dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://127.0.0.1:5432/gateway'));
