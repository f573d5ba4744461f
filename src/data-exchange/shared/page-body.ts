import type { RawDataRow } from '../../shared/database/raw-data-rows.js';

const HEAD = Buffer.from('{"items":[');
const COMMA = 0x2c;

/**
 * A pull's response body, `{"items":[…],"nextCursor":…,"resumeCursor":…}`, written as the page's
 * rows arrive: each record's stored view (a JSON object's text, as UTF-8 bytes) is copied from the
 * connection's receive buffer into the body, once, never decoded (raw-data-rows.ts).
 *
 * Why: a built page (100 records, ~90 KB of Vietnamese text) spent ~20% of the gateway's CPU
 * turning rows into strings and those strings back into the page's bytes (`perf`, bench:pull's
 * history run); before the strings were latin1 "byte strings" they were UTF-8, and that was ~25%.
 * A record's computed fields (record-view.ts, withComputedFields) take the place of its view's
 * closing brace.
 */
export class PageBody {
  private body: Buffer;
  private at = HEAD.length;
  private count = 0;

  /** `sizeHint`: the bytes the page will likely take (the last page's size), to allocate once. */
  constructor(sizeHint: number) {
    // Not from Buffer's shared pool: a small page kept by the page cache would keep a pool slab alive.
    this.body = Buffer.allocUnsafeSlow(Math.max(sizeHint, 1024));
    HEAD.copy(this.body, 0);
  }

  /** Records written so far. */
  get records(): number {
    return this.count;
  }

  /** Appends a record: the row's view column, with its computed-fields column (or NULL) in place of the closing brace. */
  add(row: RawDataRow, view: number, computed: number): void {
    const hasComputed = !row.isNull(computed);
    this.reserve(1 + row.byteLength(view) + (hasComputed ? row.byteLength(computed) : 0));
    if (this.count++ > 0) this.body[this.at++] = COMMA;
    this.at += row.copy(view, this.body, this.at, hasComputed ? 1 : 0);
    if (hasComputed) this.at += row.copy(computed, this.body, this.at);
  }

  /** The body, ended with its cursors (JSON texts: a string, or null). */
  finish(nextCursor: string, resumeCursor: string): Buffer {
    const tail = `],"nextCursor":${nextCursor},"resumeCursor":${resumeCursor}}`;
    this.reserve(Buffer.byteLength(tail));
    this.at += this.body.write(tail, this.at);
    // The page cache counts what a body holds (body.buffer), so a short page is not left in a long allocation.
    if (this.body.length - this.at <= this.at / 8) return this.body.subarray(0, this.at);
    const exact = Buffer.allocUnsafeSlow(this.at);
    this.body.copy(exact, 0, 0, this.at);
    return exact;
  }

  private reserve(bytes: number): void {
    if (this.at + bytes <= this.body.length) return;
    let size = this.body.length * 2;
    while (size < this.at + bytes) size *= 2;
    const grown = Buffer.allocUnsafeSlow(size);
    this.body.copy(grown, 0, 0, this.at);
    this.body = grown;
  }
}
