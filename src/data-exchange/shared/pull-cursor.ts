import { ApiError } from '../../shared/errors/api-error.js';

/**
 * A position in a data set's change feed: the `change_seq` of the last row a consumer has seen.
 * Pages read no further than the feed's horizon, up to which every row is final
 * (change-feed-writers.ts): that is why they never skip a row.
 */
export interface FeedPosition {
  seq: string;
  /** No cursor was given: the pull starts at the beginning of the feed. */
  fresh?: boolean;
}

const MAX_SEQ = 2n ** 63n - 1n;

export const FEED_START: FeedPosition = { seq: '0', fresh: true };

/**
 * Where a page leaves its consumer (`resumeCursor`): after its last row; for an empty page, where
 * the caller already was — its cursor, or, when it gave none, the feed's end (the watermark, the
 * highest `change_seq` up to the horizon, read in the page's own snapshot).
 *
 * Why the feed's end skips nothing: every row with a `change_seq` up to the watermark is final and
 * in that snapshot, and none of them matched the query (the page is empty); any later write,
 * update or revocation takes a higher `change_seq`. Starting over at 0 instead made "resume
 * from here" replay the whole feed. (Filters on the time-dependent deadline status are the one
 * exception: a record turns OVERDUE without a new `change_seq`; such consumers pull without a cursor.)
 */
export function resumePosition(position: FeedPosition, lastSeq: string | null, watermark: string): FeedPosition {
  if (lastSeq) return { seq: lastSeq };
  return position.fresh ? { seq: watermark } : position;
}

export function encodeCursor(position: FeedPosition): string {
  return Buffer.from(`v2:${position.seq}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): FeedPosition {
  if (!cursor) return FEED_START;
  const match = /^v2:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  // 19 digits reach past bigint's 2^63-1: such a position was never handed out, and PostgreSQL
  // would refuse it with an error that is not the caller's to read (a 500).
  if (!match || BigInt(match[1]) > MAX_SEQ) {
    throw ApiError.badRequest('Invalid cursor', [{ field: 'cursor', problem: 'is not a cursor this gateway returned' }]);
  }
  return { seq: match[1] };
}
