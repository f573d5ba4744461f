import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';

/**
 * Quota counters behind @nestjs/throttler's ThrottlerStorage interface (so either could back a
 * ThrottlerModule too): a fixed window per key that starts with its first call. A key over its
 * limit is refused until its window ends, or for `blockDuration` ms when that is set.
 *
 * Why not @nestjs/throttler's ThrottlerStorageService and @nest-lab/throttler-storage-redis: both
 * are CommonJS packages that require() @nestjs/common, which Nest 12 ships as ES modules only.
 * Node ≥ 20.19 loads that (require(esm)), but Jest's ESM mode cannot before Node 24.9, so the
 * whole data plane would fail to load under `npm test`. The interface is imported as a type only.
 */
export const QUOTA_STORAGE = Symbol('QuotaStorage');
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

export interface CountedWindow {
  name: string;
  ttlMs: number;
  limit: number;
}

/**
 * ThrottlerStorage, plus one call counted in several windows at once: in order, stopping after
 * the first window that refuses (so a call refused by the minute window does not use up the
 * day's quota). In Redis that is one round trip instead of one per window: quotas are checked on
 * every data-plane call, so their cost is the gateway's.
 */
export interface QuotaStorage extends ThrottlerStorage {
  incrementEach(key: string, windows: CountedWindow[]): Promise<ThrottlerStorageRecord[]>;
}

const INCREMENT = `
local hitKey, blockKey = KEYS[1], KEYS[2]
local ttl, limit, blockDuration = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local hits = redis.call('INCR', hitKey)
local left = redis.call('PTTL', hitKey)
if left < 0 then
  redis.call('PEXPIRE', hitKey, ttl)
  left = ttl
end
local blockLeft = redis.call('PTTL', blockKey)
if blockLeft > 0 then
  return {hits, left, 1, blockLeft}
end
if hits > limit then
  if blockDuration > 0 then
    redis.call('SET', blockKey, '1', 'PX', blockDuration)
    return {hits, left, 1, blockDuration}
  end
  return {hits, left, 1, left}
end
return {hits, left, 0, 0}
`;

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

  async incrementEach(key: string, windows: CountedWindow[]): Promise<ThrottlerStorageRecord[]> {
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

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const tag = `{${key}:${throttlerName}}`;
    const [hits, left, blocked, blockLeft] = (await this.redis.eval(INCREMENT, 2, `${tag}:hits`, `${tag}:blocked`, ttl, limit, blockDuration)) as number[];
    return {
      totalHits: Number(hits),
      timeToExpire: Math.ceil(Number(left) / 1000),
      isBlocked: Number(blocked) === 1,
      timeToBlockExpire: Math.ceil(Number(blockLeft) / 1000),
    };
  }
}

/** One instance only: counts in this process. */
export class MemoryQuotaStorage implements QuotaStorage {
  private readonly windows = new Map<string, { hits: number; expiresAt: number; blockedUntil: number }>();
  private sweptAt = 0;

  async incrementEach(key: string, windows: CountedWindow[]): Promise<ThrottlerStorageRecord[]> {
    const records: ThrottlerStorageRecord[] = [];
    for (const window of windows) {
      const record = await this.increment(`${key}:${window.name}`, window.ttlMs, window.limit, 0, window.name);
      records.push(record);
      if (record.isBlocked) break;
    }
    return records;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    this.sweep(now);
    const id = `${key}:${throttlerName}`;
    let window = this.windows.get(id);
    if (!window || window.expiresAt <= now) {
      window = { hits: 0, expiresAt: now + ttl, blockedUntil: window && window.blockedUntil > now ? window.blockedUntil : 0 };
      this.windows.set(id, window);
    }
    window.hits++;
    const left = window.expiresAt - now;
    if (window.blockedUntil > now) return this.record(window.hits, left, window.blockedUntil - now);
    if (window.hits > limit) {
      if (blockDuration > 0) window.blockedUntil = now + blockDuration;
      return this.record(window.hits, left, blockDuration > 0 ? blockDuration : left);
    }
    return { totalHits: window.hits, timeToExpire: Math.ceil(left / 1000), isBlocked: false, timeToBlockExpire: 0 };
  }

  private record(hits: number, left: number, blockLeft: number): ThrottlerStorageRecord {
    return { totalHits: hits, timeToExpire: Math.ceil(left / 1000), isBlocked: true, timeToBlockExpire: Math.ceil(blockLeft / 1000) };
  }

  private sweep(now: number): void {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    for (const [id, w] of this.windows) if (w.expiresAt <= now && w.blockedUntil <= now) this.windows.delete(id);
  }
}
