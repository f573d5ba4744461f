import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import ipaddr from 'ipaddr.js';
import fs from 'node:fs';
import { AccessSettings } from './access.settings.js';
import { ExchangeSettings } from './exchange.settings.js';
import { OperationsSettings } from './operations.settings.js';
import { SecuritySettings } from './security.settings.js';
import { StorageSettings } from './storage.settings.js';
import { TransportSettings } from './transport.settings.js';

/**
 * Every setting the gateway reads from its environment, with its default, by area:
 * - transport.settings.ts: listeners, TLS, transport limits, body sizes;
 * - storage.settings.ts: PostgreSQL, DATA_DIR, Redis;
 * - access.settings.ts: tokens, certificates, sessions, sign-in, passwords, delegations;
 * - security.settings.ts: quotas, anomaly thresholds, security alerts, uploaded-file checks;
 * - exchange.settings.ts: deadlines and calendar, classified records, webhooks, background work;
 * - operations.settings.ts: environment, logs, the operations listener, reports, the audit log.
 * One class, validated once at start-up (loadGatewayConfig): the process refuses to start and
 * names every bad variable. Injected by its class (ConfigModule).
 */
export class GatewayConfig extends OperationsSettings(ExchangeSettings(SecuritySettings(AccessSettings(StorageSettings(TransportSettings(Object)))))) {}

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
  if (config.DATABASE_MIGRATION_URL && !config.DATABASE_URL) {
    problems.push('  DATABASE_MIGRATION_URL: needs DATABASE_URL (the runtime role) beside it; the embedded database has one role');
  }
  if (config.WEBHOOK_CA_CERT && !readablePem(config.WEBHOOK_CA_CERT)) {
    problems.push(`  WEBHOOK_CA_CERT=${JSON.stringify(config.WEBHOOK_CA_CERT)}: must be a readable PEM file of certificates`);
  }
  // Node's HTTP server refuses to start otherwise; say which variables are at fault instead.
  if (config.HTTP_HEADERS_TIMEOUT_MS > config.HTTP_REQUEST_TIMEOUT_MS) {
    problems.push('  HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)');
  }
  // The pattern above lets through what only looks like an address (999.1.1.1, 10.0.0.0/40).
  for (const name of ['PROXY_PROTOCOL_FROM', 'CONTROL_PLANE_TRUSTED_PROXIES'] as const) {
    const bad = unparsableAddresses(config[name]);
    if (bad.length > 0 && !errors.some((e) => e.property === name)) problems.push(`  ${name}: not an IP address or CIDR block: ${bad.join(', ')}`);
  }
  if (config.WORKERS > 1 && !config.REDIS_URL) {
    problems.push('  WORKERS: above 1 needs REDIS_URL, or each process would allow the full quota and see only its share of the calls');
  }
  if (config.WORKERS > 1 && !config.DATABASE_URL) {
    problems.push('  WORKERS: above 1 needs DATABASE_URL (the embedded database serves one process)');
  }
  if (config.MAX_CONNECTIONS_PER_ADDRESS > config.MAX_CONNECTIONS) {
    problems.push('  MAX_CONNECTIONS_PER_ADDRESS: must not exceed MAX_CONNECTIONS');
  }
  if (config.NODE_ENV === 'production') {
    if (!config.TOKEN_SIGNING_SECRET) problems.push('  TOKEN_SIGNING_SECRET: required in production');
    if (!config.PERSONAL_DATA_KEY) problems.push('  PERSONAL_DATA_KEY: required in production');
    if (config.TLS_CA_KEY.includes('certs-dev')) {
      problems.push('  TLS_CA_KEY: the dev CA in certs-dev/ must not be used in production');
    }
  }
  if (problems.length > 0) {
    throw new InvalidConfigError(`Invalid gateway configuration:\n${problems.join('\n')}`);
  }
  return config;
}

function unparsableAddresses(list: string | undefined): string[] {
  return (list ?? '').split(',').map((entry) => entry.trim()).filter((entry) => {
    if (!entry) return false;
    try {
      if (entry.includes('/')) ipaddr.parseCIDR(entry);
      else ipaddr.parse(entry);
      return !ipaddr.isValid(entry.split('/')[0]);
    } catch {
      return true;
    }
  });
}

function readablePem(file: string): boolean {
  try {
    return fs.readFileSync(file, 'utf8').includes('-----BEGIN CERTIFICATE-----');
  } catch {
    return false;
  }
}
