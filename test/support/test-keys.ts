import fs from 'node:fs';
import { generateRsaKeyPair } from '../../src/pki/certificate-authority.js';

type KeyPair = ReturnType<typeof generateRsaKeyPair>;

let pool: KeyPair[] | undefined;
let next = 0;

/**
 * An RSA-2048 key pair for a test client. Making one costs 50-250 ms of CPU (a prime search), an
 * eighth of a typical suite's: test/global-setup.ts makes a pool once (kept in
 * node_modules/.cache between runs) and each suite takes keys from it in order, so no two clients
 * of one suite share a key. Past the pool's end, fresh keys.
 */
export function testKeyPair(): KeyPair {
  pool ??= process.env.TEST_KEY_POOL && fs.existsSync(process.env.TEST_KEY_POOL) ? (JSON.parse(fs.readFileSync(process.env.TEST_KEY_POOL, 'utf8')) as KeyPair[]) : [];
  return next < pool.length ? pool[next++] : generateRsaKeyPair();
}
