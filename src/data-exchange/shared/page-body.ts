/**
 * Assembles a pull's response body, `{"items":[…],"nextCursor":…,"resumeCursor":…}`, as bytes from
 * the records' JSON texts, one short string per record as PostgreSQL sent them.
 *
 * Why not one string for the page (as string_agg gave it) and `Buffer.from` of it: a page of
 * ~100 KB of Vietnamese text decodes to a two-byte string of ~170 KB, which V8 places in its
 * large-object space, mapping fresh memory for every page; measured here (bench/pull.ts, a VM
 * where a page fault is dear) that decode cost ~1.2 ms a page, and `Buffer.from` of the joined
 * body ~0.3 ms more, against ~0.3 ms for decoding the same bytes as a hundred short strings. So
 * each record's text is encoded into one scratch buffer, reused by every page, and the page's
 * bytes are copied out of it once.
 */
let scratch = Buffer.allocUnsafeSlow(256 * 1024);

/**
 * `items`: each record's stored view (a JSON object's text) and the text of its computed fields,
 * which takes the place of the view's closing brace (record-view.ts, withComputedFields), or null.
 */
export function pageBody(items: ReadonlyArray<readonly [view: string, computed: string | null]>, nextCursor: string, resumeCursor: string): Buffer {
  const head = '{"items":[';
  const tail = `],"nextCursor":${nextCursor},"resumeCursor":${resumeCursor}}`;
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  let bound = head.length + tail.length * 3 + items.length;
  for (const [view, computed] of items) bound += (view.length + (computed?.length ?? 0)) * 3;
  if (bound > scratch.length) scratch = Buffer.allocUnsafeSlow(Math.max(bound, scratch.length * 2));
  let at = scratch.write(head, 0, 'latin1');
  for (let n = 0; n < items.length; n++) {
    if (n > 0) scratch[at++] = 0x2c; // ','
    const [view, computed] = items[n];
    at += scratch.write(view, at);
    // The view ends with '}', one byte: the computed fields are written over it.
    if (computed !== null) at += scratch.write(computed, at - 1) - 1;
  }
  at += scratch.write(tail, at);
  // Copied out: the body outlives this call (sent, and maybe kept by the page cache).
  return Buffer.from(scratch.subarray(0, at));
}
