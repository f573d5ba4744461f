import type { ByteString } from '../../shared/database/byte-string-rows.js';

/**
 * Assembles a pull's response body, `{"items":[…],"nextCursor":…,"resumeCursor":…}`, as bytes from
 * the records' JSON texts, one short string per record as PostgreSQL sent them, and as it sent
 * them: UTF-8 bytes held as byte strings, copied into the page undecoded (byte-string-rows.ts).
 *
 * Why one string per record, not one for the page (as string_agg gave it): measured when rows were
 * still decoded (bench/pull.ts, a VM where a page fault is dear), a page of ~100 KB of Vietnamese
 * text as one string landed in V8's large-object space, fresh memory for every page, and cost
 * ~1.2 ms against ~0.3 ms as a hundred short strings. As byte strings the page's length is known
 * before it is written: each record is copied once, into the body.
 *
 * `items`: each record's stored view (a JSON object's text) and the text of its computed fields,
 * which takes the place of the view's closing brace (record-view.ts, withComputedFields), or null.
 */
export function pageBody(items: ReadonlyArray<readonly [view: ByteString, computed: ByteString | null]>, nextCursor: string, resumeCursor: string): Buffer {
  const head = '{"items":[';
  const tail = `],"nextCursor":${nextCursor},"resumeCursor":${resumeCursor}}`;
  // A byte string is one character per byte; computed fields replace the view's closing brace.
  let length = head.length + Buffer.byteLength(tail) + Math.max(items.length - 1, 0);
  for (const [view, computed] of items) length += view.length + (computed === null ? 0 : computed.length - 1);
  // Not from Buffer's shared pool: a small page kept by the page cache would keep a pool slab alive.
  const body = Buffer.allocUnsafeSlow(length);
  let at = body.write(head, 0, 'latin1');
  for (let n = 0; n < items.length; n++) {
    if (n > 0) body[at++] = 0x2c; // ','
    const [view, computed] = items[n];
    at += body.write(view, at, 'latin1');
    // The view ends with '}', one byte: the computed fields are written over it.
    if (computed !== null) at += body.write(computed, at - 1, 'latin1') - 1;
  }
  body.write(tail, at);
  return body;
}
