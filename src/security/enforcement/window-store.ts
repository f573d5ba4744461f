/**
 * The counters the anomaly detector needs, shared by every gateway instance when they use one
 * Redis (RedisWindowStore) or kept in this process (MemoryWindowStore). Keys are built by the
 * detector and always start with the connection they concern, so they can be forgotten together.
 */
export interface WindowStore {
  /**
   * Adds `member` (an event id, or a path for distinct counting) at `now` to a sliding window of
   * `windowMs`, and returns how many distinct members the window holds. Once that reaches
   * `threshold`, also returns the evidence stored with each member, oldest first.
   */
  record(key: string, member: string, evidence: string, windowMs: number, threshold: number, now: number): Promise<{ count: number; evidence: string[] | null }>;

  /**
   * Adds `calls` to a time bucket and keeps `latest` (oldest first) among the connection's latest
   * calls. Returns the bucket's count and when this connection was first seen (to tell whether a
   * baseline exists).
   */
  countCalls(
    bucketKey: string,
    bucketTtlMs: number,
    calls: number,
    recentKey: string,
    latest: string[],
    keepRecent: number,
    firstSeenKey: string,
    now: number,
  ): Promise<{ count: number; firstSeen: number }>;

  /** The counts of the given buckets (0 for missing ones). */
  counts(keys: string[]): Promise<number[]>;

  /** The latest calls kept by countCalls, newest first. */
  recent(recentKey: string): Promise<string[]>;

  /** Forgets every key that starts with `prefix` (after a connection is restored). */
  forget(prefix: string): Promise<void>;
}

export const WINDOW_STORE = Symbol('WindowStore');

/** Upper bound of members kept per window, whatever the threshold. */
export const MAX_WINDOW_MEMBERS = 1000;
const FIRST_SEEN_TTL_MS = 30 * 24 * 3600 * 1000;

/** Per-process counters: correct for one gateway instance. */
export class MemoryWindowStore implements WindowStore {
  private readonly windows = new Map<string, { expires: number; members: Map<string, { at: number; evidence: string }> }>();
  private readonly buckets = new Map<string, { expires: number; count: number }>();
  private readonly recents = new Map<string, string[]>();
  private readonly firstSeen = new Map<string, number>();
  private sweptAt = 0;

  async record(key: string, member: string, evidence: string, windowMs: number, threshold: number, now: number) {
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window) this.windows.set(key, (window = { expires: 0, members: new Map() }));
    for (const [m, v] of window.members) if (v.at <= now - windowMs) window.members.delete(m);
    window.members.delete(member);
    window.members.set(member, { at: now, evidence });
    window.expires = now + windowMs;
    while (window.members.size > MAX_WINDOW_MEMBERS) window.members.delete(window.members.keys().next().value!);
    const count = window.members.size;
    return { count, evidence: count >= threshold ? [...window.members.values()].map((v) => v.evidence) : null };
  }

  async countCalls(bucketKey: string, bucketTtlMs: number, calls: number, recentKey: string, latest: string[], keepRecent: number, firstSeenKey: string, now: number) {
    this.sweep(now);
    let bucket = this.buckets.get(bucketKey);
    if (!bucket || bucket.expires <= now) this.buckets.set(bucketKey, (bucket = { expires: now + bucketTtlMs, count: 0 }));
    const count = (bucket.count += calls);
    const recent = this.recents.get(recentKey) ?? [];
    recent.unshift(...[...latest].reverse());
    recent.length = Math.min(recent.length, keepRecent);
    this.recents.set(recentKey, recent);
    if (!this.firstSeen.has(firstSeenKey)) this.firstSeen.set(firstSeenKey, now);
    return { count, firstSeen: this.firstSeen.get(firstSeenKey)! };
  }

  async counts(keys: string[]) {
    const now = Date.now();
    return keys.map((key) => {
      const bucket = this.buckets.get(key);
      return bucket && bucket.expires > now ? bucket.count : 0;
    });
  }

  async recent(recentKey: string) {
    return [...(this.recents.get(recentKey) ?? [])];
  }

  async forget(prefix: string) {
    for (const map of [this.windows, this.buckets, this.recents, this.firstSeen] as Array<Map<string, unknown>>) {
      for (const key of map.keys()) if (key.startsWith(prefix)) map.delete(key);
    }
  }

  /** Drops expired windows and buckets now and then, so idle connections cost no memory. */
  private sweep(now: number): void {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    for (const [key, window] of this.windows) if (window.expires <= now) this.windows.delete(key);
    for (const [key, bucket] of this.buckets) if (bucket.expires <= now) this.buckets.delete(key);
    for (const [key, at] of this.firstSeen) if (at < now - FIRST_SEEN_TTL_MS) this.firstSeen.delete(key);
  }
}

export { FIRST_SEEN_TTL_MS };
