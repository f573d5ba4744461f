import { ApiError } from '../../shared/errors/api-error.js';

/**
 * A position in a data set's change feed: the `change_seq` of the last row a consumer has seen.
 *
 * Why pages never skip a row: a plain sequence value is taken when a row is written but becomes
 * visible when its transaction commits, so a consumer could pass a value whose transaction
 * commits later and never see it. Writers of a data set therefore hold a transaction-scoped
 * advisory lock (per data set and environment) from start to commit (record-store.ts), so
 * `change_seq` values become visible in the order they were taken.
 */
export interface FeedPosition {
  seq: string;
}

export const FEED_START: FeedPosition = { seq: '0' };

export function encodeCursor(position: FeedPosition): string {
  return Buffer.from(`v2:${position.seq}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): FeedPosition {
  if (!cursor) return FEED_START;
  const match = /^v2:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) {
    throw ApiError.badRequest('Invalid cursor', [{ field: 'cursor', problem: 'is not a cursor this gateway returned' }]);
  }
  return { seq: match[1] };
}
