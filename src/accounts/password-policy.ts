import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import { ApiError } from '../shared/errors/api-error.js';
import { verifyPassword } from './credentials.js';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

/**
 * zxcvbn (the maintained TypeScript port) with its common dictionaries: the ~30,000 most common
 * passwords of public breach corpora and a diceware list, plus keyboard patterns, sequences,
 * repeats and dates. All offline: the lists ship with the package, nothing is fetched.
 */
let estimator: ZxcvbnFactory | undefined;
/**
 * Built on first use: ranking the dictionaries takes ~0.2 s of CPU, which every process start
 * (the gateway, each operator command) paid before, whether or not it checked a password.
 */
function passwordEstimator(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({ dictionary: common.dictionary, graphs: common.adjacencyGraphs });
  return estimator;
}

/** zxcvbn's warning keys, said plainly. */
const WARNINGS: Record<string, string> = {
  straightRow: 'is a straight row of keys',
  keyPattern: 'is a short keyboard pattern',
  simpleRepeat: 'repeats characters (like "aaa")',
  extendedRepeat: 'repeats a pattern (like "abcabc")',
  sequences: 'is a common sequence (like "abc" or "1234")',
  recentYears: 'uses a recent year',
  dates: 'uses a date',
  topTen: 'is one of the ten most used passwords',
  topHundred: 'is one of the hundred most used passwords',
  common: 'is a commonly used password (found in breach lists)',
  similarToCommon: 'is too close to a commonly used password (found in breach lists)',
  wordByItself: 'is a single word',
  namesByThemselves: 'is a single name',
  commonNames: 'is a common name',
  userInputs: 'contains your username or your name',
  pwned: 'appears in breach lists',
};

/**
 * Why a password the holder chose is refused, or null: length, then strength against the common
 * password lists, counting the username and the holder's name as known words.
 */
export function passwordWeakness(password: string, minStrength: number, knownWords: string[]): string | null {
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    return `must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`;
  }
  const words = knownWords.flatMap((w) => [w, ...w.split(/[\s._-]+/)]).filter((w) => w.length >= 3);
  const result = passwordEstimator().check(password, words);
  if (result.score >= minStrength) return null;
  const why = (result.feedback.warning && WARNINGS[result.feedback.warning]) ?? 'is too easy to guess';
  return `${why}: strength ${result.score}/4, at least ${minStrength} is required`;
}

/** A 400 naming `newPassword` and why, or nothing. */
export function assertStrongPassword(password: string, minStrength: number, knownWords: string[]): void {
  const problem = passwordWeakness(password, minStrength, knownWords);
  if (problem) throw ApiError.badRequest('The new password does not meet the password policy', [{ field: 'newPassword', problem }]);
}

/** True when `password` matches any of the hashes (the current password and the kept previous ones). */
export async function reusesAny(password: string, hashes: string[]): Promise<boolean> {
  for (const hash of hashes) if (await verifyPassword(hash, password)) return true;
  return false;
}
