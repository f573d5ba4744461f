import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { GatewayConfig } from '../../shared/config/gateway-config.js';

/** A pull page as sent, with the latest committed change number of the snapshot it was built from. */
export interface CachedPage {
  latestChange: string;
  body: Buffer;
}

/**
 * Pull pages already served, keyed by the exact query (SQL text and parameters, hence data set,
 * environment, readable units, filters, cursor, limit and "today" of the deadline signal).
 *
 * Why a cached page is never stale: a page reads only rows up to the feed's horizon, all of them
 * final (change-feed-writers.ts), and it is kept only when every row committed at that moment was
 * at or below the horizon (none held back behind a writer still in flight). Every later write,
 * update or revocation then commits a `change_seq` above the latest one the page saw (a number at
 * or below the horizon can no longer appear). So while the latest committed `change_seq` of the
 * data set and environment is the one the page was built under, the page is exactly what the query
 * would return now. RecordStore checks it (one index lookup) on every request before reusing a
 * page, on every instance.
 *
 * Why it exists: building a page is most of a pull's cost (PostgreSQL serialising 100 records,
 * then the text decoded and re-encoded in Node), and consumers poll the same page (the head of
 * their feed) over and over.
 */
@Injectable()
export class FeedPageCache {
  /** Memory it may hold (PULL_PAGE_CACHE_MB): pages of 100 records are about 80 KB, so at 64 MB several hundred fit. */
  private readonly maxBytes: number;
  private readonly pages: LRUCache<string, CachedPage> | null;

  constructor(config: GatewayConfig) {
    this.maxBytes = config.PULL_PAGE_CACHE_MB * 1024 * 1024;
    this.pages = this.maxBytes > 0 ? new LRUCache({ maxSize: this.maxBytes, sizeCalculation: (page, key) => page.body.buffer.byteLength + key.length * 2 }) : null;
  }

  get(key: string): CachedPage | undefined {
    return this.pages?.get(key);
  }

  /** A body may be a view of a larger allocation (page-body.ts): the whole allocation is what the cache holds. */
  set(key: string, page: CachedPage): void {
    if (this.pages && page.body.length < this.maxBytes / 16) this.pages.set(key, page);
  }
}
