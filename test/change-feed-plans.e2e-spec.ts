import { DataSource } from 'typeorm';
import { GatewayHarness, taskResult } from './support/gateway-harness.js';
import { resetDatabase } from './support/test-database.js';

const MOF = 'Bộ Tài chính';

/**
 * A consumer syncing history sends the same page statement with a new position each time. With the
 * position's value in sight, PostgreSQL found a plan for each position cheaper than the generic
 * one and planned the statement again for most pages (a third of its CPU per page in
 * `npm run bench:pull`). change-feed-pages.ts hides the bounds from the planner; this holds it to
 * the generic plan. One pooled connection, so the statements this test reads are the ones the
 * pulls prepared.
 */
describe('change feed: page statements keep their generic plan', () => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    await resetDatabase();
    harness = await GatewayHarness.start({ DATABASE_POOL_SIZE: '1', PULL_PAGE_CACHE_MB: '0' });
  });
  afterAll(() => harness.stop());

  it('plans a page statement at most five times, however many positions it is sent with', async () => {
    const writer = await harness.as(await harness.connection({ unit: MOF }));
    await writer.put('/api/v1/task-results/PLAN-0').send(taskResult('PLAN-0', MOF)).expect(201);
    // A history the size issue 19 names, copied from that record in SQL (the API's way would take
    // minutes): the choice between plans turns on the table's size.
    const db = harness.app.get(DataSource);
    const columns: Array<{ name: string }> = await db.query(
      `SELECT column_name AS name FROM information_schema.columns
        WHERE table_name = 'task_results' AND column_name NOT IN ('task_code', 'change_seq', 'view_json')`,
    );
    const list = columns.map((c) => `"${c.name}"`).join(', ');
    await db.query(
      `INSERT INTO task_results (${list}, task_code, change_seq)
       SELECT ${list}, 'PLAN-' || g, nextval('task_results_change_seq') FROM task_results t, generate_series(1, 100000) g WHERE t.task_code = 'PLAN-0'`,
    );
    await db.query('ANALYZE task_results'); // as autovacuum would have, so that the costs are real ones

    const reader = await harness.as(await harness.connection({ unit: MOF, scope: { directions: ['pull'] } }));
    let cursor: string | null = (await reader.get('/api/v1/task-results?limit=100').expect(200)).body.nextCursor;
    let pages = 0;
    for (; cursor && pages < 30; pages++) {
      const body = (await reader.get(`/api/v1/task-results?limit=100&cursor=${encodeURIComponent(cursor)}`).expect(200)).body;
      expect(body.items).toHaveLength(100);
      cursor = body.nextCursor;
    }
    expect(pages).toBe(30);

    const [plans] = await db.query(
      `SELECT sum(generic_plans)::int AS generic, sum(custom_plans)::int AS custom
         FROM pg_prepared_statements WHERE name LIKE 'task_results_page_%' AND statement LIKE '%change_seq >%'
          AND statement NOT LIKE '%NOT revoked%'`,
    );
    expect(plans).toEqual({ generic: expect.any(Number), custom: expect.any(Number) });
    expect(plans.custom).toBeLessThanOrEqual(5);
    expect(plans.generic).toBeGreaterThanOrEqual(25);
  });
});
