import { GatewayHarness, taskResult } from './support/gateway-harness.js';
import { resetDatabase } from './support/test-database.js';

const MOF = 'Bộ Tài chính';
const WRITERS = 16;
const WRITES_EACH = 25;

type Caller = Awaited<ReturnType<GatewayHarness['as']>>;
type Row = { taskCode: string; updatedAt: string; version: number };

/** PostgreSQL keeps microseconds; Date.parse would drop them and make the poller re-read or skip. */
function micros(timestamp: string): bigint {
  const fraction = (/\.(\d+)/.exec(timestamp)?.[1] ?? '').padEnd(6, '0');
  return BigInt(Date.parse(timestamp.replace(/\.\d+/, ''))) * 1000n + BigInt(fraction);
}

/**
 * Issue 14, point 6: a poller that follows `updatedSince` (passing the greatest `updatedAt` it has
 * seen, as a consumer naturally does) must never miss a row, also while many writers commit at
 * once. With `updated_at` taken at the start of the transaction, before the change-feed lock
 * wait, a writer that started first but committed after another carried the earlier time, and
 * the poller, already past it, never saw that row.
 */
describe('change feed: updatedSince under concurrent writers', () => {
  let harness: GatewayHarness;
  let writers: Caller[];
  let poller: Caller;

  beforeAll(async () => {
    await resetDatabase();
    harness = await GatewayHarness.start();
    writers = await Promise.all(Array.from({ length: 4 }, () => harness.connection({ unit: MOF }).then((c) => harness.as(c))));
    poller = await harness.as(await harness.connection({ unit: MOF, scope: { directions: ['pull'] } }));
  });
  afterAll(() => harness.stop());

  it('misses no row written while it polls', async () => {
    const written = new Set<string>();
    const seen = new Set<string>();
    let since = '2000-01-01T00:00:00Z';
    let writing = true;

    /** One poll: every page since `since`, then `since` moves to the greatest updatedAt seen. */
    const poll = async () => {
      let cursor: string | null = null;
      let newest = since;
      do {
        const query: string = `/api/v1/task-results?limit=500&updatedSince=${encodeURIComponent(since)}${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await poller.get(query).expect(200);
        for (const row of page.body.items as Row[]) {
          seen.add(row.taskCode);
          if (micros(row.updatedAt) > micros(newest)) newest = row.updatedAt;
        }
        cursor = page.body.nextCursor;
      } while (cursor);
      since = newest;
    };

    const pollerLoop = (async () => {
      while (writing) await poll();
    })();
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        for (let i = 0; i < WRITES_EACH; i++) {
          const code = `FEED-${w}-${i}`;
          await writers[w % writers.length].put(`/api/v1/task-results/${code}`).send(taskResult(code, MOF)).expect(201);
          written.add(code);
        }
      }),
    );
    writing = false;
    await pollerLoop;
    await poll();

    const missed = [...written].filter((code) => !seen.has(code));
    expect(missed).toEqual([]);
    expect(seen.size).toBe(WRITERS * WRITES_EACH);
  }, 180_000);

  it('refuses a cursor beyond the largest bigint with 400, not 500', async () => {
    for (const seq of ['9223372036854775808', '9999999999999999999']) {
      const cursor = Buffer.from(`v2:${seq}`).toString('base64url');
      const response = await poller.get(`/api/v1/task-results?cursor=${cursor}`).expect(400);
      expect(response.body.details).toEqual([{ field: 'cursor', problem: 'is not a cursor this gateway returned' }]);
    }
    const largest = Buffer.from('v2:9223372036854775807').toString('base64url');
    expect((await poller.get(`/api/v1/task-results?cursor=${largest}`).expect(200)).body.items).toEqual([]);
  });
});
