import { ComputedFields, computedFieldsSql } from './record-view.js';

const CASES = Object.freeze({ A: Object.freeze({ signal: 'A' }), B: Object.freeze({ signal: 'B' }) });

describe('ComputedFields.of', () => {
  it('gives one entry per SQL expression and set of cases, with the SQL computedFieldsSql writes', () => {
    const fields = new ComputedFields();
    const first = fields.of({ by: 'x > $1', cases: CASES });
    expect(first.sql).toBe(computedFieldsSql({ by: 'x > $1', cases: CASES }));
    // A new choice object of the same expression and cases (as every pull builds one): the same entry.
    expect(fields.of({ by: 'x > $1', cases: CASES })).toBe(first);
    // Another parameter position: another SQL text, another id (a cached page's key holds the id).
    const moved = fields.of({ by: 'x > $2', cases: CASES });
    expect(moved.sql).toContain('x > $2');
    expect(moved.id).not.toBe(first.id);
    // Other cases with the same expression: other texts.
    const other = fields.of({ by: 'x > $1', cases: Object.freeze({ A: Object.freeze({ signal: 'Z' }) }) });
    expect(other.id).not.toBe(first.id);
    expect(other.sql).toContain('"signal":"Z"');
    expect(fields.of(undefined)).toEqual({ id: expect.any(Number), sql: 'NULL::text' });
  });

  it('refuses cases that could change after their text was kept', () => {
    expect(() => new ComputedFields().of({ by: 'x', cases: { A: { signal: 'A' } } })).toThrow(/frozen/);
    expect(() => new ComputedFields().of({ by: 'x', cases: Object.freeze({ A: { signal: 'A' } }) })).toThrow(/frozen/);
  });
});
