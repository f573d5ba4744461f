import type { ThrottlerStorage } from '@nestjs/throttler';

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
 * is one round trip per turn of the event loop, or none while a busy key's lease lasts
 * (redis-quota-storage.ts): quotas are checked on every data-plane call, so their cost is the gateway's.
 */
export interface QuotaStorage {
  incrementEach(key: string, windows: CountedWindow[]): Promise<QuotaRecord[]>;
}

/** The hits of one window still open, as handed from per-instance counts to Redis. */
export interface OpenWindowCount {
  key: string;
  name: string;
  hits: number;
  msLeft: number;
}

/** One instance only: counts in this process. */
export class MemoryQuotaStorage implements QuotaStorage {
  private readonly windows = new Map<string, { key: string; name: string; hits: number; expiresAt: number }>();
  private sweptAt = 0;

  async incrementEach(key: string, windows: CountedWindow[]): Promise<QuotaRecord[]> {
    const now = Date.now();
    this.sweep(now);
    const records: QuotaRecord[] = [];
    for (const { name, ttlMs, limit } of windows) {
      const id = `${key}:${name}`;
      let window = this.windows.get(id);
      if (!window || window.expiresAt <= now) this.windows.set(id, (window = { key, name, hits: 0, expiresAt: now + ttlMs }));
      window.hits++;
      const left = Math.ceil((window.expiresAt - now) / 1000);
      const blocked = window.hits > limit;
      records.push({ totalHits: window.hits, timeToExpire: left, isBlocked: blocked, timeToBlockExpire: blocked ? left : 0 });
      if (blocked) break;
    }
    return records;
  }

  /** Hands over the counts of every window still open, and forgets them all. */
  drain(): OpenWindowCount[] {
    const now = Date.now();
    const open = [...this.windows.values()].filter((w) => w.expiresAt > now).map(({ key, name, hits, expiresAt }) => ({ key, name, hits, msLeft: expiresAt - now }));
    this.windows.clear();
    return open;
  }

  private sweep(now: number): void {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    for (const [id, w] of this.windows) if (w.expiresAt <= now) this.windows.delete(id);
  }
}
