import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { journalPath, readJournalTail } from '../src/audit/checkpoints/audit-checkpoint-journal.js';
import { AuditCheckpointService } from '../src/audit/checkpoints/audit-checkpoint.service.js';
import { APPEND_COLUMN_NAMES, AUDIT_CHAIN_LOCK, AuditService, appendedRow, chainedFields } from '../src/audit/chain/audit.service.js';
import type { AuditExport } from '../src/audit/archive/audit-export.js';
import { resolveRange, verifyStoredLog } from '../src/audit/archive/audit-log-reader.js';
import { AuditSigningKey, trustedKeys } from '../src/audit/checkpoints/audit-signing-key.js';
import { PreparedStatement } from '../src/shared/database/prepared-statement.js';
import { AUDIT_COMMANDS, AuditVerificationFailed, runAuditCommandOffline } from '../src/cli/audit-commands.js';
import { GatewayHarness, TestClient } from './support/gateway-harness.js';
import { waitFor } from './support/security-helpers.js';
import { resetDatabase, sql, testDatabaseUrl } from './support/test-database.js';


/** Real timers, kept before any test fakes them. */
const realSetTimeout = globalThis.setTimeout;

/** Waits until some session is waiting for an advisory lock (an append waiting for the chain lock). */
async function waitForLockWaiter(): Promise<void> {
  for (let n = 0; n < 200; n++) {
    if ((await sql(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).length > 0) return;
    await new Promise((r) => realSetTimeout(r, 20));
  }
  throw new Error('the append never waited for the chain lock');
}

/**
 * Records every statement sent through a query runner of `db` (the chain lock's own session) into
 * the returned list, until `restore()`.
 */
function recordRunnerQueries(db: DataSource): { queries: Array<{ text: string; params: unknown[] }>; restore: () => void } {
  const queries: Array<{ text: string; params: unknown[] }> = [];
  const createQueryRunner = db.createQueryRunner.bind(db);
  const spy = jest.spyOn(db, 'createQueryRunner').mockImplementation((...args) => {
    const runner = createQueryRunner(...args);
    const query = runner.query.bind(runner);
    runner.query = (text: string, params?: unknown[]) => (queries.push({ text, params: params ?? [] }), query(text, params));
    return runner;
  });
  return { queries, restore: () => spy.mockRestore() };
}

/** One made-up data-plane entry, recorded through `audit`; its path names it. */
const probeEntry = (audit: AuditService, name: string) => audit.record({
  occurredAt: new Date(), requestId: randomUUID(), plane: 'data', environment: 'test', connectionId: null,
  certificateThumbprint: null, sourceAddress: '127.0.0.1', method: 'GET', path: `/probe/${name}`, statusCode: 200,
  errorCode: null, durationMs: 1,
});

describe('audit log: one chain across instances, export and offline verification', () => {
  let a: GatewayHarness;
  let b: GatewayHarness;
  let client: TestClient;
  let db: DataSource;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-export-'));
  const lines: string[] = [];
  const print = (line: string) => lines.push(line);

  beforeAll(async () => {
    await resetDatabase();
    a = await GatewayHarness.start();
    // A second instance on the same database, sharing the signing key through DATA_DIR.
    b = await GatewayHarness.start({ DATA_DIR: a.config.DATA_DIR });
    for (const h of [a, b]) h.app.get(AuditCheckpointService).stopPeriodicSealing();
    db = a.app.get(DataSource);
    client = await a.connection({ unit: 'Bộ Tài chính' });
  });
  afterAll(async () => {
    await b.stop();
    await a.stop();
  });
  beforeEach(() => lines.splice(0));

  async function flood(count: number): Promise<string[]> {
    const [onA, onB] = await Promise.all([a.as(client), b.as(client)]);
    const responses = await Promise.all(Array.from({ length: count }, (_, i) => (i % 2 ? onA : onB).get(`/api/v1/task-results?limit=${(i % 50) + 1}`)));
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
    return responses.map((r) => r.headers['x-request-id']);
  }

  const exportTo = async (name: string, ...range: string[]) => {
    const file = path.join(dir, name);
    await AUDIT_COMMANDS['audit:export'].run(a.operator, ['--out', file, ...range], print);
    return file;
  };
  const verifyFile = (file: string, ...args: string[]) => runAuditCommandOffline('audit:verify', ['--file', file, ...args], print)!;

  it('a flood of concurrent calls on two instances yields one gapless chain that verifies', async () => {
    const ids = await flood(160);
    const rows = await sql<{ seq: string; request_id: string }>(`SELECT seq, request_id FROM audit_entries ORDER BY seq`);
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    expect(rows.map((r) => r.request_id)).toEqual(expect.arrayContaining(ids));
    expect(rows).toHaveLength(162); // and the two token requests
    // Time-ordered ids (src/shared/http/request-id.ts): appends stay at the right edge of the request_id index.
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    // Both instances seal at once: the checkpoint lock lets one range be sealed once.
    await flood(40);
    const sealed = (await Promise.all([a, b].map((h) => h.app.get(AuditCheckpointService).seal()))).flat();
    const ranges = sealed.map((c) => [Number(c.firstSeq), Number(c.lastSeq)]).sort((x, y) => x[0] - y[0]);
    expect(ranges[0][0]).toBe(1);
    ranges.slice(1).forEach(([first], i) => expect(first).toBe(ranges[i][1] + 1));
    expect(ranges[ranges.length - 1][1]).toBe(204);
    // Both journal into the same file (shared DATA_DIR), at once: each checkpoint once.
    const journalled = readJournalTail(journalPath(a.config), null).checkpoints.map((c) => c.lastSeq);
    expect(journalled.at(-1)).toBe('204');
    expect(new Set(journalled).size).toBe(journalled.length);

    const keys = trustedKeys([a.app.get(AuditCheckpointService).signingKey().publicKey]);
    const report = await verifyStoredLog(db, await resolveRange(db), keys);
    expect(report).toMatchObject({ ok: true, entriesChecked: 204, sealedThroughSeq: '204', unsealedEntries: 0 });
  });

  it('audit:verify checks the database and exits non-zero at the first mismatch', async () => {
    await AUDIT_COMMANDS['audit:verify'].run(a.operator, [], print);
    expect(lines).toContain('OK: the hash chain and every checkpoint verify');
    const [{ seq }] = await sql<{ seq: string }>(`SELECT max(seq) AS seq FROM audit_entries`);
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    await client.query('SET session_replication_role = replica');
    await client.query(`INSERT INTO audit_entries (seq, occurred_at, request_id, plane, source_address, method, path, status_code, outcome, duration_ms, prev_hash, entry_hash)
      VALUES ($1, now(), gen_random_uuid(), 'data', '10.0.0.1', 'GET', '/forged', 200, 'success', 1, $2, $2)`, [Number(seq) + 1, 'e'.repeat(64)]);
    await client.end();
    const failed = AUDIT_COMMANDS['audit:verify'].run(a.operator, [], print);
    await expect(failed).rejects.toThrow(AuditVerificationFailed);
    await expect(failed).rejects.toThrow(`at seq ${Number(seq) + 1}`);
    expect(lines.some((l) => l.startsWith(`FAILED: 2 problem(s); the first at seq ${Number(seq) + 1}`))).toBe(true);
  });

  it('exports a time range as whole checkpoints that verify offline, anchored by the checkpoint before', async () => {
    await resetDatabase();
    client = await a.connection({ unit: 'Bộ Tài chính' });
    const seal = () => a.app.get(AuditCheckpointService).seal();
    await flood(10);
    // Entries are stamped to the millisecond: each checkpoint's entries start in a later one.
    const nextMillisecond = async () => {
      const stamped = Date.now();
      while (Date.now() <= stamped) await new Promise((r) => setImmediate(r));
    };
    await seal();
    await nextMillisecond();
    await flood(10);
    const [middle] = await seal();
    await nextMillisecond();
    await flood(10);
    await seal();
    await flood(3);

    const within = new Date(Date.parse(middle.periodStart) + 1).toISOString();
    const file = await exportTo('middle.json', '--from', within, '--to', within);
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as AuditExport;
    expect([data.startSeq, data.endSeq]).toEqual([middle.firstSeq, middle.lastSeq]);
    expect(data.checkpoints.map((c) => c.lastSeq)).toEqual([String(Number(middle.firstSeq) - 1), middle.lastSeq]);
    await verifyFile(file);
    expect(lines).toContain('OK: the hash chain and every checkpoint verify');
    expect(lines.join('\n')).not.toContain('nothing trusted precedes');

    const whole = await exportTo('whole.json');
    await verifyFile(whole);
    expect(lines).toContain('5 entries after the last checkpoint: chained, not yet sealed'); // 3 pulls, 2 tokens
  });

  it('an edited export fails offline, naming the entry; a pinned foreign key fails every checkpoint', async () => {
    const file = await exportTo('edited.json');
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as AuditExport;
    data.entries[4].statusCode = 500;
    fs.writeFileSync(file, JSON.stringify(data));
    await expect(verifyFile(file)).rejects.toThrow(`at seq ${data.entries[4].seq}: entry seq ${data.entries[4].seq} (row ${data.entries[4].id}) does not match its entry_hash`);

    const pristine = await exportTo('pristine.json');
    const own = path.join(dir, 'gateway.pub.pem');
    fs.writeFileSync(own, AuditSigningKey.loadOrCreate(a.config).publicKeyPem());
    await verifyFile(pristine, '--public-key', own);
    const foreign = path.join(dir, 'foreign.pub.pem');
    fs.writeFileSync(foreign, AuditSigningKey.generate().publicKeyPem());
    await expect(verifyFile(pristine, '--public-key', foreign)).rejects.toThrow(/not a trusted audit signing key/);
  });

  it('appends a group in one statement while the chain head is its own, and under the chain lock while another instance writes', async () => {
    const probe = (h: GatewayHarness, name: string) => probeEntry(h.app.get(AuditService), name);
    // Whatever a last saw, it now holds the head; the second append finds it where a left it, so
    // a knows that no other instance is writing (the flood above had b writing too).
    await probe(a, 'settle');
    await probe(a, 'settled');
    // Statements reach PostgreSQL as prepared statements (the usual append) or through a query
    // runner (the chain lock's session): both are counted.
    const prepared = jest.spyOn(PreparedStatement.prototype, 'rows');
    const { queries: lockedWith, restore: restoreRunners } = recordRunnerQueries(db);
    const appendCalls = () =>
      [...prepared.mock.contexts.map((statement) => (statement as PreparedStatement<unknown>).text), ...lockedWith.map((q) => q.text)].filter((text) =>
        text.includes('audit_entries_append_rows'),
      ).length;
    const takesChainLock = () => lockedWith.some(({ params }) => params.includes(AUDIT_CHAIN_LOCK));
    try {
      await Promise.all(['one', 'two', 'three'].map((n) => probe(a, n)));
      await probe(a, 'four');
      expect([appendCalls(), takesChainLock()]).toEqual([2, false]);

      await probe(b, 'elsewhere'); // a's head is stale now
      prepared.mockClear();
      lockedWith.length = 0;
      await probe(a, 'after');
      // Refused on the stale head, then rehashed and appended on a connection holding the chain lock.
      expect([appendCalls(), takesChainLock()]).toEqual([2, true]);

      // While the other instance keeps writing, a takes the lock first: no append bound to be refused.
      await probe(b, 'again');
      const next = async (name: string) => {
        prepared.mockClear();
        lockedWith.length = 0;
        await probe(a, name);
        return [appendCalls(), takesChainLock()];
      };
      expect(await next('contended')).toEqual([1, true]);
      // That locked append found b's entry after a's own: the next one takes the lock first too,
      // and finds the head where a left it.
      expect(await next('quiet')).toEqual([1, true]);
      // Nobody else is writing: one statement, no lock, as before.
      expect(await next('alone')).toEqual([1, false]);
    } finally {
      prepared.mockRestore();
      restoreRunners();
    }
    const rows = await sql<{ seq: string; path: string }>(`SELECT seq, path FROM audit_entries WHERE path LIKE '/probe/%' ORDER BY seq`);
    // In the order record() was called (a group keeps it), one link each.
    expect(rows.map((r) => r.path)).toEqual(['settle', 'settled', 'one', 'two', 'three', 'four', 'elsewhere', 'after', 'again', 'contended', 'quiet', 'alone'].map((n) => `/probe/${n}`));
    const keys = trustedKeys([a.app.get(AuditCheckpointService).signingKey().publicKey]);
    expect(await verifyStoredLog(db, await resolveRange(db), keys)).toMatchObject({ ok: true });
  });

  it('a gateway that stops seals the entries it wrote since the last checkpoint', async () => {
    const stopping = await GatewayHarness.start({ DATA_DIR: a.config.DATA_DIR });
    const checkpoints = stopping.app.get(AuditCheckpointService);
    checkpoints.stopPeriodicSealing();
    checkpoints.enableSealAtShutdown(); // as main.ts does
    await checkpoints.seal();
    const pulls = await stopping.as(client);
    for (const limit of [1, 2, 3]) expect((await pulls.get(`/api/v1/task-results?limit=${limit}`)).status).toBe(200);
    const keys = trustedKeys([checkpoints.signingKey().publicKey]);
    expect((await verifyStoredLog(db, await resolveRange(db), keys)).unsealedEntries).toBeGreaterThanOrEqual(3);

    await stopping.stop();
    expect(await verifyStoredLog(db, await resolveRange(db), keys)).toMatchObject({ ok: true, unsealedEntries: 0 });
  });

  it('sends entries that queued behind an append at once: none waits for company longer than the flush delay', async () => {
    // The writer's delay runs on setTimeout and performance.now(), faked here: the test moves them
    // instead of sleeping past the delay. Database I/O, setImmediate and the polling below stay real.
    const writer = new AuditService(db, Object.assign(Object.create(a.config), { AUDIT_FLUSH_DELAY_MS: 1000 }));
    const lock = new pg.Client({ connectionString: testDatabaseUrl() });
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [AUDIT_CHAIN_LOCK]);
    let released = false;
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'queueMicrotask', 'hrtime', 'Date', 'setInterval', 'clearInterval'] });
    try {
      const first = probeEntry(writer, 'first');
      expect(jest.getTimerCount()).toBe(1); // alone: it waits the delay for company
      jest.advanceTimersByTime(1000); // then goes, and waits for the chain lock
      await waitForLockWaiter();
      const behind = probeEntry(writer, 'behind'); // queues behind that append
      jest.advanceTimersByTime(1000); // by now it has waited the whole delay
      await lock.query('SELECT pg_advisory_unlock($1)', [AUDIT_CHAIN_LOCK]);
      released = true;
      await first;
      // Written without another delay: a second wait would be a fake timer nobody moves, and hang here.
      const outcome = await Promise.race([behind.then(() => 'written'), new Promise((r) => realSetTimeout(() => r('still waiting'), 5000))]);
      expect(outcome).toBe('written');
    } finally {
      jest.useRealTimers();
      if (!released) await lock.query('SELECT pg_advisory_unlock($1)', [AUDIT_CHAIN_LOCK]);
      await lock.end();
    }
  });

  it('takes the entries that queued while an append waited for the chain lock into that append', async () => {
    const writer = new AuditService(db, Object.assign(Object.create(a.config), { AUDIT_FLUSH_DELAY_MS: 0 }));
    const lock = new pg.Client({ connectionString: testDatabaseUrl() });
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [AUDIT_CHAIN_LOCK]); // another instance appending
    const runnerQueries = recordRunnerQueries(db);
    const appends = () =>
      runnerQueries.queries.filter(({ text }) => text.includes('audit_entries_append_rows')).map(({ params }) => (JSON.parse(String(params[2])) as unknown[]).length);
    let released = false;
    try {
      // A new writer takes the chain lock for its first append (it has not read the head yet).
      const first = probeEntry(writer, 'waits for the lock');
      await waitForLockWaiter();
      const queued = ['queued 1', 'queued 2', 'queued 3'].map((name) => probeEntry(writer, name));
      await lock.query('SELECT pg_advisory_unlock($1)', [AUDIT_CHAIN_LOCK]);
      released = true;
      await Promise.all([first, ...queued]);
      expect(appends()).toEqual([4]); // one append of all four, not 1 then 3 after a second wait
    } finally {
      runnerQueries.restore();
      if (!released) await lock.query('SELECT pg_advisory_unlock($1)', [AUDIT_CHAIN_LOCK]);
      await lock.end();
    }
    const rows = await sql<{ path: string }>(`SELECT path FROM audit_entries WHERE path LIKE '/probe/%queue%' OR path LIKE '/probe/waits%' ORDER BY seq`);
    expect(rows.map((r) => r.path)).toEqual(['waits for the lock', 'queued 1', 'queued 2', 'queued 3'].map((n) => `/probe/${n}`));
    const keys = trustedKeys([a.app.get(AuditCheckpointService).signingKey().publicKey]);
    expect(await verifyStoredLog(db, await resolveRange(db), keys)).toMatchObject({ ok: true });
  });

  it('journals, on each instance, the checkpoints every instance sealed', async () => {
    // Same signing key as a (shared DATA_DIR), a journal of its own.
    const own = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'journal-')), 'audit-checkpoints.jsonl');
    const c = await GatewayHarness.start({ DATA_DIR: a.config.DATA_DIR, AUDIT_CHECKPOINT_JOURNAL: own });
    try {
      const checkpoints = c.app.get(AuditCheckpointService);
      checkpoints.stopPeriodicSealing();
      await probeEntry(a.app.get(AuditService), 'before c');
      await checkpoints.seal(); // a new journal starts at the newest checkpoint
      const first = readJournalTail(own, null).checkpoints;
      expect(first).toHaveLength(1);

      const sealedByA: string[] = [];
      for (const n of [1, 2]) {
        await probeEntry(a.app.get(AuditService), `sealed by a ${n}`);
        sealedByA.push(...(await a.app.get(AuditCheckpointService).seal()).map((cp) => cp.lastSeq));
      }
      expect(await checkpoints.seal()).toEqual([]); // nothing left for c to seal, but two to journal
      expect(readJournalTail(own, null).checkpoints.map((cp) => cp.lastSeq)).toEqual([first[0].lastSeq, ...sealedByA]);
      expect(journalPath(c.config)).toBe(own);
    } finally {
      await c.stop();
    }
  });

  it('has the append function read every value the writer sends, in its order and with its column\'s type', async () => {
    const [{ definition }] = await sql<{ definition: string }>(`SELECT pg_get_functiondef('audit_entries_append_rows'::regproc) AS definition`);
    const inserted = /INSERT INTO audit_entries \(([^)]*)\)/.exec(definition)![1].split(',').map((c) => c.trim());
    expect(inserted).toEqual(APPEND_COLUMN_NAMES);
    const casts = [...definition.matchAll(/\(e ->> (\d+)\)::([a-z ]+(?:\(\d+\))?)/g)].map(([, index, type]) => ({ index: Number(index), type: type.trim() }));
    const types = await sql<{ name: string; type: string }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'audit_entries'::regclass AND attnum > 0 AND NOT attisdropped`);
    const typeOf = new Map(types.map((t) => [t.name, t.type]));
    // Text is read as text: the INSERT's own assignment checks a varchar(n)/char(n) column's length.
    const castOf = (type: string) => (/^(character|text)/.test(type) ? 'text' : type);
    expect(casts).toEqual(APPEND_COLUMN_NAMES.map((name, index) => ({ index, type: castOf(typeOf.get(name)!) })));
    const row = appendedRow({ seq: '1', ...chainedFields({
      occurredAt: new Date(), requestId: randomUUID(), plane: 'data', environment: 'test', connectionId: null, certificateThumbprint: null,
      sourceAddress: '127.0.0.1', method: 'GET', path: '/', statusCode: 200, errorCode: null, durationMs: 1,
    }) }, 'p'.repeat(64), 'e'.repeat(64));
    expect(row).toHaveLength(29);
    expect(row.slice(-2)).toEqual(['p'.repeat(64), 'e'.repeat(64)]);
  });

  it('has the append function refuse an over-long value rather than store it cut (its hash covers the whole value)', async () => {
    const [head] = await sql<{ seq: string; entry_hash: string }>(`SELECT seq::text, entry_hash FROM audit_chain_head(false)`);
    const row = appendedRow({ seq: String(BigInt(head.seq) + 1n), ...chainedFields({
      occurredAt: new Date(), requestId: randomUUID(), plane: 'data', environment: 'test', connectionId: null, certificateThumbprint: null,
      sourceAddress: '127.0.0.1', method: 'GET', path: '/too-long', statusCode: 200, errorCode: null, durationMs: 1,
    }) }, head.entry_hash, 'e'.repeat(64));
    row[APPEND_COLUMN_NAMES.indexOf('environment')] = 'x'.repeat(17); // varchar(16)
    await expect(sql(`SELECT audit_entries_append_rows($1, $2, $3::jsonb)`, [head.seq, head.entry_hash, JSON.stringify([row])])).rejects.toThrow(/value too long/);
    expect(await sql(`SELECT 1 FROM audit_entries WHERE path = '/too-long'`)).toEqual([]);
  });
});
