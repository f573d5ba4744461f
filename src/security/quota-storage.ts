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

/** KEYS: one hit counter per window; ARGV: ttl and limit per window. */
const INCREMENT_EACH = `
local out = {}
for i = 1, #KEYS do
  local ttl, limit = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  local hits = redis.call('INCR', KEYS[i])
  local left = redis.call('PTTL', KEYS[i])
  if left < 0 then
    redis.call('PEXPIRE', KEYS[i], ttl)
    left = ttl
  end
  if hits > limit then
    out[i] = {hits, left, 1, left}
    return out
  end
  out[i] = {hits, left, 0, 0}
end
return out
`;

type QuotaCommands = { gatewayQuotaIncrementEach(keyCount: number, ...keysThenArgs: Array<string | number>): Promise<number[][]> };

/** Shared by every gateway instance on one Redis; one round trip, atomic. */
export class RedisQuotaStorage implements QuotaStorage {
  constructor(private readonly redis: Redis) {
    // defineCommand sends the script by its SHA1 (EVALSHA) after the first call.
    redis.defineCommand('gatewayQuotaIncrementEach', { lua: INCREMENT_EACH });
  }

  async incrementEach(key: string, windows: CountedWindow[]): Promise<QuotaRecord[]> {
    // One hash tag for every window of a key: a Redis Cluster keeps them in one slot, as a script needs.
    const keys = windows.map((w) => `{${key}}:${w.name}:hits`);
    const args = windows.flatMap((w) => [w.ttlMs, w.limit]);
    const results = await (this.redis as unknown as QuotaCommands).gatewayQuotaIncrementEach(keys.length, ...keys, ...args);
    return results.map(([hits, left, blocked, blockLeft]) => ({
      totalHits: Number(hits),
      timeToExpire: Math.ceil(Number(left) / 1000),
      isBlocked: Number(blocked) === 1,
      timeToBlockExpire: Math.ceil(Number(blockLeft) / 1000),
    }));
  }
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
