import { newRequestId } from './request-id.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const millisOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('newRequestId', () => {
  it('makes RFC 9562 version-7 UUIDs, unique, never sorting before an earlier millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => newRequestId());
    for (const id of ids) expect(id).toMatch(V7);
    expect(new Set(ids).size).toBe(ids.length);
    // What keeps audit_entries.request_id's index growing at its right edge (request-id.ts).
    ids.slice(1).forEach((id, i) => expect(millisOf(id)).toBeGreaterThanOrEqual(millisOf(ids[i])));
  });

  it('sorts an id of a later millisecond after every earlier one, as text and as PostgreSQL orders uuids', () => {
    const first = newRequestId();
    const start = Date.now();
    while (Date.now() === start); // the next millisecond
    const next = newRequestId();
    expect(millisOf(next)).toBeGreaterThan(millisOf(first));
    expect(next > first).toBe(true);
  });

  it('leads with the millisecond it was made', () => {
    const before = Date.now();
    const id = newRequestId();
    const after = Date.now();
    expect(millisOf(id)).toBeGreaterThanOrEqual(before);
    expect(millisOf(id)).toBeLessThanOrEqual(after);
  });

  it('keeps 74 random bits: ids of one millisecond differ past the timestamp', () => {
    const ids = Array.from({ length: 200 }, () => newRequestId());
    const byMillisecond = new Map<number, string[]>();
    for (const id of ids) byMillisecond.set(millisOf(id), [...(byMillisecond.get(millisOf(id)) ?? []), id]);
    const sameMillisecond = [...byMillisecond.values()].sort((a, b) => b.length - a.length)[0];
    expect(sameMillisecond.length).toBeGreaterThan(1); // 200 ids take about a millisecond or two
    expect(new Set(sameMillisecond.map((id) => id.slice(15))).size).toBe(sameMillisecond.length);
  });
});
