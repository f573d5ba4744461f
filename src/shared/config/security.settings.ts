import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { type Settings, toInt } from './settings.js';

/** Security thresholds: quotas, the anomaly detector, security alerts, and the checks of uploaded files. */
export function SecuritySettings<Base extends Settings>(base: Base) {
  class Security extends base {
    /**
     * Office files are zip archives (OOXML, OpenDocument): one that would inflate beyond this, holds
     * more entries than FILE_MAX_ARCHIVE_ENTRIES, or has an entry (over 1 MiB inflated) compressed
     * more than FILE_MAX_COMPRESSION_RATIO times is refused as a zip bomb (src/shared/files/).
     */
    @Transform(toInt)
    @IsInt()
    @Min(1024 * 1024)
    FILE_MAX_INFLATED_BYTES = 100 * 1024 * 1024;

    @Transform(toInt)
    @IsInt()
    @Min(10)
    FILE_MAX_ARCHIVE_ENTRIES = 10_000;

    @Transform(toInt)
    @IsInt()
    @Min(10)
    FILE_MAX_COMPRESSION_RATIO = 200;

    /**
     * An external malware scanner run for every uploaded file: program and arguments separated by
     * spaces (no shell), the file on its standard input; exit 0 = clean, 1 = infected, anything
     * else = it could not tell (the upload is refused with 503). clamdscan-compatible, e.g.
     * `clamdscan --no-summary --stream -`. Unset: no external scan (the built-in checks only).
     */
    @IsOptional()
    @IsString()
    @MinLength(1)
    FILE_SCANNER_COMMAND?: string;

    @Transform(toInt)
    @IsInt()
    @Min(100)
    FILE_SCANNER_TIMEOUT_MS = 30_000;

    /** Quotas of a connection whose agreement does not fix them (reads = GET; writes = PUT/POST/DELETE). */
    @Transform(toInt)
    @IsInt()
    @Min(1)
    QUOTA_READS_PER_MINUTE = 600;

    @Transform(toInt)
    @IsInt()
    @Min(1)
    QUOTA_WRITES_PER_MINUTE = 300;

    @Transform(toInt)
    @IsInt()
    @Min(1)
    QUOTA_READS_PER_DAY = 200_000;

    @Transform(toInt)
    @IsInt()
    @Min(1)
    QUOTA_WRITES_PER_DAY = 100_000;

    /** Token requests per certificate per minute (a token lives up to 15 minutes). */
    @Transform(toInt)
    @IsInt()
    @Min(1)
    QUOTA_TOKEN_REQUESTS_PER_MINUTE = 20;

    /**
     * Anomaly thresholds: a signal trips when THRESHOLD events fall within WINDOW_SECONDS for one
     * connection (0 turns the signal off). Defaults and their sources are in
     * src/security/enforcement/anomaly-thresholds.ts.
     */
    @Transform(toInt)
    @IsInt()
    @Min(0)
    ANOMALY_AUTH_FAILURES = 5;

    @Transform(toInt)
    @IsInt()
    @Min(1)
    ANOMALY_AUTH_FAILURES_WINDOW_SECONDS = 10;

    @Transform(toInt)
    @IsInt()
    @Min(0)
    ANOMALY_UNKNOWN_PATHS = 10;

    @Transform(toInt)
    @IsInt()
    @Min(1)
    ANOMALY_UNKNOWN_PATHS_WINDOW_SECONDS = 10;

    @Transform(toInt)
    @IsInt()
    @Min(0)
    ANOMALY_ATTACK_PROBES = 3;

    @Transform(toInt)
    @IsInt()
    @Min(1)
    ANOMALY_ATTACK_PROBES_WINDOW_SECONDS = 60;

    @Transform(toInt)
    @IsInt()
    @Min(0)
    ANOMALY_SCOPE_REFUSALS = 10;

    @Transform(toInt)
    @IsInt()
    @Min(1)
    ANOMALY_SCOPE_REFUSALS_WINDOW_SECONDS = 60;

    @Transform(toInt)
    @IsInt()
    @Min(0)
    ANOMALY_QUOTA_REFUSALS = 30;

    @Transform(toInt)
    @IsInt()
    @Min(1)
    ANOMALY_QUOTA_REFUSALS_WINDOW_SECONDS = 60;

    /** A query spike: at least SPIKE_MIN_REQUESTS in one bucket and SPIKE_FACTOR × the baseline (0: off). */
    @Transform(toInt)
    @IsInt()
    @Min(0)
    ANOMALY_SPIKE_FACTOR = 10;

    @Transform(toInt)
    @IsInt()
    @Min(1)
    ANOMALY_SPIKE_MIN_REQUESTS = 300;

    @Transform(toInt)
    @IsInt()
    @Min(1)
    @Max(3600)
    ANOMALY_SPIKE_BUCKET_SECONDS = 60;

    /** How many past buckets make the connection's own baseline (60 × 60 s: the last hour). */
    @Transform(toInt)
    @IsInt()
    @Min(1)
    @Max(1440)
    ANOMALY_SPIKE_BASELINE_BUCKETS = 60;

    /** Where security alerts are POSTed (JSON). Unset: alerts wait in the outbox, and start-up warns. */
    @IsOptional()
    @Matches(/^https?:\/\//, { message: 'must be an http:// or https:// URL' })
    SECURITY_ALERT_WEBHOOK_URL?: string;

    /** Alert delivery retries back off exponentially from BASE up to MAX, until delivered. */
    @Transform(toInt)
    @IsInt()
    @Min(10)
    ALERT_RETRY_BASE_MS = 2000;

    @Transform(toInt)
    @IsInt()
    @Min(10)
    ALERT_RETRY_MAX_MS = 600_000;

    @Transform(toInt)
    @IsInt()
    @Min(10)
    ALERT_POLL_INTERVAL_MS = 5000;

    @Transform(toInt)
    @IsInt()
    @Min(100)
    ALERT_DELIVERY_TIMEOUT_MS = 10_000;
  }
  return Security;
}
