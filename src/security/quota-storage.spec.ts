import { jest } from '@jest/globals';
import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { type CountedWindow, MemoryQuotaStorage, type QuotaRecord, RedisQuotaStorage } from './quota-storage.js';

/** Against the Redis the test suites share (TEST_REDIS_URL), under keys of its own. */
describe('RedisQuotaStorage: calls of one turn counted together', () => {
  let redis: Redis;
  let storage: RedisQuotaStorage;
  const prefix = `test-${crypto.randomUUID()}:`;
  const windows: CountedWindow[] = [
    { name: 'minute', ttlMs: 60_000, limit: 6 },
    { name: 'day', ttlMs: 86_400_000, limit: 8 },
  ];

  beforeAll(() => {
    redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { keyPrefix: prefix });
    storage = new RedisQuotaStorage(redis);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys.map((k) => k.slice(prefix.length)));
    redis.disconnect();
  });

  const summary = (records: QuotaRecord[]) => records.map((r) => `${r.totalHits}${r.isBlocked ? ' blocked' : ''}`);

  it('answers each of many simultaneous calls as if they had come one after another, in one script run', async () => {
    const script = jest.spyOn(redis as unknown as { gatewayQuotaIncrementEach: () => unknown }, 'gatewayQuotaIncrementEach');
    const together = await Promise.all(Array.from({ length: 10 }, () => storage.incrementEach('together', windows)));
    expect(script).toHaveBeenCalledTimes(1);
    script.mockRestore();

    const inMemory = new MemoryQuotaStorage();
    const oneByOne: QuotaRecord[][] = [];
    for (let i = 0; i < 10; i++) oneByOne.push(await inMemory.incrementEach('one-by-one', windows));
    expect(together.map(summary)).toEqual(oneByOne.map(summary));
    // Six allowed (counted in both windows), four refused by the minute window (not counted in the day's).
    expect(together.map(summary)).toEqual([
      ...[1, 2, 3, 4, 5, 6].map((n) => [`${n}`, `${n}`]),
      ...[7, 8, 9, 10].map((n) => [`${n} blocked`]),
    ]);
    expect(together[9][0].timeToBlockExpire).toBeGreaterThan(58);
    expect(await redis.get('{together}:minute:hits')).toBe('10');
    expect(await redis.get('{together}:day:hits')).toBe('6');
  });

  it('counts on from what earlier turns counted, and refuses by the day window once the minute one is not reached', async () => {
    const dayFirst: CountedWindow[] = [
      { name: 'minute', ttlMs: 60_000, limit: 100 },
      { name: 'day', ttlMs: 86_400_000, limit: 3 },
    ];
    await storage.incrementEach('later', dayFirst);
    const next = await Promise.all(Array.from({ length: 4 }, () => storage.incrementEach('later', dayFirst)));
    expect(next.map(summary)).toEqual([
      ['2', '2'],
      ['3', '3'],
      ['4', '4 blocked'],
      ['5', '5 blocked'],
    ]);
    expect(next[3][1].timeToBlockExpire).toBeGreaterThan(86_000);
  });

  it('keeps keys, and calls under other limits, apart within one turn', async () => {
    const tight: CountedWindow[] = [{ name: 'minute', ttlMs: 60_000, limit: 1 }];
    const loose: CountedWindow[] = [{ name: 'minute', ttlMs: 60_000, limit: 5 }];
    const [a1, a2, b1, looseCall] = await Promise.all([
      storage.incrementEach('a', tight),
      storage.incrementEach('a', tight),
      storage.incrementEach('b', tight),
      storage.incrementEach('a', loose),
    ]);
    expect([a1, a2, b1, looseCall].map(summary)).toEqual([['1'], ['2 blocked'], ['1'], ['3']]);
  });

  it('fails every call of a turn when Redis cannot be reached', async () => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const unreachable = new RedisQuotaStorage(down);
    const calls = await Promise.allSettled([unreachable.incrementEach('x', windows), unreachable.incrementEach('x', windows)]);
    expect(calls.map((c) => c.status)).toEqual(['rejected', 'rejected']);
    down.disconnect();
  });
});
