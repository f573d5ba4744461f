import { nestedDeeperThan } from './json-body.js';

const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const check = (json: string, limit = 3) => nestedDeeperThan(Buffer.from(json), limit);

describe('nestedDeeperThan', () => {
  it('counts objects and arrays alike, up to and past the limit', () => {
    expect(check(deep(3))).toBe(false);
    expect(check(deep(4))).toBe(true);
    expect(check('{"a":[{"b":1}]}')).toBe(false);
    expect(check('{"a":[{"b":[1]}]}')).toBe(true);
    // Depth, not count: many siblings at one level are fine.
    expect(check(`[${'[],'.repeat(1000)}[]]`)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(check('["[[[[[[", "{{{{{{"]')).toBe(false);
    expect(check('["a\\"[[[[[[", 1]')).toBe(false);
    expect(check('["a\\\\", [[[1]]]]')).toBe(true);
    expect(check('["Hướng dẫn về thẻ <script> [[[[ và iframe"]')).toBe(false);
  });

  it('leaves malformed JSON to the parser', () => {
    expect(check('["never closed')).toBe(false);
    expect(check(']]]]')).toBe(false);
  });
});
