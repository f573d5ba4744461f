/**
 * A throwaway PostgreSQL cluster for the pull bench, sized as a production server would be for the
 * data it holds (`shared_buffers`, BENCH_PG_SHARED_BUFFERS, 1GB): the machine's shared cluster keeps
 * PostgreSQL's default 128MB, and 100,000 records with their stored views (~156MB) do not fit in it,
 * so a consumer syncing them measured the VM's reads from the OS page cache (~45 µs per 8KB block
 * here) rather than the gateway. Listens on loopback and a free port; removed when the bench ends.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

export interface OwnPostgres {
  url: string;
  stop: () => Promise<void>;
}

/** The newest installed PostgreSQL's bin folder, or null. */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin/initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : null;
}

export async function startOwnPostgres(bin: string, port: number, database: string, sharedBuffers: string, statements = false): Promise<OwnPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-bench-pg-'));
  // PostgreSQL refuses to run as root; as root, its files and process belong to `postgres`.
  const asPostgres = process.getuid?.() === 0;
  if (asPostgres) execFileSync('chown', ['postgres', dir]);
  const run = (command: string, args: string[]) => (asPostgres ? ['runuser', ['-u', 'postgres', '--', command, ...args]] as const : [command, args] as const);
  const [initdb, initArgs] = run(path.join(bin, 'initdb'), ['-D', path.join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale', 'C.UTF-8']);
  execFileSync(initdb, initArgs, { stdio: 'ignore' });
  const settings = ['-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', `shared_buffers=${sharedBuffers}`, '-c', 'max_connections=100'];
  if (process.env.BENCH_PG_SETTINGS) settings.push(...process.env.BENCH_PG_SETTINGS.split(' ').flatMap((s) => ['-c', s]));
  if (statements) settings.push('-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all');
  const [postgres, args] = run(path.join(bin, 'postgres'), ['-D', path.join(dir, 'data'), ...settings]);
  const child: ChildProcess = spawn(postgres, args, { stdio: 'ignore' });
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: admin });
    try {
      await client.connect();
      await client.query(`CREATE DATABASE "${database}"`);
      if (statements) {
        const db = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/${database}` });
        await db.connect();
        await db.query('CREATE EXTENSION pg_stat_statements').finally(() => db.end());
      }
      break;
    } catch (error) {
      if (attempt >= 100 || child.exitCode !== null) throw new Error(`own PostgreSQL did not start: ${(error as Error).message}`);
      await sleep(100);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/${database}`,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        const [pgCtl, stopArgs] = run(path.join(bin, 'pg_ctl'), ['stop', '-D', path.join(dir, 'data'), '-m', 'immediate']);
        try {
          execFileSync(pgCtl, stopArgs, { stdio: 'ignore' });
        } catch {
          child.kill('SIGKILL');
        }
        await Promise.race([exited, sleep(10_000)]);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
