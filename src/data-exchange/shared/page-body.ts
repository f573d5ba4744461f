import type { ByteString } from '../../shared/database/byte-string-rows.js';

/**
 * Assembles a pull's response body, `{"items":[…],"nextCursor":…,"resumeCursor":…}`, as bytes from
 * the records' JSON texts, one short string per record as PostgreSQL sent them, and as it sent
 * them: UTF-8 bytes held as byte strings, copied into the page undecoded (byte-string-rows.ts).
 *
 * Why not one string for the page (as string_agg gave it) and `Buffer.from` of it: measured when
 * rows were still decoded (bench/pull.ts, a VM where a page fault is dear), a page of ~100 KB of
 * Vietnamese text as one string landed in V8's large-object space, fresh memory for every page,
 * and cost ~1.2 ms against ~0.3 ms as a hundred short strings. So each record's text is copied
 * into one scratch buffer, reused by every page, and the page's bytes are copied out of it once.
 */
let scratch = Buffer.allocUnsafeSlow(256 * 1024);

/**
 * `items`: each record's stored view (a JSON object's text) and the text of its computed fields,
 * which takes the place of the view's closing brace (record-view.ts, withComputedFields), or null.
 */
export function pageBody(items: ReadonlyArray<readonly [view: ByteString, computed: ByteString | null]>, nextCursor: string, resumeCursor: string): Buffer {
  const head = '{"items":[';
  const tail = `],"nextCursor":${nextCursor},"resumeCursor":${resumeCursor}}`;
  // A byte string is one character per byte; the tail (cursors) is text: UTF-8 takes at most 3 bytes per UTF-16 code unit.
  let bound = head.length + tail.length * 3 + items.length;
  for (const [view, computed] of items) bound += view.length + (computed?.length ?? 0);
  if (bound > scratch.length) scratch = Buffer.allocUnsafeSlow(Math.max(bound, scratch.length * 2));
  let at = scratch.write(head, 0, 'latin1');
  for (let n = 0; n < items.length; n++) {
    if (n > 0) scratch[at++] = 0x2c; // ','
    const [view, computed] = items[n];
    at += scratch.write(view, at, 'latin1');
    // The view ends with '}', one byte: the computed fields are written over it.
    if (computed !== null) at += scratch.write(computed, at - 1, 'latin1') - 1;
  }
  at += scratch.write(tail, at);
  // Copied out: the body outlives this call (sent, and maybe kept by the page cache).
  return Buffer.from(scratch.subarray(0, at));
}
