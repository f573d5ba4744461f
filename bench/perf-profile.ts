/**
 * `BENCH_PERF=<folder>`: Linux `perf` over each gateway run's measured window, sampling on CPU
 * time, system-wide, with call graphs; the run's log gets the top symbols of the server's processes
 * and of its PostgreSQL backends, and the recording stays in the folder for `perf report`.
 *
 * Why beside `BENCH_CPU_PROF` (V8's profiler): V8 samples the main thread on a wall-clock timer,
 * whether it runs or waits for a core. On this 2-core machine a write to PostgreSQL's socket wakes
 * a backend that then takes the core, and the gateway's thread, preempted inside writev, keeps
 * collecting samples: a V8 profile of a built page put 22% of the gateway in writev to PostgreSQL,
 * where perf, counting CPU time, found a few percent. perf's figures are what the CPU did.
 * The gateway runs with --perf-basic-prof then, so that its JavaScript frames have names.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export function perfAvailable(): boolean {
  try {
    execFileSync('perf', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface PerfRecording {
  file: string;
  /** Ends the recording (perf writes its file on SIGINT). */
  stop(): Promise<void>;
}

export function startPerf(dir: string, tag: string): PerfRecording {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.resolve(dir, `${tag}.perf.data`);
  const child: ChildProcess = spawn('perf', ['record', '-F', '999', '-a', '-g', '-o', file], { stdio: 'ignore' });
  return {
    file,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await Promise.race([exited, sleep(30_000).then(() => child.kill('SIGKILL'))]);
    },
  };
}

/** The `limit` symbols with the most samples (self) among `pids`, in % of those processes' samples. */
export function perfTop(file: string, pids: number[], limit = 20): string {
  if (pids.length === 0) return '  (no processes)';
  const report = execFileSync(
    'perf',
    ['report', '-i', file, '--pid', pids.join(','), '--no-children', '--percentage', 'relative', '--sort', 'dso,sym', '--stdio', '-g', 'none', '--percent-limit', '0.3'],
    { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const lines = report.split('\n').filter((line) => /^\s+\d+\.\d+%/.test(line));
  return lines
    .slice(0, limit)
    .map((line) => `  ${line.trim().replace(/\s{2,}/g, '  ')}`)
    .join('\n');
}
