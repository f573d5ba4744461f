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
import os from 'node:os';
import path from 'node:path';

/** Null when perf can record system-wide here, else why not (not installed, or not permitted). */
export function perfUnavailable(): string | null {
  const probe = path.join(os.tmpdir(), `bench-perf-probe-${process.pid}.data`);
  try {
    execFileSync('perf', ['record', '-a', '-o', probe, '--', 'true'], { stdio: ['ignore', 'ignore', 'pipe'] });
    return null;
  } catch (error) {
    const { code, stderr } = error as { code?: string; stderr?: Buffer };
    if (code === 'ENOENT') return 'perf is not installed (Debian: apt-get install -y linux-perf)';
    // Typically kernel.perf_event_paranoid above 0 without CAP_PERFMON.
    return `perf cannot record system-wide: ${stderr?.toString().trim().split('\n')[0] ?? (error as Error).message}`;
  } finally {
    fs.rmSync(probe, { force: true });
  }
}

export interface PerfRecording {
  file: string;
  /** Ends the recording (perf writes its file on SIGINT); at most 30 s, then perf is killed. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A bench that ends early (an error, the watchdog's exit) leaves no system-wide recording behind.
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

export function startPerf(dir: string, tag: string): PerfRecording {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.resolve(dir, `${tag}.perf.data`);
  const child: ChildProcess = spawn('perf', ['record', '-F', '999', '-a', '-g', '-o', file], { stdio: 'ignore' });
  running.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => (running.delete(child), resolve()));
    child.once('error', () => (running.delete(child), resolve()));
  });
  return {
    file,
    stop: async () => {
      child.kill('SIGINT');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(() => (child.kill('SIGKILL'), resolve()), 30_000)));
      await Promise.race([exited, late]);
      clearTimeout(timer);
    },
  };
}

/** The `limit` symbols with the most samples (self) among `pids`, in % of those processes' samples. */
export function perfTop(file: string, pids: number[], limit = 20): string {
  if (pids.length === 0) return '  (no processes)';
  try {
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
  } catch (error) {
    return `  (perf report failed: ${(error as Error).message.split('\n')[0]})`;
  }
}
