import { type BeforeApplicationShutdown, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { CountedWindow, OpenWindowCount, QuotaRecord, QuotaStorage } from './quota-storage.js';

/** How long a lease may be drawn on before its unused calls go back. */
const LEASE_MS = 200;
/** A lease never takes more than this share of what a window has left: near a limit, none is granted. */
const LEASE_SHARE = 16;
/** Smallest lease asked for or granted: below it, a key is counted call by call. */
const MIN_LEASE = 4;
const MAX_LEASE = 1000;

/**
 * KEYS: one hit counter per window. ARGV[1]: calls counted at once; ARGV[2]: the lease wanted;
 * then ttl and limit per window. The calls count as that many single calls in a row (the calls a
 * window refuses are not counted in the next one). A lease is granted only when it is at most
 * 1/LEASE_SHARE of what every window has left after the calls (so it can never be refused) and at
 * least MIN_LEASE, and is counted in every window. Answers, per window reached: hits after, ms left, calls, lease.
 */
const INCREMENT_EACH = `
local calls, lease = tonumber(ARGV[1]), tonumber(ARGV[2])
for i = 1, #KEYS do
  if lease <= 0 then break end
  local room = tonumber(ARGV[2 * i + 2]) - tonumber(redis.call('GET', KEYS[i]) or '0') - calls
  lease = math.min(lease, math.floor(room / ${LEASE_SHARE}))
end
if lease < ${MIN_LEASE} then lease = 0 end
local out = {}
for i = 1, #KEYS do
  local ttl, limit = tonumber(ARGV[2 * i + 1]), tonumber(ARGV[2 * i + 2])
  local hits = redis.call('INCRBY', KEYS[i], calls + lease)
  local left = redis.call('PTTL', KEYS[i])
  if left < 0 then
    redis.call('PEXPIRE', KEYS[i], ttl)
    left = ttl
  end
  out[i] = {hits, left, calls, lease}
  calls = math.max(0, math.min(calls, limit - (hits - lease - calls)))
  if calls == 0 then
    return out
  end
end
return out
`;

/**
 * KEYS: the hit counters of a lease; ARGV[1]: its unused calls; ARGV[1 + i]: the ms window i had
 * left by the lessee's clock (0 once it ended). Gives the calls back only to a window the lease was
 * taken from: one that ended and began again has a remaining time a whole window apart.
 */
const GIVE_BACK = `
local unused = tonumber(ARGV[1])
for i = 1, #KEYS do
  local expected, left = tonumber(ARGV[i + 1]), redis.call('PTTL', KEYS[i])
  if expected > 0 and left > 0 and math.abs(left - expected) < 1000 then
    redis.call('DECRBY', KEYS[i], math.min(unused, tonumber(redis.call('GET', KEYS[i]) or '0')))
  end
end
return 0
`;

/** KEYS[1]: a hit counter; ARGV: hits to add, and the ms its window has left if Redis has no such window. */
const ADD = `
local hits = redis.call('INCRBY', KEYS[1], tonumber(ARGV[1]))
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2])) end
return hits
`;

type QuotaCommands = {
  gatewayQuotaAdd(keyCount: number, ...keysThenArgs: Array<string | number>): Promise<number>;
  gatewayQuotaIncrementEach(keyCount: number, ...keysThenArgs: Array<string | number>): Promise<number[][]>;
  gatewayQuotaGiveBack(keyCount: number, ...keysThenArgs: Array<string | number>): Promise<number>;
};

interface PendingCalls {
  group: string;
  key: string;
  windows: CountedWindow[];
  waiters: Array<{ resolve: (records: QuotaRecord[]) => void; reject: (error: unknown) => void }>;
}

/** Calls counted in Redis ahead of time, handed out by this instance without a round trip. */
interface Lease {
  keys: string[];
  granted: number;
  left: number;
  /** Each window's hits in Redis right after the grant (the lease included) and when it ends. */
  hitsAfterGrant: number[];
  windowEnds: number[];
  expiresAt: number;
}

/** Calls of a key through this instance lately, to size its leases. */
interface Demand {
  since: number;
  calls: number;
}

/**
 * Quota counts shared by every gateway instance on one Redis; atomic.
 *
 * The calls of one key that arrive in the same turn of the event loop are counted by one script
 * run. A busy key also takes a **lease**: calls counted in Redis ahead of time (about LEASE_MS of
 * its recent rate), which this instance hands out with no round trip until they are used up or
 * LEASE_MS has passed; unused ones are given back. Quotas are checked on every data-plane call, so
 * their round trip was the largest cost of quota enforcement (measured: ~18 µs of Redis CPU and
 * more in the gateway per call, at 2,000 calls a second).
 *
 * What a lease changes: never the limit (a lease is counted before it is used, and is at most a
 * sixteenth of what is left, so near the limit every call is counted on its own); a call on another
 * instance may be refused while a lease holds calls still unused (at most 1/16 of what was left
 * when it was granted, for at most LEASE_MS), and a crash loses its lease's unused calls until the
 * window ends; RateLimit-Remaining on a leased call does not see the other instances' calls of the
 * last LEASE_MS. Slow callers never get a lease: they are counted call by call, exactly as before.
 *
 * Written by hand, like the script: no Redis rate-limiting library here leases counts.
 */
export class RedisQuotaStorage implements QuotaStorage, BeforeApplicationShutdown {
  private readonly logger = new Logger(RedisQuotaStorage.name);
  private pending = new Map<string, PendingCalls>();
  private readonly leases = new Map<string, Lease>();
  private readonly demand = new Map<string, Demand>();
  private readonly givingBack = new Set<Promise<unknown>>();
  private readonly counting = new Set<Promise<unknown>>();
  private closing = false;
  private sweptAt = 0;
  /** The limits part of a group's name, per windows array (the quota service keeps one per agreement). */
  private readonly limitsOfWindows = new WeakMap<CountedWindow[], string>();

  /**
   * @param schedule how a lease's end is timed: a timer by default; a test runs the ends it was
   * handed when it chooses, instead of sleeping past LEASE_MS.
   */
  constructor(
    private readonly redis: Redis,
    private readonly schedule: (end: () => void, ms: number) => void = (end, ms) => setTimeout(end, ms).unref(),
  ) {
    // defineCommand sends the scripts by their SHA1 (EVALSHA) after the first call.
    redis.defineCommand('gatewayQuotaIncrementEach', { lua: INCREMENT_EACH });
    redis.defineCommand('gatewayQuotaGiveBack', { lua: GIVE_BACK });
    redis.defineCommand('gatewayQuotaAdd', { lua: ADD });
  }

  /**
   * Adds calls counted elsewhere (by this instance while Redis was away) to the shared windows: a
   * window Redis still has keeps its end, one it lost ends when the instance's own would have.
   */
  async add(counts: OpenWindowCount[]): Promise<void> {
    const commands = this.redis as unknown as QuotaCommands;
    await Promise.all(counts.map(({ key, name, hits, msLeft }) => commands.gatewayQuotaAdd(1, `{${key}}:${name}:hits`, hits, Math.max(1, Math.ceil(msLeft)))));
  }

  incrementEach(key: string, windows: CountedWindow[]): Promise<QuotaRecord[]> {
    // Calls are grouped (and leased) only with calls under the very same limits (an agreement may change).
    const group = `${key}\u0000${this.limitsOf(windows)}`;
    const now = performance.now();
    this.noteDemand(group, now);
    const lease = this.leases.get(group);
    if (lease && lease.left > 0 && now < lease.expiresAt) return Promise.resolve(handOut(lease, now));
    // Ended but its timer has not run yet: given back now, so the give-back reaches Redis before this count.
    if (lease) this.expire(group, lease);

    if (this.pending.size === 0) setImmediate(() => this.flush());
    let calls = this.pending.get(group);
    if (!calls) this.pending.set(group, (calls = { group, key, windows, waiters: [] }));
    const waiters = calls.waiters;
    return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
  }

  private limitsOf(windows: CountedWindow[]): string {
    let limits = this.limitsOfWindows.get(windows);
    if (limits === undefined) this.limitsOfWindows.set(windows, (limits = windows.map((w) => `${w.name}/${w.ttlMs}/${w.limit}`).join(',')));
    return limits;
  }

  /**
   * Gives every unused lease back before the Redis connection closes (onApplicationShutdown):
   * no lease is asked for from now on, and one granted to a count still in flight goes back at once.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.counting]);
    await this.returnLeases();
  }

  /** Ends every lease now, as its timer would, and waits until Redis has their unused calls back. */
  async returnLeases(): Promise<void> {
    for (const [group, lease] of this.leases) this.expire(group, lease);
    await Promise.allSettled([...this.givingBack]);
  }

  private flush(): void {
    const groups = [...this.pending.values()];
    this.pending = new Map();
    for (const calls of groups) {
      const counting = this.count(calls)
        .catch((error: unknown) => calls.waiters.forEach((w) => w.reject(error)))
        .finally(() => this.counting.delete(counting));
      this.counting.add(counting);
    }
  }

  private async count({ group, key, windows, waiters }: PendingCalls): Promise<void> {
    // One hash tag for every window of a key: a Redis Cluster keeps them in one slot, as a script needs.
    const keys = windows.map((w) => `{${key}}:${w.name}:hits`);
    // Window ends are reckoned from before the script was sent, so a lease never outlives its window.
    const sentAt = performance.now();
    const args = [waiters.length, this.leaseWanted(group, sentAt), ...windows.flatMap((w) => [w.ttlMs, w.limit])];
    const results = await (this.redis as unknown as QuotaCommands).gatewayQuotaIncrementEach(keys.length, ...keys, ...args);
    // Every window answers the same lease: 0 unless all of them could take it.
    const granted = Number(results[0]?.[3] ?? 0);
    if (granted > 0) this.grant(group, keys, results, granted, sentAt);
    waiters.forEach((waiter, call) => waiter.resolve(recordsOfCall(call, windows, results)));
  }

  private grant(group: string, keys: string[], results: number[][], granted: number, sentAt: number): void {
    const windowEnds = results.map(([, left]) => sentAt + Number(left));
    const lease: Lease = {
      keys,
      granted,
      left: granted,
      hitsAfterGrant: results.map(([hits]) => Number(hits)),
      windowEnds,
      // Never past a window's end: a leased call used then would be counted in no window.
      expiresAt: Math.min(sentAt + LEASE_MS, ...windowEnds),
    };
    const previous = this.leases.get(group);
    if (previous) this.expire(group, previous);
    this.leases.set(group, lease);
    if (this.closing) return this.expire(group, lease);
    this.schedule(() => this.expire(group, lease), Math.max(0, lease.expiresAt - performance.now()));
  }

  /** Ends a lease; its unused calls go back to the windows they were counted in. */
  private expire(group: string, lease: Lease): void {
    if (this.leases.get(group) === lease) this.leases.delete(group);
    const unused = lease.left;
    lease.left = 0;
    if (unused === 0) return;
    // A window that has ended gets nothing back (its count is gone); the others, the day's, do.
    const now = performance.now();
    const giving = (this.redis as unknown as QuotaCommands)
      .gatewayQuotaGiveBack(lease.keys.length, ...lease.keys, unused, ...lease.windowEnds.map((end) => Math.max(0, Math.floor(end - now))))
      // Not given back (Redis unreachable): the calls stay counted, which errs towards refusing.
      .catch((error: unknown) => this.logger.warn(`${unused} leased calls not given back (they stay counted): ${(error as Error).message}`))
      .finally(() => this.givingBack.delete(giving));
    this.givingBack.add(giving);
  }

  private noteDemand(group: string, now: number): void {
    let demand = this.demand.get(group);
    if (!demand || now - demand.since > 2000) {
      this.demand.set(group, (demand = { since: now, calls: 0 }));
      this.sweep(now);
    } else if (now - demand.since > 1000) {
      // Keeps about the last second: half the calls over half the time keeps the rate.
      demand.calls /= 2;
      demand.since = now - (now - demand.since) / 2;
    }
    demand.calls++;
  }

  /** About LEASE_MS of the key's recent calls, once it has been watched long enough to tell. */
  private leaseWanted(group: string, now: number): number {
    if (this.closing) return 0;
    const demand = this.demand.get(group);
    const watched = demand ? now - demand.since : 0;
    if (!demand || watched < LEASE_MS / 4) return 0;
    const wanted = Math.ceil((demand.calls * LEASE_MS) / watched);
    return wanted < MIN_LEASE ? 0 : Math.min(wanted, MAX_LEASE);
  }

  /** Forgets the demand of keys idle for a while, now and then. */
  private sweep(now: number): void {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    for (const [group, demand] of this.demand) if (now - demand.since > 60_000) this.demand.delete(group);
  }
}

/** What a call drawn from a lease gets: the lease's calls count as used in the order handed out. */
function handOut(lease: Lease, now: number): QuotaRecord[] {
  lease.left--;
  const used = lease.granted - lease.left;
  return lease.hitsAfterGrant.map((hits, n) => ({
    totalHits: hits - lease.granted + used,
    timeToExpire: Math.max(0, Math.ceil((lease.windowEnds[n] - now) / 1000)),
    isBlocked: false,
    timeToBlockExpire: 0,
  }));
}

/**
 * What the `call`-th call (from 0) of a counted group got in each window it reached: its own
 * count is the window's hits after the group, less the lease and the calls counted after it.
 */
function recordsOfCall(call: number, windows: CountedWindow[], results: number[][]): QuotaRecord[] {
  const records: QuotaRecord[] = [];
  for (const [n, [hits, left, counted, lease]] of results.entries()) {
    if (call >= Number(counted)) break;
    const totalHits = Number(hits) - Number(lease) - Number(counted) + call + 1;
    const isBlocked = totalHits > windows[n].limit;
    const seconds = Math.ceil(Number(left) / 1000);
    records.push({ totalHits, timeToExpire: seconds, isBlocked, timeToBlockExpire: isBlocked ? seconds : 0 });
    if (isBlocked) break;
  }
  return records;
}
