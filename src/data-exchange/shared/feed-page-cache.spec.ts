import type { GatewayConfig } from '../../shared/config/gateway-config.js';
import { FeedPageCache } from './feed-page-cache.js';

describe('FeedPageCache', () => {
  const page = { latestChange: '7', body: Buffer.from('{"items":[]}') };
  const cache = (mb: number) => new FeedPageCache({ PULL_PAGE_CACHE_MB: mb } as GatewayConfig);

  it('keeps pages up to PULL_PAGE_CACHE_MB', () => {
    const pages = cache(1);
    pages.set('a', page);
    expect(pages.get('a')).toBe(page);
    pages.set('big', { latestChange: '8', body: Buffer.alloc(1024 * 1024 / 16) }); // over a sixteenth of it: not kept
    expect(pages.get('big')).toBeUndefined();
  });

  it('keeps nothing with PULL_PAGE_CACHE_MB=0: every page is built', () => {
    const pages = cache(0);
    pages.set('a', page);
    expect(pages.get('a')).toBeUndefined();
  });
});
