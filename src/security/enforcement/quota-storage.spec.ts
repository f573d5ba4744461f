import { jest } from '@jest/globals';
import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { type CountedWindow, MemoryQuotaStorage, type QuotaRecord } from './quota-storage.js';
import { RedisQuotaStorage } from './redis-quota-storage.js';

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

  it("adds an outage's per-instance counts to the shared windows: a window Redis kept keeps its end, a lost one gets the instance's", async () => {
    await storage.incrementEach('outage', windows);
    const kept = await redis.pttl('{outage}:minute:hits');
    const local = new MemoryQuotaStorage();
    for (let i = 0; i < 3; i++) await local.incrementEach('outage', windows);
    await storage.add(local.drain());
    expect(local.drain()).toEqual([]);
    expect(await redis.mget('{outage}:minute:hits', '{outage}:day:hits')).toEqual(['4', '4']);
    expect(Math.abs((await redis.pttl('{outage}:minute:hits')) - kept)).toBeLessThan(1000);

    const alone = new MemoryQuotaStorage();
    await alone.incrementEach('lost', windows);
    await storage.add(alone.drain());
    expect(await redis.get('{lost}:day:hits')).toBe('1');
    expect(await redis.pttl('{lost}:day:hits')).toBeGreaterThan(86_000_000);
    expect(summary(await storage.incrementEach('lost', windows))).toEqual(['2', '2']);
  });

  it('fails every call of a turn when Redis cannot be reached', async () => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const unreachable = new RedisQuotaStorage(down);
    const calls = await Promise.allSettled([unreachable.incrementEach('x', windows), unreachable.incrementEach('x', windows)]);
    expect(calls.map((c) => c.status)).toEqual(['rejected', 'rejected']);
    down.disconnect();
  });
});

/** Leases: a busy key's calls counted ahead in Redis and handed out without a round trip. */
describe('RedisQuotaStorage: leases for busy keys', () => {
  const prefix = `test-${crypto.randomUUID()}:`;
  const clients: Redis[] = [];
  const open = () => {
    const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { keyPrefix: prefix });
    clients.push(redis);
    // Each lease's end, kept for the test to run (leaseEnds.run) instead of sleeping past it.
    const ends: Array<{ end: () => void; ms: number }> = [];
    const storage = new RedisQuotaStorage(redis, (end, ms) => ends.push({ end, ms }));
    const leaseEnds = { scheduled: ends, run: () => ends.splice(0).forEach(({ end }) => end()) };
    return { redis, storage, leaseEnds };
  };
  afterAll(async () => {
    const keys = await clients[0].keys(`${prefix}*`);
    if (keys.length) await clients[0].del(...keys.map((k) => k.slice(prefix.length)));
    clients.forEach((c) => c.disconnect());
  });

  /**
   * A few more single calls until a lease with unused calls is out (the last one may have been
   * used up exactly), as Redis shows: its count runs ahead of the calls made. Returns the calls
   * made and that count.
   */
  async function withLeaseOut(storage: RedisQuotaStorage, redis: Redis, key: string, windows: CountedWindow[], made: number) {
    for (let extra = 0; extra < 10; extra++) {
      const hits = Number(await redis.get(`{${key}}:minute:hits`));
      if (hits > made) return { made, hits };
      await storage.incrementEach(key, windows);
      made++;
    }
    throw new Error('no lease was granted');
  }

  /** `turns` turns of `perTurn` simultaneous calls, `gapMs` apart: a steady caller. */
  async function steadyCalls(storage: RedisQuotaStorage, key: string, windows: CountedWindow[], turns: number, perTurn = 5, gapMs = 4) {
    const records: QuotaRecord[][] = [];
    for (let turn = 0; turn < turns; turn++) {
      records.push(...(await Promise.all(Array.from({ length: perTurn }, () => storage.incrementEach(key, windows)))));
      await sleep(gapMs);
    }
    return records;
  }

  it('hands a busy key its calls from leases, numbered one after another, and gives back what was not used', async () => {
    const { redis, storage, leaseEnds } = open();
    const roomy: CountedWindow[] = [
      { name: 'minute', ttlMs: 60_000, limit: 100_000 },
      { name: 'day', ttlMs: 86_400_000, limit: 1_000_000 },
    ];
    const script = jest.spyOn(redis as unknown as { gatewayQuotaIncrementEach: () => unknown }, 'gatewayQuotaIncrementEach');
    const records = await steadyCalls(storage, 'busy', roomy, 60);
    // Per turn, that would be 60 script runs; leases answer most turns without one.
    expect(script.mock.calls.length).toBeLessThan(30);
    script.mockRestore();
    expect(records.map(([minute]) => minute.totalHits)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(records.map(([, day]) => day.totalHits)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(records.every((r) => r.every((w) => !w.isBlocked))).toBe(true);

    const { made } = await withLeaseOut(storage, redis, 'busy', roomy, 300);
    // Each lease is timed to end within LEASE_MS (200 ms), and its end gives the unused calls back.
    expect(leaseEnds.scheduled.length).toBeGreaterThan(0);
    expect(leaseEnds.scheduled.every(({ ms }) => ms <= 200)).toBe(true);
    const giveBack = jest.spyOn(redis as unknown as { gatewayQuotaGiveBack: () => unknown }, 'gatewayQuotaGiveBack');
    leaseEnds.run();
    expect(giveBack).toHaveBeenCalled();
    giveBack.mockRestore();
    await storage.returnLeases(); // nothing left to end: waits for the give-backs under way
    expect([await redis.get('{busy}:minute:hits'), await redis.get('{busy}:day:hits')]).toEqual([String(made), String(made)]);
  });

  it('lets two instances with leases through every call up to the limit, and not one more', async () => {
    const [a, b] = [open(), open()];
    const limited: CountedWindow[] = [{ name: 'minute', ttlMs: 60_000, limit: 1000 }];
    const allowed = (records: QuotaRecord[][]) => records.filter(([minute]) => !minute.isBlocked).length;
    const script = jest.spyOn(a.redis as unknown as { gatewayQuotaIncrementEach: () => unknown }, 'gatewayQuotaIncrementEach');
    let through = 0;
    for (let turn = 0; turn < 45; turn++) {
      const [fromA, fromB] = await Promise.all([steadyCalls(a.storage, 'shared', limited, 1, 10, 0), steadyCalls(b.storage, 'shared', limited, 1, 10, 0)]);
      through += allowed(fromA) + allowed(fromB);
      await sleep(3);
    }
    expect(script.mock.calls.length).toBeLessThan(45); // leases were out
    script.mockRestore();
    // 900 calls: leases (at most 1/16 of what is left) never made the count reach the limit early.
    expect(through).toBe(900);
    // Once the leases are back, the last 100 calls of the limit are there to take, and no more.
    a.leaseEnds.run();
    b.leaseEnds.run();
    await Promise.all([a.storage.returnLeases(), b.storage.returnLeases()]);
    for (let call = 0; call < 150; call++) through += allowed([await (call % 2 ? a : b).storage.incrementEach('shared', limited)]);
    expect(through).toBe(1000);
  });

  it("gives a lease's unused calls back to the day window when its minute window has ended", async () => {
    const { redis, storage } = open();
    // A one-second "minute", so that leases keep running into its end.
    const short: CountedWindow[] = [
      { name: 'minute', ttlMs: 1000, limit: 100_000 },
      { name: 'day', ttlMs: 86_400_000, limit: 1_000_000 },
    ];
    const records = await steadyCalls(storage, 'rolling', short, 250, 5, 8);
    await storage.returnLeases();
    expect(await redis.get('{rolling}:day:hits')).toBe(String(records.length));
  });

  it('leases at most a sixteenth of what a window has left, so that other instances are rarely refused early', async () => {
    const { redis, storage } = open();
    const limited: CountedWindow[] = [{ name: 'minute', ttlMs: 60_000, limit: 1000 }];
    await steadyCalls(storage, 'sixteenth', limited, 20);
    const { made, hits } = await withLeaseOut(storage, redis, 'sixteenth', limited, 100);
    expect(hits - made).toBeLessThanOrEqual((1000 - made) / 16);
  });

  it('gives its leases back when the gateway shuts down', async () => {
    const { redis, storage } = open();
    const roomy: CountedWindow[] = [{ name: 'minute', ttlMs: 60_000, limit: 100_000 }];
    await steadyCalls(storage, 'stopping', roomy, 40);
    const { made } = await withLeaseOut(storage, redis, 'stopping', roomy, 200);
    await storage.beforeApplicationShutdown();
    expect(await redis.get('{stopping}:minute:hits')).toBe(String(made));
  });
});
