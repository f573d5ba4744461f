import { GatewayHarness, TestClient, taskResult } from './support/gateway-harness.js';
import { resetDatabase, sql } from './support/test-database.js';

const MOF = 'Bộ Tài chính';
const MOJ = 'Bộ Tư pháp';

type Caller = Awaited<ReturnType<GatewayHarness['as']>>;

describe('task results: push, pull, revoke', () => {
  let harness: GatewayHarness;
  let mof: Caller;
  let moj: Caller;
  let mofClient: TestClient;

  beforeAll(async () => {
    await resetDatabase();
    harness = await GatewayHarness.start({ DUE_SOON_DAYS: '10' });
    mofClient = await harness.connection({ unit: MOF, scope: { classifiedClearance: 'CONFIDENTIAL' } });
    mof = await harness.as(mofClient);
    moj = await harness.as(await harness.connection({ unit: MOJ }));
  });
  afterAll(() => harness.stop());

  describe('PUT one', () => {
    it('creates, then reports unchanged and updated, with ETags', async () => {
      const created = await mof.put('/api/v1/task-results/T-PUT-1').send(taskResult('T-PUT-1', MOF)).expect(201);
      expect(created.headers.etag).toBe('"1"');
      expect(created.body).toMatchObject({ taskCode: 'T-PUT-1', leadUnit: MOF, priority: 2, version: 1, deadlineStatus: 'ON_TIME', deadlineColor: 'GREEN' });

      const same = await mof.put('/api/v1/task-results/T-PUT-1').send(taskResult('T-PUT-1', MOF)).expect(200);
      expect(same.headers.etag).toBe('"1"');

      const { taskCode: _omitted, ...withoutCode } = taskResult('T-PUT-1', MOF, { result: 'COMPLETED', completedAt: '2026-06-01' });
      const updated = await mof.put('/api/v1/task-results/T-PUT-1').send(withoutCode).expect(200);
      expect(updated.headers.etag).toBe('"2"');
      expect(updated.body).toMatchObject({ result: 'COMPLETED', completedAt: '2026-06-01', version: 2 });
    });

    it('takes If-Match: * to mean "only if the record exists"', async () => {
      const missing = await mof.put('/api/v1/task-results/T-STAR').set('If-Match', '*').send(taskResult('T-STAR', MOF)).expect(409);
      expect(missing.body).toMatchObject({ code: 'STALE_VERSION', message: expect.stringContaining('existing record') });
      await mof.get('/api/v1/task-results/T-STAR').expect(404);
      await mof.put('/api/v1/task-results/T-STAR').send(taskResult('T-STAR', MOF)).expect(201);
      await mof.put('/api/v1/task-results/T-STAR').set('If-Match', '*').send(taskResult('T-STAR', MOF, { priority: 1 })).expect(200);
      await mof.delete('/api/v1/task-results/T-STAR').set('If-Match', '*').expect(200);
      await mof.delete('/api/v1/task-results/T-STAR').set('If-Match', '*').expect(409);
    });

    it('refuses a stale If-Match with 409 and accepts the current one', async () => {
      await mof.put('/api/v1/task-results/T-IFM').send(taskResult('T-IFM', MOF)).expect(201);
      const stale = await mof.put('/api/v1/task-results/T-IFM').set('If-Match', '"7"').send(taskResult('T-IFM', MOF, { priority: 1 })).expect(409);
      expect(stale.body).toMatchObject({ statusCode: 409, code: 'STALE_VERSION' });
      await mof.put('/api/v1/task-results/T-IFM').set('If-Match', '"1"').send(taskResult('T-IFM', MOF, { priority: 1 })).expect(200);
    });

    it.each([
      ['priority outside 1-5', { priority: 6 }, 'priority', 'must not be greater than 5'],
      ['priority 0', { priority: 0 }, 'priority', 'must not be less than 1'],
      ['a result outside its set', { result: 'DONE' }, 'result', 'must be one of COMPLETED, IN_PROGRESS, NOT_STARTED'],
      ['an impossible date', { dueDate: '2026-02-30' }, 'dueDate', 'must be a real calendar date'],
      ['a completion date without COMPLETED', { completedAt: '2026-05-01' }, 'completedAt', 'must be absent when result is IN_PROGRESS'],
      ['COMPLETED without completion date', { result: 'COMPLETED' }, 'completedAt', 'is required when result is COMPLETED'],
      ['an unknown field', { colour: 'red' }, 'colour', 'should not exist'],
      ['an unknown field named like a built-in', { toString: 'x' }, 'toString', 'should not exist'],
      ['a due date before assignment', { dueDate: '2025-01-01' }, 'dueDate', 'must not be before assignedAt'],
      ['a completion date in the future', { result: 'COMPLETED', completedAt: '2099-01-01' }, 'completedAt', 'must not be in the future'],
    ])('refuses %s with 400 naming the field', async (_label, change, field, problem) => {
      const response = await mof.put('/api/v1/task-results/T-BAD').send(taskResult('T-BAD', MOF, change)).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', requestId: expect.any(String) });
      expect(response.body.details).toContainEqual({ field, problem: expect.stringContaining(problem) });
      await mof.get('/api/v1/task-results/T-BAD').expect(404);
    });

    it('refuses a raw body on a JSON route at once, without reading it as data', async () => {
      const response = await mof.put('/api/v1/task-results/T-RAW').set('Content-Type', 'application/octet-stream').send(Buffer.alloc(200_000, 1)).expect(415);
      expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('answers a push sent as a form or as text 415, not as an attack: three such mistakes leave the connection live', async () => {
      const careless = await harness.connection({ unit: MOF, name: 'forgot the Content-Type' });
      const caller = await harness.as(careless);
      const json = JSON.stringify(taskResult('T-FORM', MOF));
      for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'text/plain; charset=utf-8']) {
        const response = await caller.put('/api/v1/task-results/T-FORM').set('Content-Type', type).send(json).expect(415);
        expect(response.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('application/json'), requestId: response.headers['x-request-id'] });
      }
      await harness.detectorSettled();
      // Still live: the same body as JSON is taken.
      await caller.put('/api/v1/task-results/T-FORM').set('Content-Type', 'application/json').send(json).expect(201);
    });

    it('answers a PUT to a connection that may write a unit but not read it', async () => {
      const writer = await harness.as(await harness.connection({ unit: MOF, scope: { readUnits: [], directions: ['push'] } }));
      const created = await writer.put('/api/v1/task-results/T-WRITE-ONLY').send(taskResult('T-WRITE-ONLY', MOF)).expect(201);
      expect(created.body.taskCode).toBe('T-WRITE-ONLY');
      await writer.delete('/api/v1/task-results/T-WRITE-ONLY').expect(200);
    });

    it('refuses malformed JSON with the one error shape', async () => {
      const response = await mof.put('/api/v1/task-results/T-JSON').set('Content-Type', 'application/json').send('{"taskName": ').expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, code: 'MALFORMED_BODY', requestId: response.headers['x-request-id'] });
    });

    it('refuses a body whose taskCode contradicts the path', async () => {
      const response = await mof.put('/api/v1/task-results/T-A').send(taskResult('T-B', MOF)).expect(400);
      expect(response.body.details[0].field).toBe('taskCode');
    });

    it('refuses with 403 a push for a unit outside the write scope, and logs the refusal', async () => {
      const response = await mof.put('/api/v1/task-results/T-MOJ').send(taskResult('T-MOJ', MOJ)).expect(403);
      expect(response.body.code).toBe('OUTSIDE_WRITE_SCOPE');
      const [entry] = await sql(`SELECT status_code, error_code FROM audit_entries WHERE request_id = $1`, [response.body.requestId]);
      expect(entry).toEqual({ status_code: 403, error_code: 'OUTSIDE_WRITE_SCOPE' });
    });

    it('refuses to let another unit overwrite a record it does not own', async () => {
      await mof.put('/api/v1/task-results/T-OWNED').send(taskResult('T-OWNED', MOF)).expect(201);
      const taken = await moj.put('/api/v1/task-results/T-OWNED').send(taskResult('T-OWNED', MOJ)).expect(403);
      // It learns that it may not write the key, not who owns the record.
      expect(taken.body.message).toContain('may not write');
      expect(taken.body.message).not.toContain(MOF);
      expect((await mof.get('/api/v1/task-results/T-OWNED').expect(200)).body.leadUnit).toBe(MOF);
    });
  });

  describe('classified records (III.1.d)', () => {
    it('refuses a classified task carrying a description or evidence, saying why', async () => {
      const response = await mof
        .put('/api/v1/task-results/T-SECRET')
        .send(taskResult('T-SECRET', MOF, { classification: 'SECRET', description: 'chi tiết', proposals: 'x' }))
        .expect(400);
      expect(response.body.details).toEqual(
        expect.arrayContaining([
          { field: 'description', problem: expect.stringContaining('classified records carry only their status') },
          { field: 'proposals', problem: expect.stringContaining('classified') },
        ]),
      );
    });

    it('stores a classified task with only its status, and never returns restricted fields', async () => {
      const { description: _d, ...bare } = taskResult('T-CONF', MOF, { classification: 'CONFIDENTIAL' });
      const stored = await mof.put('/api/v1/task-results/T-CONF').send(bare).expect(201);
      for (const field of ['description', 'difficulties', 'proposals', 'attachments']) expect(stored.body).not.toHaveProperty(field);
      const pulled = await mof.get('/api/v1/task-results?taskGroupCode=57_N02&limit=500').expect(200);
      const item = pulled.body.items.find((i: { taskCode: string }) => i.taskCode === 'T-CONF');
      expect(item).toMatchObject({ classification: 'CONFIDENTIAL', result: 'IN_PROGRESS' });
      expect(item).not.toHaveProperty('description');
    });
  });

  describe('batch', () => {
    it('accepts the good items and rejects the bad ones, each with its outcome', async () => {
      await mof.put('/api/v1/task-results/B-EXISTING').send(taskResult('B-EXISTING', MOF)).expect(201);
      await mof.put('/api/v1/task-results/B-SAME').send(taskResult('B-SAME', MOF)).expect(201);
      const response = await mof
        .post('/api/v1/task-results/batch')
        .send({
          items: [
            taskResult('B-NEW', MOF),
            taskResult('B-EXISTING', MOF, { priority: 1 }),
            taskResult('B-SAME', MOF),
            taskResult('B-BAD', MOF, { priority: 9, extra: true }),
            taskResult('B-MOJ', MOJ),
            { taskName: 'no code' },
            'not an object',
            taskResult('B-NEW', MOF),
          ],
        })
        .expect(200);
      expect(response.body.items.map((i: { key: string; status: string }) => [i.key, i.status])).toEqual([
        ['B-NEW', 'created'],
        ['B-EXISTING', 'updated'],
        ['B-SAME', 'unchanged'],
        ['B-BAD', 'rejected'],
        ['B-MOJ', 'rejected'],
        ['#5', 'rejected'],
        ['#6', 'rejected'],
        ['B-NEW', 'rejected'],
      ]);
      expect(response.body.summary).toEqual({ created: 1, updated: 1, unchanged: 1, rejected: 5 });
      expect(response.body.items[3].errors).toEqual(
        expect.arrayContaining([{ field: 'priority', problem: 'must not be greater than 5' }, { field: 'extra', problem: 'should not exist' }]),
      );
      expect(response.body.items[4].errors[0].field).toBe('leadUnit');
      expect(response.body.items[7].errors[0].problem).toContain('more than once');
      await mof.get('/api/v1/task-results/B-NEW').expect(200);
      await mof.get('/api/v1/task-results/B-BAD').expect(404);
    });

    it('rejects only the item that carries an attack pattern', async () => {
      const response = await mof
        .post('/api/v1/task-results/batch')
        .send({ items: [taskResult('SCR-1', MOF), taskResult('SCR-2', MOF, { taskGroupCode: '<script>alert(1)</script>' }), taskResult('SCR-3', MOF)] })
        .expect(200);
      expect(response.body.items.map((i: { status: string }) => i.status)).toEqual(['created', 'rejected', 'created']);
      expect(response.body.items[1].errors[0]).toEqual({ field: 'taskGroupCode', problem: 'matches a xss signature' });
    });

    it('names a batch item\'s missing key beside its other problems, and a value of the wrong type by its type alone', async () => {
      const { taskCode: _code, ...keyless } = taskResult('NO-KEY', MOF, { priority: '1' });
      const response = await mof.post('/api/v1/task-results/batch').send({ items: [keyless] }).expect(200);
      expect(response.body.items[0].status).toBe('rejected');
      expect(response.body.items[0].errors).toEqual([
        { field: 'taskCode', problem: 'is required' },
        { field: 'priority', problem: 'must be an integer number' },
      ]);
    });

    it('refuses a batch envelope with a member besides items, naming it, and writes none of the items', async () => {
      const response = await mof.post('/api/v1/task-results/batch').send({ items: [taskResult('DRY-1', MOF)], dryRun: true }).expect(400);
      expect(response.body.details).toEqual([{ field: 'dryRun', problem: 'should not exist' }]);
      await mof.get('/api/v1/task-results/DRY-1').expect(404);
    });

    it('refuses more than 1,000 items with 413 and writes none of them', async () => {
      const items = Array.from({ length: 1001 }, (_, n) => taskResult(`OVER-${n}`, MOF));
      const response = await mof.post('/api/v1/task-results/batch').send({ items }).expect(413);
      expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await sql(`SELECT 1 FROM task_results WHERE task_code LIKE 'OVER-%'`)).toHaveLength(0);
    });

    it('writes 1,000 items in one call', async () => {
      const items = Array.from({ length: 1000 }, (_, n) => taskResult(`K-${n}`, MOF));
      const response = await mof.post('/api/v1/task-results/batch').send({ items }).expect(200);
      expect(response.body.summary.created).toBe(1000);
    });
  });

  describe('deadline signal (III.1.đ)', () => {
    it('classifies on time, due soon, overdue and completed late, and filters by it', async () => {
      const today = new Date();
      const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
      const items = [
        taskResult('D-ONTIME', MOF, { taskGroupCode: 'DL', dueDate: day(60) }),
        taskResult('D-SOON', MOF, { taskGroupCode: 'DL', dueDate: day(5) }),
        taskResult('D-LATE', MOF, { taskGroupCode: 'DL', assignedAt: day(-90), dueDate: day(-3) }),
        taskResult('D-DONELATE', MOF, { taskGroupCode: 'DL', assignedAt: day(-90), dueDate: day(-30), result: 'COMPLETED', completedAt: day(-20) }),
        taskResult('D-DONE', MOF, { taskGroupCode: 'DL', assignedAt: day(-90), dueDate: day(-30), result: 'COMPLETED', completedAt: day(-40) }),
      ];
      await mof.post('/api/v1/task-results/batch').send({ items }).expect(200);
      const all = await mof.get('/api/v1/task-results?taskGroupCode=DL').expect(200);
      const status = Object.fromEntries(all.body.items.map((i: { taskCode: string; deadlineStatus: string; deadlineColor: string }) => [i.taskCode, `${i.deadlineStatus}/${i.deadlineColor}`]));
      expect(status).toEqual({
        'D-ONTIME': 'ON_TIME/GREEN',
        'D-SOON': 'DUE_SOON/YELLOW',
        'D-LATE': 'OVERDUE/RED',
        'D-DONELATE': 'COMPLETED_LATE/RED',
        'D-DONE': 'ON_TIME/GREEN',
      });
      const overdue = await mof.get('/api/v1/task-results?taskGroupCode=DL&deadlineStatus=OVERDUE').expect(200);
      expect(overdue.body.items.map((i: { taskCode: string }) => i.taskCode)).toEqual(['D-LATE']);
      const bad = await mof.get('/api/v1/task-results?deadlineStatus=LATE').expect(400);
      expect(bad.body.details[0].field).toBe('deadlineStatus');
    });
  });

  describe('pull', () => {
    it('pages with a cursor that neither skips nor repeats while writes go on', async () => {
      const group = 'PAGING';
      await mof.post('/api/v1/task-results/batch').send({ items: Array.from({ length: 250 }, (_, n) => taskResult(`P-${n}`, MOF, { taskGroupCode: group })) }).expect(200);
      const seen: string[] = [];
      let cursor: string | null = null;
      let writes = 0;
      do {
        const page: { body: { items: Array<{ taskCode: string }>; nextCursor: string | null } } = await mof
          .get(`/api/v1/task-results?taskGroupCode=${group}&limit=40${cursor ? `&cursor=${cursor}` : ''}`)
          .expect(200);
        seen.push(...page.body.items.map((i) => i.taskCode));
        cursor = page.body.nextCursor;
        // Concurrent writers: new records arrive while the consumer pages.
        await mof.put(`/api/v1/task-results/P-NEW-${writes}`).send(taskResult(`P-NEW-${writes}`, MOF, { taskGroupCode: group })).expect(201);
        writes++;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      for (let n = 0; n < 250; n++) expect(seen).toContain(`P-${n}`);
      for (let n = 0; n < writes - 1; n++) expect(seen).toContain(`P-NEW-${n}`);
    });

    it('misses nothing while concurrent writers commit out of order', async () => {
      const group = 'CONCURRENT';
      const writers = Array.from({ length: 4 }, (_, w) =>
        (async () => {
          for (let n = 0; n < 15; n++) {
            const items = [taskResult(`C-${w}-${n}-a`, MOF, { taskGroupCode: group }), taskResult(`C-${w}-${n}-b`, MOF, { taskGroupCode: group })];
            await mof.post('/api/v1/task-results/batch').send({ items }).expect(200);
          }
        })(),
      );
      let done = false;
      const finished = Promise.all(writers).then(() => (done = true));
      const seen: string[] = [];
      let cursor = '';
      for (let rounds = 0; rounds < 500; rounds++) {
        const wasDone = done;
        const page = await mof.get(`/api/v1/task-results?taskGroupCode=${group}&limit=7${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
        seen.push(...page.body.items.map((i: { taskCode: string }) => i.taskCode));
        cursor = page.body.resumeCursor;
        if (wasDone && page.body.nextCursor === null) break;
      }
      await finished;
      expect(seen).toHaveLength(4 * 15 * 2);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('returns only later changes from a resume cursor', async () => {
      const first = await mof.get('/api/v1/task-results?limit=500&taskGroupCode=RESUME').expect(200);
      expect(first.body.items).toEqual([]);
      await mof.put('/api/v1/task-results/R-1').send(taskResult('R-1', MOF, { taskGroupCode: 'RESUME' })).expect(201);
      const next = await mof.get(`/api/v1/task-results?taskGroupCode=RESUME&cursor=${first.body.resumeCursor}`).expect(200);
      expect(next.body.items.map((i: { taskCode: string }) => i.taskCode)).toEqual(['R-1']);
    });

    it('resumes an empty pull from where the caller was, not from the start of the feed', async () => {
      await mof.put('/api/v1/task-results/E-1').send(taskResult('E-1', MOF, { taskGroupCode: 'EMPTY' })).expect(201);
      // Nothing changed since now: the page is empty, and resuming from it sends nothing already there.
      const since = new Date().toISOString();
      const empty = await mof.get(`/api/v1/task-results?updatedSince=${encodeURIComponent(since)}`).expect(200);
      expect(empty.body).toMatchObject({ items: [], nextCursor: null });
      const resumed = await mof.get(`/api/v1/task-results?cursor=${empty.body.resumeCursor}`).expect(200);
      expect(resumed.body.items).toEqual([]);
      // An empty page from a cursor leaves the caller where it was.
      expect(resumed.body.resumeCursor).toBe(empty.body.resumeCursor);
      const filtered = await mof.get('/api/v1/task-results?taskGroupCode=NO-SUCH-GROUP').expect(200);
      expect(filtered.body.items).toEqual([]);
      expect((await mof.get(`/api/v1/task-results?cursor=${filtered.body.resumeCursor}`).expect(200)).body.items).toEqual([]);

      // What changes afterwards still arrives, once: a new record and the withdrawal of an old one.
      await mof.put('/api/v1/task-results/E-2').send(taskResult('E-2', MOF, { taskGroupCode: 'EMPTY' })).expect(201);
      await mof.delete('/api/v1/task-results/E-1').expect(200);
      const later = await mof.get(`/api/v1/task-results?cursor=${resumed.body.resumeCursor}`).expect(200);
      expect(later.body.items.map((i: { taskCode: string; revoked?: boolean }) => `${i.taskCode}${i.revoked ? ' revoked' : ''}`)).toEqual(['E-2', 'E-1 revoked']);
      expect((await mof.get(`/api/v1/task-results?cursor=${later.body.resumeCursor}`).expect(200)).body.items).toEqual([]);
    });

    it('refuses a garbage cursor and a limit above 500', async () => {
      expect((await mof.get('/api/v1/task-results?cursor=garbage').expect(400)).body.details[0].field).toBe('cursor');
      expect((await mof.get(`/api/v1/task-results?cursor=${'A'.repeat(201)}`).expect(400)).body.details[0].field).toBe('cursor');
      expect((await mof.get('/api/v1/task-results?limit=501').expect(400)).body.details[0].field).toBe('limit');
      expect((await mof.get('/api/v1/task-results?sort=asc').expect(400)).body.details[0].field).toBe('sort');
    });

    it('shows a connection only what its agreement lets it read', async () => {
      await moj.put('/api/v1/task-results/MOJ-1').send(taskResult('MOJ-1', MOJ, { taskGroupCode: 'READ' })).expect(201);
      await mof.put('/api/v1/task-results/MOF-R').send(taskResult('MOF-R', MOF, { taskGroupCode: 'READ' })).expect(201);
      const mine = await mof.get('/api/v1/task-results?taskGroupCode=READ').expect(200);
      expect(mine.body.items.map((i: { taskCode: string }) => i.taskCode)).toEqual(['MOF-R']);
      await mof.get('/api/v1/task-results/MOJ-1').expect(404);
      const refused = await mof.get(`/api/v1/task-results?leadUnit=${encodeURIComponent(MOJ)}`).expect(403);
      expect(refused.body.code).toBe('OUTSIDE_READ_SCOPE');

      const overseer = await harness.as(await harness.connection({ unit: 'Văn phòng Trung ương Đảng', scope: { readUnits: ['*'], directions: ['pull'], writeUnits: [] } }));
      const everything = await overseer.get('/api/v1/task-results?taskGroupCode=READ').expect(200);
      expect(everything.body.items.map((i: { taskCode: string }) => i.taskCode).sort()).toEqual(['MOF-R', 'MOJ-1']);
      const noPush = await overseer.put('/api/v1/task-results/X').send(taskResult('X', MOJ)).expect(403);
      expect(noPush.body.code).toBe('OUTSIDE_AGREED_SCOPE');
    });

    it('refuses a connection whose agreement does not cover the data set', async () => {
      const kpiOnly = await harness.as(await harness.connection({ unit: MOF, scope: { dataSets: ['kpi-results'] } }));
      const response = await kpiOnly.get('/api/v1/task-results').expect(403);
      expect(response.body.code).toBe('OUTSIDE_AGREED_SCOPE');
    });
  });

  describe('revocation (II.2.d)', () => {
    it('withdraws a record: gone from reads, a tombstone in incremental pulls', async () => {
      const since = new Date(Date.now() - 60_000).toISOString();
      await mof.put('/api/v1/task-results/REV-1').send(taskResult('REV-1', MOF, { taskGroupCode: 'REV' })).expect(201);
      const before = await mof.get('/api/v1/task-results?taskGroupCode=REV').expect(200);
      expect(before.body.items.map((i: { taskCode: string }) => i.taskCode)).toEqual(['REV-1']);
      const revoked = await mof.delete('/api/v1/task-results/REV-1').expect(200);
      expect(revoked.body).toEqual({ taskCode: 'REV-1', revoked: true, revokedAt: expect.any(String) });
      expect((await mof.get('/api/v1/task-results/REV-1').expect(404)).body.code).toBe('RECORD_REVOKED');

      const full = await mof.get('/api/v1/task-results?taskGroupCode=REV').expect(200);
      expect(full.body.items).toEqual([]);
      const incremental = await mof.get(`/api/v1/task-results?taskGroupCode=REV&updatedSince=${encodeURIComponent(since)}`).expect(200);
      expect(incremental.body.items).toEqual([{ taskCode: 'REV-1', revoked: true, revokedAt: revoked.body.revokedAt }]);
      // A consumer following its cursor learns of the withdrawal of what it was sent.
      const fromCursor = await mof.get(`/api/v1/task-results?taskGroupCode=REV&cursor=${before.body.resumeCursor}`).expect(200);
      expect(fromCursor.body.items).toEqual([{ taskCode: 'REV-1', revoked: true, revokedAt: revoked.body.revokedAt }]);

      await moj.delete('/api/v1/task-results/REV-1').expect(404); // not MoJ's to see
      await mof.delete('/api/v1/task-results/NEVER').expect(404);
      await mof.put('/api/v1/task-results/REV-1').send(taskResult('REV-1', MOF, { taskGroupCode: 'REV' })).expect(200);
      await mof.get('/api/v1/task-results/REV-1').expect(200);
    });
  });
});

/**
 * Pull pages are kept in memory and reused (feed-page-cache.ts). Two instances stay up for the
 * whole block: @nestjs/passport registers its strategy on a process-wide singleton, so an instance
 * stopped mid-suite would leave the other authenticating through it.
 */
describe('task results: pulls on several instances', () => {
  let harness: GatewayHarness;
  let other: GatewayHarness;
  let mofClient: TestClient;
  let mof: Caller;

  beforeAll(async () => {
    await resetDatabase();
    harness = await GatewayHarness.start({ DUE_SOON_DAYS: '10' });
    other = await GatewayHarness.start({ DUE_SOON_DAYS: '10' });
    mofClient = await harness.connection({ unit: MOF });
    mof = await harness.as(mofClient);
  });
  afterAll(async () => {
    await other.stop();
    await harness.stop();
  });

  it('never answers a repeated pull with a page older than the last write, on any instance', async () => {
    const codes = (page: { body: { items: Array<{ taskCode: string; revoked?: boolean; version?: number }> } }) =>
      page.body.items.map((i) => `${i.taskCode}${i.revoked ? ' revoked' : ''} v${i.version ?? '-'}`);
    const path = '/api/v1/task-results?taskGroupCode=REUSE&limit=10';
    const incremental = `${path}&updatedSince=2000-01-01T00:00:00Z`;
    await mof.post('/api/v1/task-results/batch').send({ items: ['U-1', 'U-2'].map((c) => taskResult(c, MOF, { taskGroupCode: 'REUSE' })) }).expect(200);
    const first = await mof.get(path).expect(200);
    expect(codes(first)).toEqual(['U-1 v1', 'U-2 v1']);
    expect((await mof.get(path).expect(200)).text).toBe(first.text);

    await mof.put('/api/v1/task-results/U-1').send(taskResult('U-1', MOF, { taskGroupCode: 'REUSE', description: 'Đã sửa' })).expect(200);
    expect(codes(await mof.get(path).expect(200))).toEqual(['U-2 v1', 'U-1 v2']);
    await mof.delete('/api/v1/task-results/U-2').expect(200);
    expect(codes(await mof.get(path).expect(200))).toEqual(['U-1 v2']);
    expect(codes(await mof.get(incremental).expect(200))).toEqual(['U-1 v2', 'U-2 revoked v-']);

    // Another instance writes: this one holds the old pages in memory and must still not serve them.
    const mofElsewhere = await other.as(mofClient);
    await mofElsewhere.put('/api/v1/task-results/U-3').send(taskResult('U-3', MOF, { taskGroupCode: 'REUSE' })).expect(201);
    await mofElsewhere.put('/api/v1/task-results/U-2').send(taskResult('U-2', MOF, { taskGroupCode: 'REUSE' })).expect(200);
    expect(codes(await mof.get(path).expect(200))).toEqual(['U-1 v2', 'U-3 v1', 'U-2 v3']);
    expect(codes(await mof.get(incremental).expect(200))).toEqual(['U-1 v2', 'U-3 v1', 'U-2 v3']);
  });
});
