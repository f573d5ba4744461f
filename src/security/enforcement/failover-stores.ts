import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import type { CountedWindow, MemoryQuotaStorage, QuotaRecord, QuotaStorage } from './quota-storage.js';
import type { RedisAvailability } from '../redis/redis-availability.js';
import type { RedisQuotaStorage } from './redis-quota-storage.js';
import type { WindowStore } from './window-store.js';

/**
 * Quota counts in Redis while it answers, in this process while it does not (RedisAvailability
 * says which): a call is never let through uncounted because Redis is away. The call whose count
 * failed is counted per instance at once.
 *
 * When Redis is back, the calls counted here during the outage are added to the shared windows,
 * so an outage does not hand anyone a fresh quota for the window in progress.
 */
export class FailoverQuotaStorage implements QuotaStorage, BeforeApplicationShutdown {
  private readonly logger = new Logger('Quotas');

  constructor(
    private readonly shared: RedisQuotaStorage,
    private readonly local: MemoryQuotaStorage,
    private readonly availability: RedisAvailability,
  ) {
    availability.onResume(() => this.handOver());
  }

  // No async wrapper on the shared path: this runs for every data-plane call.
  incrementEach(key: string, windows: CountedWindow[]): Promise<QuotaRecord[]> {
    if (!this.availability.shared) return this.local.incrementEach(key, windows);
    return this.shared.incrementEach(key, windows).catch((error: Error) => {
      this.availability.unavailable(error);
      return this.local.incrementEach(key, windows);
    });
  }

  /** The Redis storage gives its unused leases back at shutdown; it is wrapped, so Nest calls this. */
  beforeApplicationShutdown(): Promise<void> {
    return this.shared.beforeApplicationShutdown();
  }

  private async handOver(): Promise<void> {
    const counts = this.local.drain();
    if (counts.length === 0) return;
    try {
      await this.shared.add(counts);
      this.logger.log(`${counts.length} quota windows counted during the Redis outage added to the shared counts`);
    } catch (error) {
      this.availability.unavailable(error as Error);
      throw new Error(`the quota counts of the outage could not be added to Redis: ${(error as Error).message}`);
    }
  }
}

/**
 * The detector's counts in Redis while it answers, in this process while it does not. Windows
 * counted here during an outage stay here (they last minutes; the calls that fill them are rare),
 * and a query spike is judged again once the connection has a per-instance baseline.
 */
export class FailoverWindowStore implements WindowStore {
  /** Connections restored while Redis was away: their shared counts are forgotten when it is back. */
  private readonly toForget = new Set<string>();

  constructor(
    private readonly shared: WindowStore,
    private readonly local: WindowStore,
    private readonly availability: RedisAvailability,
  ) {
    availability.onResume(async () => {
      for (const prefix of this.toForget) {
        await this.shared.forget(prefix);
        this.toForget.delete(prefix);
      }
    });
  }

  private use<T>(operation: (store: WindowStore) => Promise<T>): Promise<T> {
    if (!this.availability.shared) return operation(this.local);
    return operation(this.shared).catch((error: Error) => {
      this.availability.unavailable(error);
      return operation(this.local);
    });
  }

  record(...args: Parameters<WindowStore['record']>) {
    return this.use((store) => store.record(...args));
  }

  countCalls(...args: Parameters<WindowStore['countCalls']>) {
    return this.use((store) => store.countCalls(...args));
  }

  counts(keys: string[]) {
    return this.use((store) => store.counts(keys));
  }

  recent(recentKey: string) {
    return this.use((store) => store.recent(recentKey));
  }

  /** Both: counts of either kind may hold the calls that tripped a connection now restored. */
  async forget(prefix: string): Promise<void> {
    await this.local.forget(prefix);
    if (!this.availability.shared) {
      this.toForget.add(prefix);
      return;
    }
    await this.shared.forget(prefix).catch((error: Error) => {
      this.toForget.add(prefix);
      this.availability.unavailable(error);
    });
  }
}
