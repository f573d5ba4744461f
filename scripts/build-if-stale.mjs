#!/usr/bin/env node
// Runs before `npm run cli` (precli): builds only when dist/ is older than the sources, so that
// an operator command starts in about a second instead of after a 7-14 s rebuild.
//
// The build is current when dist/.build-complete (written here after a build that succeeded) is
// newer than every file and folder under src/ (a folder's time changes when an entry is added,
// removed or renamed, which catches deleted sources) and than tsconfig.json, nest-cli.json and
// package.json. `nest build` empties dist/ first, so a failed build leaves no marker and the next
// run builds again. Unit tests (*.spec.ts) are not part of the build and are ignored.
//
// Usage: node scripts/build-if-stale.mjs [--root DIR] [--build "COMMAND"]   (defaults: . and "npm run build")
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const root = path.resolve(option('--root', '.'));
const buildCommand = option('--build', 'npm run build');
const marker = path.join(root, 'dist', '.build-complete');

function newestSourceTime() {
  let newest = 0;
  const consider = (file) => {
    try {
      newest = Math.max(newest, fs.statSync(file).mtimeMs);
    } catch {
      // a config file the project does not have
    }
  };
  const walk = (dir) => {
    consider(dir);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!entry.name.endsWith('.spec.ts')) consider(full);
    }
  };
  walk(path.join(root, 'src'));
  for (const file of ['tsconfig.json', 'nest-cli.json', 'package.json', 'scripts/cli-bundle.config.mjs']) consider(path.join(root, file));
  return newest;
}

function builtAt() {
  try {
    return fs.statSync(marker).mtimeMs;
  } catch {
    return -1;
  }
}

if (builtAt() > newestSourceTime()) process.exit(0);
process.stderr.write('build-if-stale: sources changed since the last build; building\n');
// The marker carries the time the build started: a source saved during the build is newer, and
// the next run builds again.
const started = new Date();
const result = spawnSync(buildCommand, { cwd: root, shell: true, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
fs.mkdirSync(path.dirname(marker), { recursive: true });
fs.writeFileSync(marker, `${started.toISOString()}\n`);
fs.utimesSync(marker, started, started);
