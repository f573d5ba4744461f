import { hash, verify } from '@node-rs/argon2';
import { generateSecret, generateURI, verifySync } from 'otplib';
import crypto from 'node:crypto';

/** Argon2id (memory-hard), with the library's OWASP-aligned defaults. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}

/** A random password for bootstrap and handover: 20 characters of base64url. */
export function generatePassword(): string {
  return crypto.randomBytes(15).toString('base64url');
}

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(secret: string, username: string): string {
  return generateURI({ issuer: 'Cong chia se du lieu', label: username, secret });
}

/**
 * Checks a TOTP code, allowing one step of clock drift, and returns its time step. A code at or
 * before `lastStep` is refused, so an intercepted code cannot be replayed.
 */
export function checkTotp(secret: string, code: string, lastStep: number | null): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const result = verifySync({ secret, token: code, epochTolerance: 30, ...(lastStep !== null ? { afterTimeStep: lastStep } : {}) });
  return result.valid ? (result as { timeStep: number }).timeStep : null;
}
