import pg from 'pg';
import type { IncomingMessage } from 'node:http';
import tls from 'node:tls';
import { AUDIT_CHAIN_LOCK, AuditService } from '../src/audit/chain/audit.service.js';
import { AuditCheckpointService } from '../src/audit/checkpoints/audit-checkpoint.service.js';
import { ConnectionSuspensionService } from '../src/security/suspension/connection-suspension.service.js';
import { GatewayHarness, type TestClient } from './support/gateway-harness.js';
import { waitFor } from './support/security-helpers.js';
import { resetDatabase, sql, testDatabaseUrl } from './support/test-database.js';

/**
 * Regression test for 7080cda: a client that hangs up before its entry is written leaves no
 * source address (`request.ip` is undefined once the socket is gone and nothing read it before).
 * The entry must still be written, and must not take down the other entries of its group: they
 * share one INSERT, so one NOT NULL violation used to answer 503 to every caller in it.
 */
describe('audit log: a client that disconnects before its entry is written', () => {
  let harness: GatewayHarness;
  let audit: AuditService;

  beforeAll(async () => {
    await resetDatabase();
    harness = await GatewayHarness.start();
    harness.app.get(AuditCheckpointService).stopPeriodicSealing();
    audit = harness.app.get(AuditService);
  });
  afterAll(() => harness.stop());

  /**
   * Headers and the start of a body, then the socket is destroyed. The connection is suspended,
   * so the screening hook refuses to look further (it never reads the address) and the body
   * parser is what meets the hang-up; Fastify still answers, and the audit hook runs.
   */
  async function hangUpMidBody(client: TestClient): Promise<void> {
    const url = new URL(harness.baseUrl);
    const socket = tls.connect({ host: url.hostname, port: Number(url.port), ca: harness.caPem, cert: client.certPem, key: client.keyPem });
    await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    // The client goes once the server has the request and its body parser has started to read it.
    const reading = new Promise<IncomingMessage>((resolve) => harness.app.getHttpServer().once('request', resolve)).then((request) =>
      waitFor(async () => request.readableFlowing !== null, 3000, 1),
    );
    socket.write('POST /api/v1/task-results/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"items":[');
    await reading;
    socket.destroy();
  }

  it('records it with a placeholder address, and the rest of its group is written and answered', async () => {
    const live = await harness.as(await harness.connection({ unit: 'Bộ Tài chính' }));
    const leaving = await harness.connection({ unit: 'Bộ Công Thương', name: 'leaving' });
    await harness.app.get(ConnectionSuspensionService).suspend(leaving.connectionId, 'MANUAL_CUT_OFF', 'test');

    // Hold the chain lock, so that a first call's flush waits for it and everything after queues
    // into the next group: the hang-up and two ordinary pulls share one INSERT.
    const lock = new pg.Client({ connectionString: testDatabaseUrl() });
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [AUDIT_CHAIN_LOCK]);
    let released = false;
    try {
      const first = live.get('/api/v1/task-results?limit=1').then((r) => r);
      await waitFor(async () => (await sql(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).length > 0);
      await hangUpMidBody(leaving);
      const pulls = [live.get('/api/v1/task-results?limit=2').then((r) => r), live.get('/api/v1/task-results?limit=3').then((r) => r)];
      // The queue is private; peeking at its length is the only way to know all three are in.
      await waitFor(async () => (audit as unknown as { queue: unknown[] }).queue.length === 3);
      await lock.query('SELECT pg_advisory_unlock($1)', [AUDIT_CHAIN_LOCK]);
      released = true;

      expect((await first).status).toBe(200);
      const answered = await Promise.all(pulls);
      expect(answered.map((r) => r.status)).toEqual([200, 200]);

      const rows = await sql<{ seq: string; request_id: string; source_address: string; method: string; path: string }>(
        `SELECT seq, request_id, source_address, method, path FROM audit_entries ORDER BY seq`);
      const hungUp = rows.filter((r) => r.method === 'POST' && r.path === '/api/v1/task-results/batch');
      expect(hungUp).toHaveLength(1);
      expect(hungUp[0].source_address).toBe('unknown (client disconnected)');
      for (const pull of answered) {
        const row = rows.find((r) => r.request_id === pull.headers['x-request-id']);
        expect(row?.source_address).toMatch(/127\.0\.0\.1/);
      }
      expect(rows.every((r) => r.source_address !== null)).toBe(true);
    } finally {
      if (!released) await lock.query('SELECT pg_advisory_unlock($1)', [AUDIT_CHAIN_LOCK]);
      await lock.end();
    }
  });
});
