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
