import { DataSource } from 'typeorm';
import { joinChangeFeedWriters } from '../src/data-exchange/shared/change-feed-writers.js';
import { TASK_RESULT_SCHEMA } from '../src/data-exchange/task-results/task-result.schema.js';
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

  it('reads no further than a writer still in flight, so a row it commits later is not passed by', async () => {
    // The feed's end: an empty first page leaves its consumer there.
    const start = (await poller.get('/api/v1/task-results?taskGroupCode=NO-SUCH-GROUP').expect(200)).body.resumeCursor as string;
    const feed = () => poller.get(`/api/v1/task-results?cursor=${start}`).expect(200);
    // A writer that has announced itself and taken its change number, and has not committed yet:
    // what a slow batch looks like to the others (writers no longer wait for one another).
    const slow = harness.app.get(DataSource).createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    try {
      await joinChangeFeedWriters(slow.manager, TASK_RESULT_SCHEMA);
      await slow.query(`SELECT nextval('task_results_change_seq')`);
      // A later writer commits, with a higher number.
      await writers[0].put('/api/v1/task-results/FEED-AFTER').send(taskResult('FEED-AFTER', MOF)).expect(201);
      // Its row waits behind the slow writer's: a reader handed it now would move past the slow
      // writer's number, and never see that row once it committed.
      const held = await feed();
      expect(held.body.items).toEqual([]);
      expect(held.body.resumeCursor).toBe(start);
    } finally {
      await slow.rollbackTransaction();
      await slow.release();
    }
    // The slow writer is gone (rolled back): the row is there.
    expect((await feed()).body.items.map((r: Row) => r.taskCode)).toEqual(['FEED-AFTER']);
  });

  it('misses no row whose write began before an earlier-numbered row but committed behind a slower writer', async () => {
    // What a loaded machine does to three writers (seen once in a full parallel run, as FEED-8-0
    // missed above): B's write statement starts (its updatedAt) and is held before it takes its
    // change number; meanwhile A writes and commits (a later updatedAt, a lower number); S announces
    // itself (its floor: A's number) and stays in flight; B takes a number above S's floor and
    // commits. The horizon stops at A. A poller handed A alone would move updatedSince past B's
    // earlier updatedAt and never see B.
    const since = new Date(Date.now() - 60_000).toISOString();
    await writers[0].put('/api/v1/task-results/STAMP-TEMPLATE').send(taskResult('STAMP-TEMPLATE', MOF)).expect(201);
    const db = harness.app.get(DataSource);
    const [b, s] = [db.createQueryRunner(), db.createQueryRunner()];
    await Promise.all([b.connect(), s.connect()]);
    try {
      await b.startTransaction();
      await joinChangeFeedWriters(b.manager, TASK_RESULT_SCHEMA);
      // B's statement: stamped when it starts, its number taken after the sleep (the FROM clause runs first).
      const bWrite = b.query(
        `INSERT INTO task_results SELECT * FROM jsonb_populate_record(NULL::task_results,
           (SELECT to_jsonb(t) || jsonb_build_object('task_code', 'STAMP-B', 'updated_at', statement_timestamp(), 'change_seq', nextval('task_results_change_seq'))
              FROM task_results t, pg_sleep(1.5) WHERE t.task_code = 'STAMP-TEMPLATE'))`,
      );
      await new Promise((r) => setTimeout(r, 300));
      await writers[1].put('/api/v1/task-results/STAMP-A').send(taskResult('STAMP-A', MOF)).expect(201);
      await s.startTransaction();
      await joinChangeFeedWriters(s.manager, TASK_RESULT_SCHEMA);
      await bWrite;
      await b.commitTransaction();
      const stamps = await db.query(`SELECT task_code, updated_at < (SELECT updated_at FROM task_results WHERE task_code = 'STAMP-A') AS earlier FROM task_results WHERE task_code = 'STAMP-B'`);
      expect(stamps).toEqual([{ task_code: 'STAMP-B', earlier: true }]); // the interleaving happened

      // The poller, as a consumer does: every page, then updatedSince := the greatest updatedAt seen.
      const seen = new Set<string>();
      let newest = since;
      const poll = async () => {
        const page = await poller.get(`/api/v1/task-results?limit=500&updatedSince=${encodeURIComponent(newest)}`).expect(200);
        for (const row of page.body.items as Row[]) {
          seen.add(row.taskCode);
          if (micros(row.updatedAt) > micros(newest)) newest = row.updatedAt;
        }
      };
      await poll(); // S still in flight
      await s.rollbackTransaction();
      await poll();
      expect([...seen].filter((c) => c.startsWith('STAMP-')).sort()).toEqual(['STAMP-A', 'STAMP-B', 'STAMP-TEMPLATE']);
    } finally {
      for (const runner of [b, s]) {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
    }
  });

  it('lets two batches of the same new records, sent in opposite orders at once, both land', async () => {
    // Writers run side by side now: without one insertion order, each would hold a key the other
    // needs and PostgreSQL would end one of them as a deadlock.
    for (let round = 0; round < 3; round++) {
      const codes = Array.from({ length: 200 }, (_, i) => `CROSS-${round}-${String(i).padStart(3, '0')}`);
      const [forward, backward] = await Promise.all([
        writers[1].post('/api/v1/task-results/batch').send({ items: codes.map((c) => taskResult(c, MOF)) }),
        writers[2].post('/api/v1/task-results/batch').send({ items: [...codes].reverse().map((c) => taskResult(c, MOF, { priority: 1 })) }),
      ]);
      expect([forward.status, backward.status]).toEqual([200, 200]);
      const statuses = [...forward.body.items, ...backward.body.items].map((i: { status: string }) => i.status);
      expect(statuses.filter((s) => s === 'created')).toHaveLength(200);
      expect(statuses.filter((s) => s === 'updated')).toHaveLength(200);
    }
  });

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
