import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCRIPT = path.resolve(import.meta.dirname, '../scripts/build-if-stale.mjs');

/**
 * `npm run cli` runs scripts/build-if-stale.mjs first (precli): a build only when a source is
 * newer than the last successful build. Driven on a scratch project whose "build" counts its runs.
 */
describe('precli: build only when the sources changed', () => {
  let root: string;
  const builds = () => (fs.existsSync(path.join(root, 'builds.log')) ? fs.readFileSync(path.join(root, 'builds.log'), 'utf8').trim().split('\n').length : 0);
  const run = (buildFails = false) => {
    // The "build" empties dist/ as `nest build` does, then counts itself (and fails if asked to).
    const build = `node -e "const fs=require('fs');fs.rmSync('dist',{recursive:true,force:true});fs.mkdirSync('dist');fs.appendFileSync('builds.log','b\\n');process.exit(${buildFails ? 3 : 0})"`;
    return spawnSync(process.execPath, [SCRIPT, '--root', root, '--build', build], { encoding: 'utf8' });
  };
  /** Moves a file's (or folder's) time into the future, as an edit after the last build would. */
  const touchLater = (file: string) => {
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(file, later, later);
  };

  /** Every source back to long before the last build (the future times above were only for one run). */
  const settle = () => {
    const walk = (p: string) => {
      if (fs.statSync(p).isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
      fs.utimesSync(p, new Date(0), new Date(0));
    };
    walk(path.join(root, 'src'));
    fs.utimesSync(path.join(root, 'tsconfig.json'), new Date(0), new Date(0));
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'precli-'));
    fs.mkdirSync(path.join(root, 'src', 'cli'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src', 'cli.ts'), 'export {};\n');
    fs.writeFileSync(path.join(root, 'src', 'cli', 'commands.ts'), 'export {};\n');
    fs.writeFileSync(path.join(root, 'tsconfig.json'), '{}\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('builds the first time, then not again while nothing changed', () => {
    expect(run().status).toBe(0);
    expect(builds()).toBe(1);
    expect(fs.existsSync(path.join(root, 'dist', '.build-complete'))).toBe(true);
    const again = run();
    expect(again.status).toBe(0);
    expect(again.stderr).toBe('');
    expect(builds()).toBe(1);
  });

  it('builds again after a source, a new file, a deleted file or tsconfig.json changed; not for a unit test', () => {
    run();
    touchLater(path.join(root, 'src', 'cli', 'commands.ts'));
    run();
    expect(builds()).toBe(2);
    settle();

    fs.writeFileSync(path.join(root, 'src', 'cli', 'commands.spec.ts'), 'test\n');
    settle(); // adding the file changed its folder's time too
    touchLater(path.join(root, 'src', 'cli', 'commands.spec.ts'));
    run();
    expect(builds()).toBe(2);

    fs.rmSync(path.join(root, 'src', 'cli', 'commands.ts'));
    touchLater(path.join(root, 'src', 'cli')); // what removing an entry does to its folder
    run();
    expect(builds()).toBe(3);
    settle();

    touchLater(path.join(root, 'tsconfig.json'));
    run();
    expect(builds()).toBe(4);
  });

  it('a failed build fails the command and leaves no marker, so the next run builds again', () => {
    const failed = run(true);
    expect(failed.status).toBe(3);
    expect(fs.existsSync(path.join(root, 'dist', '.build-complete'))).toBe(false);
    expect(run().status).toBe(0);
    expect(builds()).toBe(2);
    run();
    expect(builds()).toBe(2);
  });
});
