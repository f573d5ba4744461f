import { v7 as uuidv7 } from 'uuid';

/**
 * A request's id (`X-Request-Id`, the audit entry's `request_id`): a time-ordered UUID (RFC 9562
 * version 7), not a random one (version 4).
 *
 * Why: every call writes an audit entry, and `audit_entries.request_id` is indexed so that a
 * call can be found from the id its caller was given. A random id lands anywhere in that btree,
 * so each append dirties pages all over it, and once a month's partition outgrows memory those
 * pages come from disk. A time-ordered id lands at the index's right edge, as `occurred_at` does.
 * Measured (20-entry groups, 3.6 M entries in the month): 66 µs of PostgreSQL CPU per entry
 * against 76 with random ids. The id still names one request and nothing else; its first 48 bits
 * are the millisecond it was made, which the response's `Date` header already tells.
 */
export const newRequestId = (): string => uuidv7();
