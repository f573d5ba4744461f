import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/**
 * Once per run, before any worker starts (self-contained: Jest loads global setup outside its
 * module mapper):
 * - a fresh, empty test database for each Jest worker; each app applies the migrations to it.
 *   Workers run suites side by side and a suite truncates the tables it uses, so each worker owns
 *   one: TEST_DATABASE_URL's name plus `_w<JEST_WORKER_ID>` (test/support/test-database.ts picks
 *   it). `--runInBand` runs as worker 1;
 * - the pool of test clients' RSA keys test/support/test-keys.ts hands out, made on first use.
 */
export default async function globalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  await Promise.all([createWorkerDatabases(Math.max(1, globalConfig.maxWorkers)), ensureKeyPool()]);
}

async function createWorkerDatabases(workers: number): Promise<void> {
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/gateway_e2e');
  const name = url.pathname.slice(1);
  if (!/(test|e2e)/.test(name)) throw new Error(`Refusing to run tests against database "${name}": its name must contain "test" or "e2e"`);
  process.env.TEST_DATABASE_URL = url.toString();
  const client = await adminClient(url);
  try {
    for (let worker = 1; worker <= workers; worker++) {
      await client.query(`DROP DATABASE IF EXISTS "${name}_w${worker}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${name}_w${worker}"`);
    }
  } finally {
    await client.end();
  }
}

/**
 * A connection to a database of the same server to drop and create the workers' from: `test`
 * (CI's machines have it), else `postgres`, which every fresh server has. Only a missing database
 * (3D000) moves on to the next: any other failure (server down, refused) is the one to report.
 */
async function adminClient(url: URL): Promise<pg.Client> {
  for (const name of ['test', 'postgres']) {
    const admin = new URL(url);
    admin.pathname = `/${name}`;
    const client = new pg.Client({ connectionString: admin.toString() });
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      if ((error as { code?: string }).code !== '3D000' || name === 'postgres') throw error;
    }
  }
  throw new Error('unreachable');
}

/** More than the busiest suite uses; a suite past the end makes fresh keys. */
const POOL_SIZE = 48;

async function ensureKeyPool(): Promise<void> {
  const file = path.resolve(import.meta.dirname, '../node_modules/.cache/gateway-test-keys.json');
  process.env.TEST_KEY_POOL = file;
  try {
    if ((JSON.parse(fs.readFileSync(file, 'utf8')) as unknown[]).length >= POOL_SIZE) return;
  } catch {
    // none yet, or unreadable: made again
  }
  const generate = promisify(crypto.generateKeyPair);
  const keys = await Promise.all(
    Array.from({ length: POOL_SIZE }, () =>
      generate('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } }),
    ),
  );
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}`;
  fs.writeFileSync(partial, JSON.stringify(keys.map((k) => ({ privateKeyPem: k.privateKey, publicKeyPem: k.publicKey }))));
  fs.renameSync(partial, file);
}
