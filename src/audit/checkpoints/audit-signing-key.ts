import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { GatewayConfig } from '../../shared/config/gateway-config.js';

export const SIGNING_KEY_FILE = 'audit-signing-key.pem';

/**
 * The gateway's Ed25519 key that signs audit checkpoints. Its key id is the SHA-256 of the public
 * key (SubjectPublicKeyInfo DER): publish it, so that anyone holding an export can check that the
 * key in it is the gateway's.
 */
export class AuditSigningKey {
  readonly keyId: string;

  constructor(
    private readonly privateKey: KeyObject,
    readonly publicKey: KeyObject = crypto.createPublicKey(privateKey),
  ) {
    this.keyId = keyIdOf(this.publicKey);
  }

  sign(data: string): string {
    return crypto.sign(null, Buffer.from(data, 'utf8'), this.privateKey).toString('base64');
  }

  publicKeyPem(): string {
    return this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  static generate(): AuditSigningKey {
    return new AuditSigningKey(crypto.generateKeyPairSync('ed25519').privateKey);
  }

  /**
   * Reads the key from DATA_DIR; outside production, generates it there on first use (several
   * instances sharing DATA_DIR end up with the same key: the first writer wins). In production
   * the key must be provisioned: a missing key is an error, never a silent new identity.
   */
  static loadOrCreate(config: Pick<GatewayConfig, 'DATA_DIR' | 'NODE_ENV'>): AuditSigningKey {
    const file = signingKeyPath(config);
    if (!fs.existsSync(file)) {
      if (config.NODE_ENV === 'production') {
        throw new Error(`No audit signing key at ${file}: provision an Ed25519 private key (PKCS#8 PEM) there`);
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const pem = crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
      try {
        fs.writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    const key = crypto.createPrivateKey(fs.readFileSync(file));
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is not an Ed25519 private key`);
    return new AuditSigningKey(key);
  }
}

/** Where the signing key lives. TODO(config): a GatewayConfig setting (e.g. AUDIT_SIGNING_KEY_FILE). */
export function signingKeyPath(config: Pick<GatewayConfig, 'DATA_DIR'>): string {
  return path.join(config.DATA_DIR, SIGNING_KEY_FILE);
}

export function keyIdOf(publicKey: KeyObject): string {
  return crypto.createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** A public key from PEM (SPKI), or the public half of a private key PEM. */
export function publicKeyFromPem(pem: string): KeyObject {
  const key = pem.includes('PRIVATE KEY') ? crypto.createPublicKey(crypto.createPrivateKey(pem)) : crypto.createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
  return key;
}

/** Public keys by key id. */
export type TrustedKeys = Map<string, KeyObject>;

export function trustedKeys(keys: KeyObject[]): TrustedKeys {
  return new Map(keys.map((k) => [keyIdOf(k), k]));
}
