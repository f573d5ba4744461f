import { newRequestId } from './request-id.js';

describe('newRequestId', () => {
  it('makes RFC 9562 version-7 UUIDs, each later one sorting after the one before', () => {
    const ids = Array.from({ length: 5000 }, () => newRequestId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Time-ordered even within one millisecond: what keeps audit_entries.request_id's index
    // growing at its right edge (request-id.ts says why).
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('leads with the millisecond it was made', () => {
    const before = Date.now();
    const id = newRequestId();
    const after = Date.now();
    const millis = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(millis).toBeGreaterThanOrEqual(before);
    expect(millis).toBeLessThanOrEqual(after);
  });
});
