import { ApiError } from '../../shared/errors/api-error.js';

/**
 * A position in a data set's change feed: (writing transaction id, change sequence).
 *
 * Why this and not `updated_at` or a plain sequence: a sequence value is taken when a row is
 * written but becomes visible when its transaction commits, so a consumer paging by sequence can
 * pass a value whose transaction commits later and never see it. Pulls therefore return only rows
 * written by transactions older than every transaction still running
 * (`pg_snapshot_xmin(pg_current_snapshot())`); nothing can later appear behind the cursor.
 */
export interface FeedPosition {
  txid: string;
  seq: string;
}

export const FEED_START: FeedPosition = { txid: '0', seq: '0' };

export function encodeCursor(position: FeedPosition): string {
  return Buffer.from(`v1:${position.txid}:${position.seq}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): FeedPosition {
  if (!cursor) return FEED_START;
  const match = /^v1:(\d{1,19}):(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) {
    throw ApiError.badRequest('Invalid cursor', [{ field: 'cursor', problem: 'is not a cursor this gateway returned' }]);
  }
  return { txid: match[1], seq: match[2] };
}

/** SQL: the change-feed condition for a table alias-free query; binds $txid/$seq parameters. */
export const VISIBLE_HORIZON_SQL = 'change_txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint';
