import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import lockfile from 'proper-lockfile';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/**
 * The builds tests run from (dist/ for a child gateway or the CLI, console/dist for the browser)
 * are shared by every Jest worker: one worker builds while the others wait, so none starts a
 * gateway from a dist/ that `nest build` is emptying. proper-lockfile keeps the lock fresh while
 * the build runs (the build runs asynchronously, so its timer can) and frees a dead worker's.
 */
async function withBuildLock<T>(build: () => Promise<T>): Promise<T> {
  const release = await lockfile.lock(ROOT, {
    lockfilePath: path.join(ROOT, '.build.lock'),
    retries: { retries: 1_000, minTimeout: 100, maxTimeout: 500 },
  });
  try {
    return await build();
  } finally {
    await release();
  }
}

/**
 * Jest sets NODE_ENV=test, which would build React and Ant Design in development mode (a quarter
 * more JavaScript, dev-only class names): the tests run what production serves. NODE_OPTIONS
 * carries Jest's --experimental-vm-modules, which the build does not want.
 */
const BUILD_ENV = { ...process.env, NODE_ENV: 'production', NODE_OPTIONS: '' };

/**
 * `npm run build:server` (dist/main.js, dist/cli.bundle.mjs) unless dist/ is newer than the
 * sources: scripts/build-if-stale.mjs decides, as it does before `npm run cli`. The console is
 * ensureConsoleBuilt's: `npm run build` would build it a second time.
 */
export function ensureGatewayBuilt(): Promise<void> {
  return withBuildLock(async () => {
    await run(process.execPath, ['scripts/build-if-stale.mjs', '--build', 'npm run -s build:server'], { cwd: ROOT, env: BUILD_ENV, timeout: 300_000, maxBuffer: 16 << 20 });
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the console (npm run console:build) unless console/dist is newer than its sources. */
export function ensureConsoleBuilt(): Promise<void> {
  return withBuildLock(async () => {
    const index = path.join(ROOT, 'console/dist/index.html');
    const sources = Math.max(newestMtime(path.join(ROOT, 'console/src')), fs.statSync(path.join(ROOT, 'console/index.html')).mtimeMs);
    if (fs.existsSync(index) && fs.statSync(index).mtimeMs > sources) return;
    await run('npm', ['run', 'console:build'], { cwd: ROOT, env: BUILD_ENV, timeout: 300_000, maxBuffer: 16 << 20 });
  });
}
