import { pageBody } from './page-body.js';

describe('pageBody', () => {
  it('joins the records as the JSON page, byte for byte what JSON.stringify of the same page gives', () => {
    const records = [{ taskCode: 'NV-1', taskName: 'Báo cáo kết quả thực hiện nhiệm vụ' }, { taskCode: 'NV-2', note: 'đã hoàn thành 😀 "trích dẫn"' }];
    const body = pageBody(records.map((r) => JSON.stringify(r)), '"next"', '"resume"');
    expect(body.toString('utf8')).toBe(JSON.stringify({ items: records, nextCursor: 'next', resumeCursor: 'resume' }));
  });

  it('makes an empty page', () => {
    expect(JSON.parse(pageBody([], 'null', '"r"').toString())).toEqual({ items: [], nextCursor: null, resumeCursor: 'r' });
  });

  it('grows past its scratch buffer, and a body stays intact after later pages reuse the buffer', () => {
    const big = Array.from({ length: 300 }, (_, n) => JSON.stringify({ n, text: 'Ủy ban nhân dân tỉnh '.repeat(60) }));
    const first = pageBody(big, 'null', '"a"');
    const copy = Buffer.from(first);
    pageBody(['{"other":true}'], 'null', '"b"');
    expect(first.equals(copy)).toBe(true);
    expect(JSON.parse(first.toString()).items).toHaveLength(300);
    expect(first.length).toBe(Buffer.byteLength(`{"items":[${big.join(',')}],"nextCursor":null,"resumeCursor":"a"}`));
  });
});
