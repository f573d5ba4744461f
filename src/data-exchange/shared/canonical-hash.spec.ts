import crypto from 'node:crypto';
import { contentHash } from './canonical-hash.js';

/** The digest as first written (stored digests were made this way); contentHash must equal it. */
function contentHashReference(fields: readonly string[], record: Record<string, unknown>): string {
  const canonical = fields.map((f) => [f, record[f] ?? null]);
  return crypto.createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

describe('contentHash', () => {
  // Digests written by the first implementation (createHash over JSON.stringify): stored rows
  // carry them, so a re-pushed identical item is `unchanged` only while they stay the same.
  it.each([
    [
      ['taskCode', 'leadUnit', 'coordinatingUnits', 'priority', 'completedAt', 'classification', 'attachments'],
      { taskCode: '012_TBKL_NQ57', leadUnit: 'Bộ Tài chính', coordinatingUnits: ['Bộ Tư pháp'], priority: 1, classification: 'UNCLASSIFIED', attachments: [] },
      'a4dc02c7da7c878277ad434589824591667e52a1d571ba5f42f67edd31c4b1ee',
    ],
    [
      ['a', 'b', 'c', 'd'],
      { a: '\u2028 "x" \\ \ud800 😀 \u0000', b: undefined, c: [1.5, null, 'e\u0301'], d: 0 },
      'a2aeb91675467566ee70f2ef70d716a329fc6e658270587dee59a71a7d86194f',
    ],
  ])('keeps the digests already stored (%#)', (fields, record, digest) => {
    expect(contentHash(fields, record)).toBe(digest);
    expect(contentHashReference(fields, record)).toBe(digest);
  });

  it('equals the reference for every kind of value a record holds', () => {
    const values: unknown[] = ['', 'ASCII', 'Đảng ủy Bộ Khoa học và Công nghệ', 'e\u0301', '\ud83d', 0, -1.25, 1e21, NaN, true, null, undefined, [], ['x', 'y'], { nested: 1 }, new Date(0)];
    for (const value of values) {
      const record = { field: value, other: 'x' };
      expect([value, contentHash(['field', 'other', 'absent'], record)]).toEqual([value, contentHashReference(['field', 'other', 'absent'], record)]);
    }
    expect(contentHash([], {})).toBe(contentHashReference([], {}));
  });
});
