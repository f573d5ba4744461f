import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { type Settings, toInt } from './settings.js';

/** Running the gateway: environment, logs, the operations listener (health, metrics), scheduled reports and the audit log. */
export function OperationsSettings<Base extends Settings>(base: Base) {
  class Operations extends base {
    @IsIn(['development', 'production', 'test'])
    NODE_ENV: 'development' | 'production' | 'test' = 'development';

    @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    LOG_LEVEL = 'info';

    // ---- The operations listener (src/operations): health, readiness and Prometheus metrics ----

    /**
     * The operations listener is plain HTTP for the load balancer and Prometheus: loopback by
     * default, never the mTLS port. Bind it to a management network address to scrape from elsewhere.
     */
    @IsString()
    OPS_HOST = '127.0.0.1';

    /** 0 picks a free port (tests). */
    @Transform(toInt)
    @IsInt()
    @Min(0)
    @Max(65535)
    OPS_PORT = 9464;

    /** Metrics read from the database (incidents, certificates, backlog) are cached this long between scrapes. */
    @Transform(toInt)
    @IsInt()
    @Min(0)
    @Max(300_000)
    OPS_METRICS_CACHE_MS = 5000;

    /** A readiness check (database, Redis) that has not answered within this time counts as down. */
    @Transform(toInt)
    @IsInt()
    @Min(100)
    @Max(30_000)
    OPS_READINESS_TIMEOUT_MS = 2000;

    /** Not ready once an audit entry has waited this long to be written (the writer is stuck). */
    @Transform(toInt)
    @IsInt()
    @Min(1)
    @Max(3600)
    OPS_AUDIT_STUCK_SECONDS = 10;

    /** Whether this instance puts the quarterly report in the DTD's inbox (several instances may: one report per quarter). */
    @IsIn(['true', 'false'])
    REPORTS_SCHEDULED: 'true' | 'false' = 'true';

    /**
     * Audit entries are written in groups; this bounds how long one waits for company. 0: a group
     * is what queued while the append before it was in flight (group commit as PostgreSQL's own
     * `commit_delay` 0). A delay only idles the data plane: with 64 connections a cached pull at a
     * 2 ms delay left the gateway's core ~17% idle, every connection waiting on the same group, and
     * served ~25% fewer requests at no saving in PostgreSQL (bench/README.md).
     */
    @Transform(toInt)
    @IsInt()
    @Min(0)
    @Max(100)
    AUDIT_FLUSH_DELAY_MS = 0;

    /**
     * How long audit entries stay in the database before `audit:archive` may detach their month.
     * Guidance IV.4 demands at least 5 years: a smaller value is refused, never applied.
     */
    @Transform(toInt)
    @IsInt()
    @Min(5, { message: 'must be at least 5 (guidance IV.4 keeps the audit log at least five years)' })
    AUDIT_RETENTION_YEARS = 5;

    /**
     * File each sealed audit checkpoint is also appended to, outside the database, so that a log
     * cut back at its end is noticed (audit-checkpoint-journal.ts). Unset: DATA_DIR/audit-checkpoints.jsonl.
     */
    @IsOptional()
    @IsString()
    @MinLength(1)
    AUDIT_CHECKPOINT_JOURNAL?: string;
  }
  return Operations;
}
