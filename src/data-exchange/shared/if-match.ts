import { ApiError } from '../../shared/errors/api-error.js';

/** What an If-Match header asks for: a version, or (`*`) only that the record exists (RFC 9110 13.1.1). */
export type VersionPrecondition = number | 'exists';

export function etagOf(version: number): string {
  return `"${version}"`;
}

/** The precondition an If-Match header states, or undefined when there is none. */
export function expectedVersion(ifMatch: string | undefined): VersionPrecondition | undefined {
  if (!ifMatch) return undefined;
  if (ifMatch.trim() === '*') return 'exists';
  const match = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(ifMatch);
  if (!match) throw ApiError.badRequest('Invalid If-Match', [{ field: 'If-Match', problem: 'must be an ETag this gateway returned' }]);
  return Number(match[1]);
}

/** The 409 for a write whose If-Match does not hold; null when it holds (or there is none). */
export function failedPrecondition(expected: VersionPrecondition | undefined, current: { version: number; revoked: boolean } | undefined): ApiError | null {
  if (expected === undefined) return null;
  if (expected === 'exists') {
    return current && !current.revoked ? null : ApiError.conflict('STALE_VERSION', 'If-Match: * expects an existing record; there is none (or it was revoked)');
  }
  if ((current?.version ?? 0) === expected) return null;
  return ApiError.conflict('STALE_VERSION', `If-Match expects version ${expected}, the record is at version ${current?.version ?? 'none (it does not exist)'}`);
}
