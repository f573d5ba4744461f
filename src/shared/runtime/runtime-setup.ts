import { Logger } from '@nestjs/common';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { GatewayConfig } from '../config/gateway-config.js';
import { EMBEDDED_CONNECT_TIMEOUT_MS, EmbeddedPostgres } from '../database/embedded-postgres.js';

/**
 * Fills in what a zero-configuration start needs: the data folder, a token signing secret and a
 * personal-data key kept in it (outside production), and an embedded PostgreSQL when no
 * DATABASE_URL is given. Returns a function that stops what it started.
 */
export async function prepareRuntime(
  config: GatewayConfig,
  options: { embeddedDatabase: 'start' | 'reuse-or-start' } = { embeddedDatabase: 'start' },
): Promise<() => Promise<void>> {
  const logger = new Logger('Runtime');
  fs.mkdirSync(config.DATA_DIR, { recursive: true });
  config.TOKEN_SIGNING_SECRET ??= generatedSecret(config.DATA_DIR, 'token-signing-secret');
  config.PERSONAL_DATA_KEY ??= generatedSecret(config.DATA_DIR, 'personal-data-key');
  if (config.DATABASE_URL) return async () => undefined;
  config.DATABASE_CONNECT_TIMEOUT_MS = Math.max(config.DATABASE_CONNECT_TIMEOUT_MS, EMBEDDED_CONNECT_TIMEOUT_MS);
  const running = options.embeddedDatabase === 'reuse-or-start' ? EmbeddedPostgres.runningUrl(config.DATA_DIR) : undefined;
  if (running) {
    config.DATABASE_URL = running;
    return async () => undefined;
  }
  // PGlite is one session: interleaving a transaction with another connection's queries breaks
  // (see ../shared/spec/NOTES.md). One pooled connection per app serialises them; throughput is
  // not what the embedded mode is for.
  config.DATABASE_POOL_SIZE = 1;
  const embedded = await EmbeddedPostgres.start(config.DATA_DIR, 6);
  config.DATABASE_URL = embedded.url;
  logger.log(`No DATABASE_URL: using embedded PostgreSQL (PGlite) in ${path.join(config.DATA_DIR, 'pgdata')}`);
  return () => embedded.stop();
}

/** A secret made once and kept in DATA_DIR (readable by the gateway's user only). */
function generatedSecret(dataDir: string, name: string): string {
  const file = path.join(dataDir, name);
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(48).toString('base64url'), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}
