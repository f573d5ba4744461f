import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * The console's typed client (console/src/api/schema.d.ts) is generated from the committed
 * control-plane document by `npm run console:client`; when the document changes without the client
 * being regenerated, this fails (and the console's type check fails where a call no longer fits).
 */
describe('console client', () => {
  it('is what openapi-typescript generates from openapi/control-plane.openapi.json', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'console-client-')), 'schema.d.ts');
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/openapi-typescript/bin/cli.js'), path.join(ROOT, 'openapi/control-plane.openapi.json'), '-o', out], { stdio: 'pipe' });
    const committed = fs.readFileSync(path.join(ROOT, 'console/src/api/schema.d.ts'), 'utf8');
    expect(committed === fs.readFileSync(out, 'utf8') ? 'up to date' : 'console/src/api/schema.d.ts is stale: run npm run console:client').toBe('up to date');
  });
});
