import { type ByteString, toByteString } from '../../shared/database/byte-string-rows.js';
import { pageBody } from './page-body.js';
import { withComputedFields } from './record-view.js';

// Rows as the page's statement hands them over: the texts' UTF-8 bytes (byte-string-rows.ts).
const asRows = (items: ReadonlyArray<readonly [string, string | null]>) =>
  items.map(([view, computed]) => [toByteString(view), computed === null ? null : toByteString(computed)] as [ByteString, ByteString | null]);
const stored = (views: string[]) => asRows(views.map((v) => [v, null] as const));

describe('pageBody', () => {
  it('joins the records as the JSON page, byte for byte what JSON.stringify of the same page gives', () => {
    const records = [{ taskCode: 'NV-1', taskName: 'Báo cáo kết quả thực hiện nhiệm vụ' }, { taskCode: 'NV-2', note: 'đã hoàn thành 😀 "trích dẫn"' }];
    const body = pageBody(stored(records.map((r) => JSON.stringify(r))), '"next"', '"resume"');
    expect(body.toString('utf8')).toBe(JSON.stringify({ items: records, nextCursor: 'next', resumeCursor: 'resume' }));
  });

  it('makes an empty page', () => {
    expect(JSON.parse(pageBody([], 'null', '"r"').toString())).toEqual({ items: [], nextCursor: null, resumeCursor: 'r' });
  });

  it('makes a large page (300 records, ~500 KB) of exactly its bytes, none left over, none cut off', () => {
    const big = Array.from({ length: 300 }, (_, n) => JSON.stringify({ n, text: 'Ủy ban nhân dân tỉnh '.repeat(60) }));
    const body = pageBody(stored(big), 'null', '"a"');
    expect(body.equals(Buffer.from(`{"items":[${big.join(',')}],"nextCursor":null,"resumeCursor":"a"}`))).toBe(true);
  });

  it('writes computed fields in place of the closing brace of the view, as withComputedFields does', () => {
    const items = [
      ['{"taskCode":"NV-1","taskName":"Nhiệm vụ đã giao"}', ',"deadlineStatus":"OVERDUE","deadlineColor":"RED"}'],
      ['{"taskCode":"NV-2","revoked":true}', null],
      ['{"taskCode":"NV-3","note":"Ủy ban 😀"}', ',"deadlineStatus":"ON_TIME","deadlineColor":"GREEN"}'],
      ['{"taskCode":"NV-4"}', ',"ghiChú":"Đã quá hạn \\"3\\" ngày"}'],
    ] as const;
    const body = pageBody(asRows(items), 'null', '"r"');
    // Exactly the page's bytes: nothing left over at the end, nothing cut off.
    expect(body.toString()).toBe(`{"items":[${items.map(([view, computed]) => withComputedFields(view, computed)).join(',')}],"nextCursor":null,"resumeCursor":"r"}`);
    const page = JSON.parse(body.toString());
    expect(page.items).toEqual(items.map(([view, computed]) => JSON.parse(withComputedFields(view, computed))));
    expect(page.items[0]).toEqual({ taskCode: 'NV-1', taskName: 'Nhiệm vụ đã giao', deadlineStatus: 'OVERDUE', deadlineColor: 'RED' });
    expect(page.items[1]).toEqual({ taskCode: 'NV-2', revoked: true });
  });
});
