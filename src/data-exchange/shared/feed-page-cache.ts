import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

/** A pull page as sent, with the change-feed watermark of the snapshot it was built from. */
export interface CachedPage {
  watermark: string;
  body: Buffer;
}

/** Memory the cache may hold; pages of 100 records are about 80 KB, so several hundred fit. */
const MAX_BYTES = 64 * 1024 * 1024;

/**
 * Pull pages already served, keyed by the exact query (SQL text and parameters, hence data set,
 * environment, readable units, filters, cursor, limit and "today" of the deadline signal).
 *
 * Why a cached page is never stale: every write, update and revocation takes a new `change_seq`,
 * and writers of a data set commit in `change_seq` order (pull-cursor.ts). So while the highest
 * committed `change_seq` of the data set and environment (the watermark) is the one a page was
 * built under, that page is exactly what the query would return now. RecordStore checks the
 * watermark (one index lookup) on every request before reusing a page, on every instance.
 *
 * Why it exists: building a page is most of a pull's cost (PostgreSQL serialising 100 records,
 * then the text decoded and re-encoded in Node), and consumers poll the same page (the head of
 * their feed) over and over.
 */
@Injectable()
export class FeedPageCache {
  private readonly pages = new LRUCache<string, CachedPage>({
    maxSize: MAX_BYTES,
    sizeCalculation: (page, key) => page.body.length + key.length * 2,
  });

  get(key: string): CachedPage | undefined {
    return this.pages.get(key);
  }

  set(key: string, page: CachedPage): void {
    if (page.body.length < MAX_BYTES / 16) this.pages.set(key, page);
  }
}
