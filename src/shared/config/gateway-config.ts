import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import path from 'node:path';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);

/**
 * Every setting the gateway reads from its environment, with its default.
 * Validated once at start-up: the process refuses to start and names the variable.
 */
export class GatewayConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  /** A real PostgreSQL server. Unset: an embedded PostgreSQL (PGlite) kept in DATA_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsString()
  DATA_DIR = path.resolve('data');

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  DATABASE_POOL_SIZE = 10;

  @IsString()
  HOST = '127.0.0.1';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  DATA_PLANE_PORT = 8443;

  @IsString()
  TLS_CA_CERT = path.resolve('certs-dev/ca/ca.crt.pem');

  @IsString()
  TLS_CA_KEY = path.resolve('certs-dev/ca/ca.key.pem');

  @IsString()
  TLS_SERVER_CERT = path.resolve('certs-dev/server/server.crt.pem');

  @IsString()
  TLS_SERVER_KEY = path.resolve('certs-dev/server/server.key.pem');

  /** HMAC key for access tokens. Unset outside production: generated once into DATA_DIR. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  TOKEN_SIGNING_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(900, { message: 'must be at most 900 (tokens live at most 15 minutes)' })
  TOKEN_TTL_SECONDS = 600;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  CLIENT_CERT_VALIDITY_DAYS = 365;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  CONTROL_PLANE_PORT = 8080;

  /** Control-plane sessions are short (privileged accounts). */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(3600)
  CONTROL_SESSION_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  SIGN_IN_MAX_FAILURES = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  SIGN_IN_LOCKOUT_SECONDS = 900;

  /** How often the webhook dispatcher and the reminder scans run. */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  BACKGROUND_INTERVAL_MS = 5000;

  /** Lets webhooks target loopback/private addresses: tests and closed networks only. */
  @IsIn(['true', 'false'])
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' | 'false' = 'false';

  /** A task whose due date is this many days away or fewer is DUE_SOON. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(365)
  DUE_SOON_DAYS = 7;

  /** The calendar that decides "today" for deadline signals. */
  @IsString()
  TIMEZONE = 'Asia/Ho_Chi_Minh';

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  JSON_BODY_MAX_BYTES = 16 * 1024 * 1024;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Audit entries are written in groups; this bounds how long one waits for company. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100)
  AUDIT_FLUSH_DELAY_MS = 2;

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

  // ---- Security enforcement (src/security): quotas, anomaly detection, alerts ----

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
   * src/security/anomaly-thresholds.ts.
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

export class InvalidConfigError extends Error {}

/** Reads and validates the environment; throws one error listing every bad variable. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(GatewayConfig, defined, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false });
  const problems = errors.map((e) => {
    const reasons = Object.values(e.constraints ?? {}).map((c) => c.replace(`${e.property} `, ''));
    return `  ${e.property}=${JSON.stringify(defined[e.property])}: ${reasons.join('; ')}`;
  });
  if (config.NODE_ENV === 'production') {
    if (!config.TOKEN_SIGNING_SECRET) problems.push('  TOKEN_SIGNING_SECRET: required in production');
    if (config.TLS_CA_KEY.includes('certs-dev')) {
      problems.push('  TLS_CA_KEY: the dev CA in certs-dev/ must not be used in production');
    }
  }
  if (problems.length > 0) {
    throw new InvalidConfigError(`Invalid gateway configuration:\n${problems.join('\n')}`);
  }
  return config;
}
