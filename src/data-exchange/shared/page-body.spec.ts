import { RawDataRow } from '../../shared/database/raw-data-rows.js';
import { PageBody } from './page-body.js';
import { withComputedFields } from './record-view.js';

/** A DataRow's body as PostgreSQL sends it (column count, then each column's length and bytes), behind a few other bytes. */
function dataRowAt(values: Array<string | null>): { bytes: Buffer; offset: number } {
  const parts = [Buffer.from('xyz'), Buffer.from([values.length >> 8, values.length & 0xff])];
  for (const value of values) {
    const length = Buffer.alloc(4);
    length.writeInt32BE(value === null ? -1 : Buffer.byteLength(value));
    parts.push(length, Buffer.from(value ?? ''));
  }
  return { bytes: Buffer.concat(parts), offset: 3 };
}

/** The page as the feed builds it: each record's row read in place, then its bytes overwritten (the receive buffer is reused). */
function build(items: ReadonlyArray<readonly [view: string, computed: string | null]>, sizeHint: number, next = 'null', resume = '"r"'): Buffer {
  const body = new PageBody(sizeHint);
  const row = new RawDataRow();
  for (const [view, computed] of items) {
    const { bytes, offset } = dataRowAt([view, computed]);
    body.add(row.read(bytes, offset), 0, 1);
    bytes.fill(0x21);
  }
  return body.finish(next, resume);
}
const stored = (views: string[]) => views.map((v) => [v, null] as const);

describe('PageBody', () => {
  it('joins the records as the JSON page, byte for byte what JSON.stringify of the same page gives', () => {
    const records = [{ taskCode: 'NV-1', taskName: 'Báo cáo kết quả thực hiện nhiệm vụ' }, { taskCode: 'NV-2', note: 'đã hoàn thành 😀 "trích dẫn"' }];
    const body = build(stored(records.map((r) => JSON.stringify(r))), 4096, '"next"', '"resume"');
    expect(body.toString('utf8')).toBe(JSON.stringify({ items: records, nextCursor: 'next', resumeCursor: 'resume' }));
  });

  it('makes an empty page', () => {
    expect(JSON.parse(build([], 16 * 1024).toString())).toEqual({ items: [], nextCursor: null, resumeCursor: 'r' });
  });

  it('makes a large page (300 records, ~500 KB) from a small size hint: exactly its bytes, none left over, none cut off', () => {
    const big = Array.from({ length: 300 }, (_, n) => JSON.stringify({ n, text: 'Ủy ban nhân dân tỉnh '.repeat(60) }));
    const body = build(stored(big), 1024, 'null', '"a"');
    expect(body.equals(Buffer.from(`{"items":[${big.join(',')}],"nextCursor":null,"resumeCursor":"a"}`))).toBe(true);
  });

  it('gives a page far smaller than its allocation an allocation of its own (the page cache counts allocations)', () => {
    const small = build(stored(['{"n":1}']), 64 * 1024);
    expect(small.toString()).toBe('{"items":[{"n":1}],"nextCursor":null,"resumeCursor":"r"}');
    expect(small.buffer.byteLength).toBe(small.length);
    const views = Array.from({ length: 10 }, (_, n) => JSON.stringify({ n, text: 'Đà Nẵng '.repeat(10) }));
    const fitting = build(stored(views), Buffer.byteLength(`{"items":[${views.join(',')}],"nextCursor":null,"resumeCursor":"r"}`) + 100);
    expect(fitting.buffer.byteLength).toBeLessThanOrEqual(fitting.length * 1.125);
  });

  it('writes computed fields in place of the closing brace of the view, as withComputedFields does', () => {
    const items = [
      ['{"taskCode":"NV-1","taskName":"Nhiệm vụ đã giao"}', ',"deadlineStatus":"OVERDUE","deadlineColor":"RED"}'],
      ['{"taskCode":"NV-2","revoked":true}', null],
      ['{"taskCode":"NV-3","note":"Ủy ban 😀"}', ',"deadlineStatus":"ON_TIME","deadlineColor":"GREEN"}'],
      ['{"taskCode":"NV-4"}', ',"ghiChú":"Đã quá hạn \\"3\\" ngày"}'],
    ] as const;
    const body = build(items, 2048);
    // Exactly the page's bytes: nothing left over at the end, nothing cut off.
    expect(body.toString()).toBe(`{"items":[${items.map(([view, computed]) => withComputedFields(view, computed)).join(',')}],"nextCursor":null,"resumeCursor":"r"}`);
    const page = JSON.parse(body.toString());
    expect(page.items).toEqual(items.map(([view, computed]) => JSON.parse(withComputedFields(view, computed))));
    expect(page.items[0]).toEqual({ taskCode: 'NV-1', taskName: 'Nhiệm vụ đã giao', deadlineStatus: 'OVERDUE', deadlineColor: 'RED' });
    expect(page.items[1]).toEqual({ taskCode: 'NV-2', revoked: true });
  });
});
