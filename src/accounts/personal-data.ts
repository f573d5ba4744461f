import crypto from 'node:crypto';
import type { GatewayConfig } from '../shared/config/gateway-config.js';

/** A Vietnamese citizen ID number (căn cước công dân): 12 digits. */
export const CITIZEN_ID = /^\d{12}$/;

/** `001099001289` → `0010******89`: the province and century digits and the last two stay readable. */
export function maskCitizenId(citizenId: string): string {
  return `${citizenId.slice(0, 4)}${'*'.repeat(citizenId.length - 6)}${citizenId.slice(-2)}`;
}

const keys = new Map<string, Buffer>();
const FORMAT = 'v1';

function keyOf(config: Pick<GatewayConfig, 'PERSONAL_DATA_KEY'>): Buffer {
  const secret = config.PERSONAL_DATA_KEY;
  if (!secret) throw new Error('PERSONAL_DATA_KEY is not set');
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(crypto.hkdfSync('sha256', secret, 'vn-data-sharing-gateway', 'personal data at rest', 32));
    keys.set(secret, key);
  }
  return key;
}

/**
 * AES-256-GCM with a random 96-bit nonce; `purpose` is bound as associated data, so a value
 * encrypted for one field (or account) cannot be moved to another and still decrypt.
 * Stored as `v1.<nonce>.<tag>.<ciphertext>` (base64url).
 */
export function encryptPersonalData(config: Pick<GatewayConfig, 'PERSONAL_DATA_KEY'>, plaintext: string, purpose: string): string {
  const nonce = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', keyOf(config), nonce);
  cipher.setAAD(Buffer.from(purpose, 'utf8'));
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [FORMAT, nonce, cipher.getAuthTag(), sealed].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export function decryptPersonalData(config: Pick<GatewayConfig, 'PERSONAL_DATA_KEY'>, stored: string, purpose: string): string {
  const [format, nonce, tag, sealed] = stored.split('.');
  if (format !== FORMAT || !nonce || !tag || sealed === undefined) throw new Error('Not an encrypted personal-data value');
  const decipher = crypto.createDecipheriv('aes-256-gcm', keyOf(config), Buffer.from(nonce, 'base64url'));
  decipher.setAAD(Buffer.from(purpose, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
}

/** What the citizen ID of an account is encrypted for: the field and the account. */
export const citizenIdPurpose = (accountId: string) => `accounts.citizen_id:${accountId}`;
