import { Logger } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { generateSecret, generateURI, verifySync } from 'otplib';
import crypto from 'node:crypto';

/** Argon2id (memory-hard), with the library's OWASP-aligned defaults. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

const logger = new Logger('Credentials');

/** False for a wrong password; also for a stored hash argon2 cannot read, which is logged (that account cannot sign in until reset). */
export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch((error: Error) => {
    logger.error(`A stored password hash could not be verified: ${error.message}`);
    return false;
  });
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
 * Checks a TOTP code at `atMs` (the gateway's Clock), allowing one step of clock drift, and returns
 * its time step. A code at or before `lastStep` is refused, so an intercepted code cannot be replayed.
 */
export function checkTotp(secret: string, code: string, lastStep: number | null, atMs: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const epoch = Math.floor(atMs / 1000);
  const result = verifySync({ secret, token: code, epoch, epochTolerance: 30, ...(lastStep !== null ? { afterTimeStep: lastStep } : {}) });
  return result.valid ? (result as { timeStep: number }).timeStep : null;
}

/**
 * Like checkTotp, but tells a code that is right and already used ('reused') from a wrong one
 * (null): the holder who typed the password correctly is told to wait for the next code.
 */
export function totpVerdict(secret: string, code: string, lastStep: number | null, atMs: number): number | 'reused' | null {
  const step = checkTotp(secret, code, lastStep, atMs);
  if (step !== null || lastStep === null) return step;
  const anyStep = checkTotp(secret, code, null, atMs);
  return anyStep !== null && anyStep <= lastStep ? 'reused' : null;
}

let dummyHash: Promise<string> | null = null;

/**
 * An Argon2id hash of a random secret nobody knows, made with the same parameters as real ones:
 * a sign-in with a username no account has is verified against it, so that it takes as long as
 * one with a real username (no timing difference to enumerate accounts by).
 */
export function unusablePasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomBytes(32).toString('base64url'));
  return dummyHash;
}

/** Crockford-style base32 without look-alikes (no I, L, O, U): read aloud or typed from paper. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 16 characters of 32 symbols: 80 bits, in four groups of four (`ABCD-EFGH-JKMN-PQRS`). */
export function activationCodePart(): string {
  const bytes = crypto.randomBytes(16);
  const chars = [...bytes].map((b) => CODE_ALPHABET[b & 31]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** Case, spaces and dashes do not matter when the holder types a part back. */
function normalisePart(part: string): string {
  return part.toUpperCase().replace(/[\s-]/g, '');
}

/** What is stored of an activation code: SHA-256 of both parts (160 random bits, so no salt needed). */
export function activationHash(administratorPart: string, securityOfficerPart: string): string {
  return crypto.createHash('sha256').update(`${normalisePart(administratorPart)}:${normalisePart(securityOfficerPart)}`).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
