import { ApiError } from '../../shared/errors/api-error.js';

export function etagOf(version: number): string {
  return `"${version}"`;
}

/** The version an If-Match header expects, or undefined when absent or `*`. */
export function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (!ifMatch || ifMatch.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(ifMatch);
  if (!match) throw ApiError.badRequest('Invalid If-Match', [{ field: 'If-Match', problem: 'must be an ETag this gateway returned' }]);
  return Number(match[1]);
}
