import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';

/**
 * Quota counters: a fixed window per key that starts with its first call; a key over its limit
 * is refused until its window ends. Records have the shape of @nestjs/throttler's storage records.
 *
 * Why not @nestjs/throttler's ThrottlerStorageService and @nest-lab/throttler-storage-redis: both
 * are CommonJS packages that require() @nestjs/common, which Nest 12 ships as ES modules only.
 * Node ≥ 20.19 loads that (require(esm)), but Jest's ESM mode cannot before Node 24.9, so the
 * whole data plane would fail to load under `npm test`. And their interface counts one window per
 * round trip, where every data-plane call here is counted in two.
 */
export const QUOTA_STORAGE = Symbol('QuotaStorage');
export type QuotaRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

export interface CountedWindow {
  name: string;
  ttlMs: number;
  limit: number;
}

/**
 * One call counted in several windows at once: in order, stopping after the first window that
 * refuses (so a call refused by the minute window does not use up the day's quota). In Redis that
 * is one round trip: quotas are checked on every data-plane call, so their cost is the gateway's.
 */
export interface QuotaStorage {
  incrementEach(key: string, windows: CountedWindow[]): Promise<QuotaRecord[]>;
}

/**
 * KEYS: one hit counter per window; ARGV[1]: how many calls are counted at once, then ttl and
 * limit per window. The same as that many single calls in a row: the calls a window refuses are
 * not counted in the next one. Answers, per window reached: hits after, ms left, calls counted.
 */
const INCREMENT_EACH = `
local calls = tonumber(ARGV[1])
local out = {}
for i = 1, #KEYS do
  local ttl, limit = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local hits = redis.call('INCRBY', KEYS[i], calls)
  local left = redis.call('PTTL', KEYS[i])
  if left < 0 then
    redis.call('PEXPIRE', KEYS[i], ttl)
    left = ttl
  end
  out[i] = {hits, left, calls}
  calls = math.max(0, math.min(calls, limit - (hits - calls)))
  if calls == 0 then
    return out
  end
end
return out
`;

type QuotaCommands = { gatewayQuotaIncrementEach(keyCount: number, ...keysThenArgs: Array<string | number>): Promise<number[][]> };

interface PendingCalls {
  key: string;
  windows: CountedWindow[];
  waiters: Array<{ resolve: (records: QuotaRecord[]) => void; reject: (error: unknown) => void }>;
}

/**
 * Shared by every gateway instance on one Redis; atomic. The calls of one key that arrive in the
 * same turn of the event loop are counted by one script run (the script counts them as so many
 * calls in a row), so a busy connection costs Redis and this process one round trip per turn,
 * not one per call: quotas are checked on every data-plane call, so their cost is the gateway's.
 */
export class RedisQuotaStorage implements QuotaStorage {
  private pending = new Map<string, PendingCalls>();

  constructor(private readonly redis: Redis) {
    // defineCommand sends the script by its SHA1 (EVALSHA) after the first call.
    redis.defineCommand('gatewayQuotaIncrementEach', { lua: INCREMENT_EACH });
  }

  incrementEach(key: string, windows: CountedWindow[]): Promise<QuotaRecord[]> {
    // Calls are grouped only with calls under the very same limits (an agreement may change).
    const group = `${key}\u0000${windows.map((w) => `${w.name}/${w.ttlMs}/${w.limit}`).join(',')}`;
    if (this.pending.size === 0) setImmediate(() => this.flush());
    let calls = this.pending.get(group);
    if (!calls) this.pending.set(group, (calls = { key, windows, waiters: [] }));
    const waiters = calls.waiters;
    return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
  }

  private flush(): void {
    const groups = [...this.pending.values()];
    this.pending = new Map();
    for (const calls of groups) {
      this.count(calls).catch((error: unknown) => calls.waiters.forEach((w) => w.reject(error)));
    }
  }

  private async count({ key, windows, waiters }: PendingCalls): Promise<void> {
    // One hash tag for every window of a key: a Redis Cluster keeps them in one slot, as a script needs.
    const keys = windows.map((w) => `{${key}}:${w.name}:hits`);
    const args = [waiters.length, ...windows.flatMap((w) => [w.ttlMs, w.limit])];
    const results = await (this.redis as unknown as QuotaCommands).gatewayQuotaIncrementEach(keys.length, ...keys, ...args);
    waiters.forEach((waiter, call) => waiter.resolve(recordsOfCall(call, windows, results)));
  }
}

/**
 * What the `call`-th call (from 0) of a counted group got in each window it reached: its own
 * count is the window's hits after the group, less the calls counted after it.
 */
function recordsOfCall(call: number, windows: CountedWindow[], results: number[][]): QuotaRecord[] {
  const records: QuotaRecord[] = [];
  for (const [n, [hits, left, counted]] of results.entries()) {
    if (call >= Number(counted)) break;
    const totalHits = Number(hits) - Number(counted) + call + 1;
    const isBlocked = totalHits > windows[n].limit;
    const seconds = Math.ceil(Number(left) / 1000);
    records.push({ totalHits, timeToExpire: seconds, isBlocked, timeToBlockExpire: isBlocked ? seconds : 0 });
    if (isBlocked) break;
  }
  return records;
}

/** One instance only: counts in this process. */
export class MemoryQuotaStorage implements QuotaStorage {
  private readonly windows = new Map<string, { hits: number; expiresAt: number }>();
  private sweptAt = 0;

  async incrementEach(key: string, windows: CountedWindow[]): Promise<QuotaRecord[]> {
    const now = Date.now();
    this.sweep(now);
    const records: QuotaRecord[] = [];
    for (const { name, ttlMs, limit } of windows) {
      const id = `${key}:${name}`;
      let window = this.windows.get(id);
      if (!window || window.expiresAt <= now) this.windows.set(id, (window = { hits: 0, expiresAt: now + ttlMs }));
      window.hits++;
      const left = Math.ceil((window.expiresAt - now) / 1000);
      const blocked = window.hits > limit;
      records.push({ totalHits: window.hits, timeToExpire: left, isBlocked: blocked, timeToBlockExpire: blocked ? left : 0 });
      if (blocked) break;
    }
    return records;
  }

  private sweep(now: number): void {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    for (const [id, w] of this.windows) if (w.expiresAt <= now) this.windows.delete(id);
  }
}
