import fs from 'node:fs';
import path from 'node:path';
import { SRC, sourceFiles } from '../../test/support/source-files.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * A connection's history shows each step in words (console/src/shared/history-labels.ts); a step
 * the server starts recording without a word there would show its code to a Vietnamese reader.
 */
describe('console vocabulary', () => {
  it('names every step a connection history records', () => {
    const labels = fs.readFileSync(path.join(ROOT, 'console/src/shared/history-labels.ts'), 'utf8');
    const named = new Set([...labels.matchAll(/^ {2}'?([A-Za-z:]+)'?: '/gm)].map((m) => m[1]));
    const recorded = new Set<string>();
    for (const file of sourceFiles(SRC)) {
      const text = fs.readFileSync(file, 'utf8');
      // The history's name is lifecycle.run's fourth argument, applyTransition's eventName, recordEvent's third.
      for (const m of text.matchAll(/lifecycle\.run\((?:[^,]+,){3}([^,]+(?:\?[^,]+)?),/g)) {
        for (const literal of m[1].matchAll(/'([A-Za-z]+)'/g)) recorded.add(literal[1]);
        for (const template of m[1].matchAll(/`([A-Za-z]+):\$\{side\}`/g)) ['unit', 'dtd'].forEach((side) => recorded.add(`${template[1]}:${side}`));
      }
      for (const m of text.matchAll(/eventName: '([A-Za-z]+)'/g)) recorded.add(m[1]);
      for (const m of text.matchAll(/recordEvent\(manager, \w+, '([A-Za-z]+)'/g)) recorded.add(m[1]);
    }
    expect(recorded.size).toBeGreaterThan(20);
    expect([...recorded].filter((step) => !named.has(step)).sort()).toEqual([]);
  });
});
