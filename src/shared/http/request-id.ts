import crypto from 'node:crypto';

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
 *
 * Written here rather than taken from the `uuid` package: its v7 asks WebCrypto for 16 fresh bytes
 * per id, ~7 µs here (a V8 profile of a cached pull put it at 3.3% of the gateway's samples). This
 * takes Node's own v4 (drawn from a pooled buffer of entropy) and puts the millisecond timestamp
 * and version 7 in front, ~1.7 µs: 74 random bits remain (RFC 9562 §5.7 with `rand_a` random),
 * ids of one millisecond in no particular order among themselves.
 */
export function newRequestId(): string {
  const random = crypto.randomUUID(); // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx
  const millis = Date.now().toString(16).padStart(12, '0');
  return `${millis.slice(0, 8)}-${millis.slice(8)}-7${random.slice(15)}`;
}
