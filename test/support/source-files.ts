import fs from 'node:fs';
import path from 'node:path';

/** The repository's src/ folder, for specs that read the code as text (vocabulary coverage). */
export const SRC = path.resolve(import.meta.dirname, '../../src');

/** The TypeScript sources below `dir` (specs and migrations left out): what a vocabulary must cover. */
export function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'migrations' ? [] : sourceFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [full] : [];
  });
}
