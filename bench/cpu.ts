import fs from 'node:fs';
import os from 'node:os';

/**
 * Where the machine's CPU went during a phase, from /proc (Linux; elsewhere the figures are
 * absent). On a small shared machine this tells a slow figure caused by the server apart from one
 * caused by a neighbour: the load generator, PostgreSQL and everything else are shown apart.
 */
export interface CpuSnapshot {
  at: number;
  /** Busy ticks of the whole machine (all cores), from /proc/stat. */
  busy: number;
  byPid: Map<number, { comm: string; ticks: number }>;
}

export interface CpuShares {
  /** Percent of one core, averaged over the phase (a 2-core machine has 200%). */
  server: number;
  loadGenerator: number;
  postgres: number;
  other: number;
  cores: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function cpuSnapshot(): CpuSnapshot | null {
  if (process.platform !== 'linux') return null;
  const byPid = new Map<number, { comm: string; ticks: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
      byPid.set(Number(entry), { comm, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended meanwhile
    }
  }
  const cpuLine = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait.
  const busy = cpuLine.reduce((a, b) => a + b, 0) - cpuLine[3] - (cpuLine[4] ?? 0);
  return { at: performance.now(), busy, byPid };
}

export function cpuShares(before: CpuSnapshot | null, after: CpuSnapshot | null, serverPid: number, loadPid: number): CpuShares | null {
  if (!before || !after) return null;
  const seconds = (after.at - before.at) / 1000;
  const shares = { server: 0, loadGenerator: 0, postgres: 0, other: 0, cores: os.cpus().length };
  for (const [pid, { comm, ticks }] of after.byPid) {
    const used = ticks - (before.byPid.get(pid)?.ticks ?? 0);
    if (used <= 0) continue;
    const percent = (used / TICKS_PER_SECOND / seconds) * 100;
    if (pid === serverPid) shares.server += percent;
    else if (pid === loadPid) shares.loadGenerator += percent;
    else if (comm === 'postgres') shares.postgres += percent;
  }
  // Everything else, including processes that came and went during the phase.
  const machine = ((after.busy - before.busy) / TICKS_PER_SECOND / seconds) * 100;
  shares.other = Math.max(0, machine - shares.server - shares.loadGenerator - shares.postgres);
  return shares;
}
