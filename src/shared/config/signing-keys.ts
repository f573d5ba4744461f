import crypto from 'node:crypto';
import type { GatewayConfig } from './gateway-config.js';

/** What a key signs: each use gets its own key, so a token of one kind is never valid as the other. */
export type SigningPurpose = 'data-plane access token' | 'control-plane session';

const derived = new Map<string, Buffer>();

/**
 * A 256-bit HMAC key for one purpose, derived from TOKEN_SIGNING_SECRET with HKDF-SHA256 (RFC 5869)
 * and the purpose as its info: one secret to configure and rotate, separate keys in use.
 */
export function signingKeyFor(config: Pick<GatewayConfig, 'TOKEN_SIGNING_SECRET'>, purpose: SigningPurpose): Buffer {
  const secret = config.TOKEN_SIGNING_SECRET;
  if (!secret) throw new Error('TOKEN_SIGNING_SECRET is not set');
  const id = `${purpose}\u0000${secret}`;
  let key = derived.get(id);
  if (!key) {
    key = Buffer.from(crypto.hkdfSync('sha256', secret, 'vn-data-sharing-gateway', purpose, 32));
    derived.set(id, key);
  }
  return key;
}
