import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import path from 'node:path';
import { type Settings, toInt } from './settings.js';

/** Where the gateway keeps its state: PostgreSQL (or the embedded one in DATA_DIR) and Redis. */
export function StorageSettings<Base extends Settings>(base: Base) {
  class Storage extends base {
    /** A real PostgreSQL server. Unset: an embedded PostgreSQL (PGlite) kept in DATA_DIR. */
    @IsOptional()
    @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
    DATABASE_URL?: string;

    /**
     * The role that owns the schema, for migrations (at start-up, `npm run migration:*`) and owner
     * tasks (`audit:archive`, `db:grant-runtime-role`). Set: the gateway serves as DATABASE_URL's
     * role, which is granted only what it needs (INSERT/SELECT on the audit tables) and can no
     * longer switch the append-only triggers off. Unset: DATABASE_URL's role does both.
     */
    @IsOptional()
    @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
    DATABASE_MIGRATION_URL?: string;

    @IsString()
    DATA_DIR = path.resolve('data');

    @Transform(toInt)
    @IsInt()
    @Min(1)
    @Max(100)
    DATABASE_POOL_SIZE = 10;

    /**
     * How long a query waits for a pooled connection (ms) before its request is answered 503:
     * bounds what an unreachable database adds to a call. The embedded database raises it
     * (embedded-postgres.ts says why).
     */
    @Transform(toInt)
    @IsInt()
    @Min(100)
    @Max(120_000)
    DATABASE_CONNECT_TIMEOUT_MS = 3000;

    /**
     * Shared Redis for quota and anomaly counts and for suspension broadcasts between gateway
     * instances. Unset: counts are kept per instance (start-up logs a warning).
     */
    @IsOptional()
    @Matches(/^rediss?:\/\//, { message: 'must be a redis:// or rediss:// URL' })
    REDIS_URL?: string;

    /** Prefix of every Redis key and channel, so that deployments can share one Redis. */
    @IsString()
    REDIS_KEY_PREFIX = 'gateway:';

    /**
     * How long a Redis command may take before it counts as failed (ms). Every data-plane call waits
     * on its quota count, so this bounds what an unanswering Redis adds to a call; after a failure the
     * data plane counts per instance until Redis answers again (redis-availability.ts).
     */
    @Transform(toInt)
    @IsInt()
    @Min(50)
    @Max(60_000)
    REDIS_COMMAND_TIMEOUT_MS = 1000;
  }
  return Storage;
}
