import fs from 'node:fs';
import path from 'node:path';
import { ACTION_LABELS_VI } from '../shared/i18n/actions.vi.js';
import { PERMISSIONS } from './permissions.js';

/** The public routes' actions, as their @Audited declarations name them. */
function publicActions(): string[] {
  const dir = path.resolve(import.meta.dirname, '..');
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
  return [...new Set(files.flatMap((f) => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/action: '(auth\.\w+)'/g)].map((m) => m[1])))];
}

/** The auditor reads and searches the log by these words (the console's audit screen). */
describe('control-plane actions in words', () => {
  it('has Vietnamese words for every action the audit log records, and none for an action that is gone', () => {
    const actions = [...Object.keys(PERMISSIONS), ...publicActions()];
    expect(publicActions()).toContain('auth.signIn');
    expect(actions.filter((action) => !ACTION_LABELS_VI[action])).toEqual([]);
    expect(Object.keys(ACTION_LABELS_VI).filter((action) => !actions.includes(action))).toEqual([]);
  });
});
