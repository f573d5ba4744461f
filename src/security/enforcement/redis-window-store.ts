import type { Redis } from 'ioredis';
import { FIRST_SEEN_TTL_MS, MAX_WINDOW_MEMBERS, WindowStore } from './window-store.js';

/**
 * A sliding window as a sorted set (member → time) plus a hash (member → evidence), updated in
 * one script so that concurrent instances never see half an update.
 */
const RECORD = `
local key, ev = KEYS[1], KEYS[2]
local now, window, member, evidence, threshold, cap = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local stale = redis.call('ZRANGEBYSCORE', key, '-inf', now - window)
if #stale > 0 then
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  redis.call('HDEL', ev, unpack(stale))
end
redis.call('ZADD', key, now, member)
redis.call('HSET', ev, member, evidence)
local count = redis.call('ZCARD', key)
if count > cap then
  local dropped = redis.call('ZRANGE', key, 0, count - cap - 1)
  redis.call('ZREMRANGEBYRANK', key, 0, count - cap - 1)
  redis.call('HDEL', ev, unpack(dropped))
  count = cap
end
redis.call('PEXPIRE', key, window)
redis.call('PEXPIRE', ev, window)
if count >= threshold then
  local members = redis.call('ZRANGE', key, 0, -1)
  return {count, redis.call('HMGET', ev, unpack(members))}
end
return {count}
`;

export class RedisWindowStore implements WindowStore {
  constructor(private readonly redis: Redis) {}

  async record(key: string, member: string, evidence: string, windowMs: number, threshold: number, now: number) {
    const result = (await this.redis.eval(RECORD, 2, key, `${key}:evidence`, now, windowMs, member, evidence, threshold, MAX_WINDOW_MEMBERS)) as [number, Array<string | null>?];
    return { count: Number(result[0]), evidence: result[1] ? result[1].filter((e): e is string => e !== null) : null };
  }

  async countCalls(bucketKey: string, bucketTtlMs: number, calls: number, recentKey: string, latest: string[], keepRecent: number, firstSeenKey: string, now: number) {
    const results = await this.redis
      .multi()
      .incrby(bucketKey, calls)
      .pexpire(bucketKey, bucketTtlMs)
      .lpush(recentKey, ...latest)
      .ltrim(recentKey, 0, keepRecent - 1)
      .pexpire(recentKey, bucketTtlMs)
      .set(firstSeenKey, String(now), 'PX', FIRST_SEEN_TTL_MS, 'NX')
      .get(firstSeenKey)
      .exec();
    if (!results) throw new Error('Redis transaction aborted');
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
    return { count: Number(results[0][1]), firstSeen: Number(results[6][1]) };
  }

  async counts(keys: string[]) {
    if (keys.length === 0) return [];
    const values = await this.redis.mget(...keys);
    return values.map((v) => Number(v ?? 0));
  }

  async recent(recentKey: string) {
    return this.redis.lrange(recentKey, 0, -1);
  }

  async forget(prefix: string) {
    let cursor = '0';
    for (let round = 0; round < 1000; round++) {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 500);
      if (keys.length) await this.redis.del(...keys);
      cursor = next;
      if (cursor === '0') return;
    }
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
