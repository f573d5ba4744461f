import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { appliedQuotas, type ConnectionScope } from '../../connections/connection-scope.js';
import { GatewayConfig } from '../../shared/config/gateway-config.js';
import { QUOTA_STORAGE, type QuotaStorage } from './quota-storage.js';
import { RedisConnection } from '../redis/redis-connection.js';

export type CallKind = 'read' | 'write';

export interface QuotaWindow {
  name: 'minute' | 'day';
  limit: number;
  ttlMs: number;
}

/** What the headers say: the window closest to refusing the caller. */
export interface QuotaVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window frees capacity again. */
  resetSeconds: number;
  window: QuotaWindow['name'];
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 3600 * 1000;

/**
 * Counts calls against quotas in a QuotaStorage (quota-storage.ts): Redis when REDIS_URL is
 * set (one count for every instance), this process otherwise. Windows are fixed, starting with a
 * key's first call; a key over its limit is refused until its window ends, and Retry-After says
 * exactly when that is.
 *
 * A Redis outage neither stops the data plane nor opens it: the storage then counts in this
 * process (failover-stores.ts). Only a failure of that too lets the call through (logged).
 */
@Injectable()
export class QuotaService implements OnModuleInit {
  private readonly logger = new Logger('Quotas');
  private lastFailure = 0;
  private readonly windowsOfScope = new WeakMap<ConnectionScope, Record<CallKind, QuotaWindow[]>>();

  constructor(
    @Inject(QUOTA_STORAGE) private readonly storage: QuotaStorage,
    private readonly config: GatewayConfig,
    private readonly redis: RedisConnection,
  ) {}

  onModuleInit(): void {
    if (!this.redis.enabled) {
      this.logger.warn(
        'REDIS_URL is not set: quota and anomaly counts are kept per gateway instance. With several instances, each one allows ' +
          'the full quota and sees only its share of the calls; set REDIS_URL to share the counts.',
      );
    }
  }

  /** A data-plane call's kind: GET (and HEAD) reads, everything else writes. */
  static kindOf(method: string): CallKind {
    return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
  }

  /**
   * The connection's windows for a kind of call: its agreement's quotas, else the defaults. Kept
   * per scope object (a remembered principal's scope is one object) for the storage's grouping.
   */
  windowsFor(scope: ConnectionScope, kind: CallKind): QuotaWindow[] {
    let windows = this.windowsOfScope.get(scope);
    if (!windows) this.windowsOfScope.set(scope, (windows = { read: this.agreedWindows(scope, 'read'), write: this.agreedWindows(scope, 'write') }));
    return windows[kind];
  }

  private agreedWindows(scope: ConnectionScope, kind: CallKind): QuotaWindow[] {
    const q = appliedQuotas(scope.quotas, this.config);
    return kind === 'read'
      ? [
          { name: 'minute', limit: q.readsPerMinute, ttlMs: MINUTE_MS },
          { name: 'day', limit: q.readsPerDay, ttlMs: DAY_MS },
        ]
      : [
          { name: 'minute', limit: q.writesPerMinute, ttlMs: MINUTE_MS },
          { name: 'day', limit: q.writesPerDay, ttlMs: DAY_MS },
        ];
  }

  tokenWindows(): QuotaWindow[] {
    return [{ name: 'minute', limit: this.config.QUOTA_TOKEN_REQUESTS_PER_MINUTE, ttlMs: MINUTE_MS }];
  }

  /**
   * Counts one call under `subject` in every window, shortest first, and stops at the first
   * that refuses (a call refused by the minute window does not use up the day's quota).
   * Null when nothing could count it.
   */
  async consume(subject: string, windows: QuotaWindow[]): Promise<QuotaVerdict | null> {
    let tightest: QuotaVerdict | null = null;
    try {
      const records = await this.storage.incrementEach(this.redis.key('quota', subject), windows);
      for (const [n, record] of records.entries()) {
        const window = windows[n];
        if (record.isBlocked) {
          return { allowed: false, limit: window.limit, remaining: 0, resetSeconds: Math.max(1, record.timeToBlockExpire), window: window.name };
        }
        const verdict: QuotaVerdict = {
          allowed: true,
          limit: window.limit,
          remaining: Math.max(0, window.limit - record.totalHits),
          resetSeconds: Math.max(0, record.timeToExpire),
          window: window.name,
        };
        if (!tightest || verdict.remaining < tightest.remaining) tightest = verdict;
      }
      return tightest;
    } catch (error) {
      if (Date.now() - this.lastFailure > 10_000) {
        this.lastFailure = Date.now();
        this.logger.error(`Quota storage unavailable, calls are not counted: ${(error as Error).message}`);
      }
      return null;
    }
  }
}
