import jwt from 'jsonwebtoken';
import { signingKeyFor } from '../src/shared/config/signing-keys.js';
import { GatewayHarness, TestClient, taskResult } from './support/gateway-harness.js';
import { connectionState, incidentsOf, redisEnv, sha256, waitFor, waitUntilSuspended, WebhookReceiver } from './support/security-helpers.js';
import { sql } from './support/test-database.js';

const UNIT = 'Bộ Khoa học và Công nghệ';

/**
 * Each detector signal suspends the connection at once, opens a DETECTOR incident whose evidence
 * (hashed) lists the calls that tripped it, and queues an alert that reaches the webhook through
 * retries. Counting goes through Redis, as with several gateway instances.
 */
describe('security: the anomaly detector suspends a misbehaving connection', () => {
  let harness: GatewayHarness;
  /** Spike detection on 1-second buckets against the previous 2 (the other signals at their defaults). */
  let spikeHarness: GatewayHarness;
  let webhook: WebhookReceiver;

  beforeAll(async () => {
    webhook = await WebhookReceiver.start(2);
    harness = await GatewayHarness.start({
      ...redisEnv(),
      SECURITY_ALERT_WEBHOOK_URL: webhook.url,
      ALERT_RETRY_BASE_MS: '50',
      ALERT_POLL_INTERVAL_MS: '50',
      ANOMALY_AUTH_FAILURES: '3',
      ANOMALY_UNKNOWN_PATHS: '4',
      ANOMALY_ATTACK_PROBES: '2',
      ANOMALY_SCOPE_REFUSALS: '3',
      ANOMALY_QUOTA_REFUSALS: '3',
      ANOMALY_SPIKE_FACTOR: '0',
    });
    spikeHarness = await GatewayHarness.start({
      ...redisEnv(),
      SECURITY_ALERT_WEBHOOK_URL: webhook.url,
      ALERT_RETRY_BASE_MS: '50',
      ALERT_POLL_INTERVAL_MS: '50',
      ANOMALY_SPIKE_BUCKET_SECONDS: '1',
      ANOMALY_SPIKE_BASELINE_BUCKETS: '2',
      ANOMALY_SPIKE_FACTOR: '3',
      ANOMALY_SPIKE_MIN_REQUESTS: '8',
    });
  });
  afterAll(async () => {
    await harness.stop();
    await spikeHarness.stop();
    await webhook.stop();
  });

  /** The incident of a detector trip, with its evidence intact and its alert delivered after retries. */
  async function expectDetectorIncident(client: TestClient, reason: string, requestIds: string[]) {
    const state = await waitUntilSuspended(client.connectionId);
    expect(state.suspension_reason).toBe(reason);
    const [found, ...more] = await waitFor(async () => ((await incidentsOf(client.connectionId)).length ? incidentsOf(client.connectionId) : null));
    expect(more).toEqual([]);
    expect(found.incident).toMatchObject({ source: 'DETECTOR', reason_code: reason, severity: null, opened_by: 'detector' });
    expect(found.evidence).toHaveLength(1);
    const [evidence] = found.evidence;
    expect(evidence.sha256).toBe(sha256(evidence.content));
    const content = JSON.parse(evidence.content);
    const calls = content.calls ?? content.latestCalls;
    for (const id of requestIds) expect(calls.map((c: { requestId: string }) => c.requestId)).toContain(id);
    expect(calls[0]).toMatchObject({ method: expect.any(String), path: expect.any(String), sourceAddress: expect.stringContaining('127.0.0.1'), at: expect.any(String) });
    expect(found.alerts).toHaveLength(1);
    const alertId = found.alerts[0].id;
    const delivered = await waitFor(async () => webhook.received.find((r) => r.body.alertId === alertId), 5000);
    expect(delivered.idempotencyKey).toBe(alertId);
    expect(delivered.body).toMatchObject({ kind: 'INCIDENT_OPENED', incident: { id: found.incident.id, connectionId: client.connectionId, reasonCode: reason, source: 'DETECTOR' }, evidenceSha256: evidence.sha256 });
    expect(webhook.attemptsFor(alertId)).toBe(3);
    const [row] = await waitFor(async () => {
      const rows = await sql(`SELECT * FROM security_alerts WHERE id = $1 AND delivered_at IS NOT NULL`, [alertId]);
      return rows.length ? rows : null;
    });
    expect(row).toMatchObject({ attempts: 3, last_error: null });
    return found;
  }

  /**
   * Once suspended, neither the old token nor a new one works: at once on this instance, or at
   * the latest when a credential status read while the suspension was committing expires (1 s).
   */
  async function expectCutOff(client: TestClient, bearer: string) {
    const call = await waitFor(async () => {
      const response = await harness.call(client, 'get', '/api/v1/task-results').set('Authorization', bearer);
      return response.status === 403 ? response : null;
    }, 1200, 100);
    expect(call.body.code).toBe('CONNECTION_SUSPENDED');
    await harness.call(client, 'post', '/api/v1/oauth/token').send({ grant_type: 'client_credentials' }).expect(403);
  }

  it('a call from a source address outside the agreement: suspended on the first call', async () => {
    const client = await harness.connection({ unit: UNIT, scope: { allowedSourceAddresses: ['10.20.0.0/16', '2001:db8::/32'] } });
    const refused = await harness.call(client, 'post', '/api/v1/oauth/token').send({ grant_type: 'client_credentials' }).expect(403);
    expect(refused.body).toMatchObject({ statusCode: 403, code: 'CONNECTION_SUSPENDED', message: expect.stringContaining('UNKNOWN_SOURCE_ADDRESS') });
    expect(refused.body.requestId).toBe(refused.headers['x-request-id']);
    const found = await expectDetectorIncident(client, 'UNKNOWN_SOURCE_ADDRESS', [refused.body.requestId]);
    expect(JSON.parse(found.evidence[0].content).calls[0].detail).toContain('not in the agreement');
  });

  it('a connection calling from an allowed address (CIDR or single address) is served', async () => {
    const client = await harness.connection({ unit: UNIT, scope: { allowedSourceAddresses: ['10.0.0.0/8', '127.0.0.0/8', '::1'] } });
    const caller = await harness.as(client);
    await caller.get('/api/v1/task-results').expect(200);
    expect((await connectionState(client.connectionId)).state).toBe('TESTING');
  });

  it('attack signatures in query or body: refused, and suspended at the threshold', async () => {
    const client = await harness.connection({ unit: UNIT });
    const caller = await harness.as(client);
    const first = await caller.get(`/api/v1/task-results?leadUnit=${encodeURIComponent("x' OR '1'='1")}`).expect(400);
    expect(first.body).toMatchObject({ code: 'SUSPICIOUS_INPUT', details: [{ field: 'leadUnit', problem: 'matches a sql-injection signature' }] });
    expect((await connectionState(client.connectionId)).state).toBe('TESTING');
    const second = await caller.put('/api/v1/task-results/XSS_1').send(taskResult('XSS_1', UNIT, { taskGroupCode: '<script>alert(document.cookie)</script>' })).expect(403);
    expect(second.body.code).toBe('CONNECTION_SUSPENDED');
    await expectDetectorIncident(client, 'ATTACK_SIGNATURE', [first.body.requestId, second.body.requestId]);
    expect(await sql(`SELECT 1 FROM task_results WHERE task_code = 'XSS_1'`)).toEqual([]);
    await expectCutOff(client, caller.bearer);
  });

  it('the evidence of an attack-signature trip holds what tripped it, truncated to 200 characters', async () => {
    const client = await harness.connection({ unit: UNIT });
    const caller = await harness.as(client);
    const longProbe = `G1') oR ('x'='x ${'ắ'.repeat(400)}`;
    const first = await caller.get(`/api/v1/task-results?taskGroupCode=${encodeURIComponent(longProbe)}`).expect(400);
    expect(first.body.details).toEqual([{ field: 'taskGroupCode', problem: 'matches a sql-injection signature' }]);
    const second = await caller.post('/api/v1/task-results/batch').send({ items: [taskResult('EVID_1', UNIT, { taskCode: "EVID_1';--" })] }).expect(403);
    expect(second.body.code).toBe('CONNECTION_SUSPENDED');
    const found = await expectDetectorIncident(client, 'ATTACK_SIGNATURE', [first.body.requestId, second.body.requestId]);
    const calls = JSON.parse(found.evidence[0].content).calls as Array<{ requestId: string; detail: string; input: string }>;
    const byId = new Map(calls.map((c) => [c.requestId, c]));
    expect(byId.get(first.body.requestId)).toMatchObject({ input: `${longProbe.slice(0, 200)}…`, detail: expect.stringContaining('query.taskGroupCode') });
    expect(byId.get(second.body.requestId)).toMatchObject({ input: "EVID_1';--", detail: expect.stringContaining('body.items[0].taskCode') });
  });

  it('legitimate government text in free-text fields is data: pushed 5 times within a minute, stored, nothing tripped', async () => {
    // spikeHarness keeps the attack-probe threshold at its default (3 in 60 s), as in the field.
    const client = await spikeHarness.connection({ unit: UNIT });
    const caller = await spikeHarness.as(client);
    const titles = ['Hướng dẫn về thẻ <script> và iframe trên Cổng thông tin điện tử', 'Thực hiện Kết luận ../../KL-TW về sắp xếp bộ máy'];
    for (let i = 0; i < 5; i++) {
      const title = titles[i % 2];
      await caller.put(`/api/v1/task-results/GOV_${i}`).send(taskResult(`GOV_${i}`, UNIT, { taskName: title, description: `${title}; xem <iframe> mục 2`, proposals: title })).expect(201);
    }
    const batch = await caller.post('/api/v1/task-results/batch').send({ items: titles.map((title, i) => taskResult(`GOV_B${i}`, UNIT, { taskName: title })) }).expect(200);
    expect(batch.body.summary).toMatchObject({ created: 2, rejected: 0 });
    await spikeHarness.detectorSettled();
    expect((await connectionState(client.connectionId)).state).toBe('TESTING');
    expect(await incidentsOf(client.connectionId)).toEqual([]);
    const stored = await sql<{ task_code: string; task_name: string }>(`SELECT task_code, task_name FROM task_results WHERE task_code LIKE 'GOV\\_%' ORDER BY task_code COLLATE "C"`);
    expect(stored.map((r) => r.task_name)).toEqual([titles[0], titles[1], titles[0], titles[1], titles[0], titles[0], titles[1]]);
    const read = await caller.get('/api/v1/task-results/GOV_0').expect(200);
    expect(read.body.taskName).toBe(titles[0]);
    expect(read.headers['content-type']).toMatch(/^application\/json/);
    expect(read.headers['x-content-type-options']).toBe('nosniff');
  });

  it('disguised SQL injection in a query parameter is counted as an attack signature: 400 naming the parameter, then the cut-off', async () => {
    // spikeHarness keeps the attack-probe threshold at its default (3 in 60 s).
    const client = await spikeHarness.connection({ unit: UNIT });
    const caller = await spikeHarness.as(client);
    const payloads = ["G1'/**/AnD/**/'1'='1", "G1') oR ('x'='x", "G1'||(SeLeCt/**/chr(65))||'"];
    const ids: string[] = [];
    for (const [i, payload] of payloads.entries()) {
      const response = await caller.get(`/api/v1/task-results?taskGroupCode=${encodeURIComponent(payload)}`);
      ids.push(response.body.requestId);
      if (i < 2) {
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'SUSPICIOUS_INPUT', details: [{ field: 'taskGroupCode', problem: 'matches a sql-injection signature' }] });
      } else {
        expect(response.status).toBe(403);
        expect(response.body.code).toBe('CONNECTION_SUSPENDED');
      }
    }
    const found = await expectDetectorIncident(client, 'ATTACK_SIGNATURE', ids);
    const inputs = JSON.parse(found.evidence[0].content).calls.map((c: { input: string }) => c.input);
    expect(inputs.sort()).toEqual([...payloads].sort());
  });

  it('an attack pattern in a header the gateway has no use for is a probe too', async () => {
    const client = await harness.connection({ unit: UNIT });
    const caller = await harness.as(client);
    const response = await caller.get('/api/v1/task-results').set('User-Agent', "Mozilla/5.0' AnD/**/SLEEP(5)#").expect(400);
    expect(response.body).toMatchObject({ code: 'SUSPICIOUS_INPUT', details: [{ field: 'user-agent', problem: 'matches a sql-injection signature' }] });
    await caller.get('/api/v1/task-results').set('User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)').expect(200);
    expect((await connectionState(client.connectionId)).state).toBe('TESTING');
  });

  it('ordinary Vietnamese narrative text and punctuation pass the signatures', async () => {
    const client = await harness.connection({ unit: UNIT });
    const caller = await harness.as(client);
    const text = "Đang dự thảo... / chờ ý kiến Bộ Tư pháp; tỷ lệ 'đạt' = 80% (select các đơn vị), xem mục 3.2 <ghi chú>";
    await caller.put('/api/v1/task-results/NARRATIVE_1').send(taskResult('NARRATIVE_1', UNIT, { description: text, difficulties: 'Union of units; or 1 = 1 đơn vị' })).expect(201);
    expect((await connectionState(client.connectionId)).state).toBe('TESTING');
  });

  it('a burst of authentication failures for one certificate', async () => {
    const client = await harness.connection({ unit: UNIT });
    const { exp: _e, iat: _i, ...claims } = jwt.decode(await harness.token(client)) as Record<string, unknown>;
    const forged = `Bearer ${jwt.sign(claims, 'not-the-gateway-secret-0123456789abcdef', { expiresIn: 600 })}`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await harness.call(client, 'get', '/api/v1/task-results').set('Authorization', forged).expect(401);
      ids.push(response.body.requestId);
    }
    await expectDetectorIncident(client, 'AUTHENTICATION_FAILURES', ids);
  });

  it('an expired token is not an attack: repeated TOKEN_EXPIRED does not suspend', async () => {
    const client = await harness.connection({ unit: UNIT });
    const { exp: _e, iat: _i, ...claims } = jwt.decode(await harness.token(client)) as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    const expired = `Bearer ${jwt.sign({ ...claims, iat: now - 1000, exp: now - 10 }, signingKeyFor(harness.config, 'data-plane access token'))}`;
    for (let i = 0; i < 5; i++) await harness.call(client, 'get', '/api/v1/task-results').set('Authorization', expired).expect(401);
    await harness.detectorSettled();
    expect((await connectionState(client.connectionId)).state).toBe('TESTING');
  });

  it('scanning of unknown paths (records not found do not count)', async () => {
    const client = await harness.connection({ unit: UNIT });
    const caller = await harness.as(client);
    for (let i = 0; i < 6; i++) await caller.get(`/api/v1/task-results/NO_SUCH_${i}`).expect(404);
    await harness.detectorSettled();
    expect((await connectionState(client.connectionId)).state).toBe('TESTING');
    const ids: string[] = [];
    for (const path of ['/api/v1/admin', '/api/v2/task-results', '/.env', '/api/v1/backup.zip']) {
      const response = await caller.get(path).expect(404);
      ids.push(response.body.requestId);
    }
    await expectDetectorIncident(client, 'PATH_SCANNING', ids);
  });

  it('repeated refusals outside the agreed scope (calls against the business process)', async () => {
    const client = await harness.connection({ unit: UNIT });
    const caller = await harness.as(client);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await caller.get(`/api/v1/task-results?leadUnit=${encodeURIComponent('Bộ Tài chính')}`).expect(403);
      expect(response.body.code).toBe('OUTSIDE_READ_SCOPE');
      ids.push(response.body.requestId);
    }
    await expectDetectorIncident(client, 'REPEATED_SCOPE_VIOLATIONS', ids);
    await expectCutOff(client, caller.bearer);
  });

  it('sustained calls over quota', async () => {
    const client = await harness.connection({ unit: UNIT, scope: { quotas: { readsPerMinute: 2 } } });
    const caller = await harness.as(client);
    await caller.get('/api/v1/task-results').expect(200);
    await caller.get('/api/v1/task-results').expect(200);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await caller.get('/api/v1/task-results').expect(429)).body.requestId);
    await expectDetectorIncident(client, 'SUSTAINED_QUOTA_EXCESS', ids);
  });

  it('keeps evidence unaltered: the database refuses to update or delete it', async () => {
    // Raw SQL on purpose: the point is tampering with the database behind the gateway's back.
    const [{ id }] = await sql<{ id: string }>(`SELECT id FROM incident_evidence LIMIT 1`);
    await expect(sql(`UPDATE incident_evidence SET content = '{}' WHERE id = $1`, [id])).rejects.toThrow(/kept unaltered/);
    await expect(sql(`DELETE FROM incident_evidence WHERE id = $1`, [id])).rejects.toThrow(/kept unaltered/);
  });

  /**
   * `seconds` one-second buckets of `perSecond` GETs each, on the gateway's clock, frozen and moved
   * a second once each bucket is judged: the spike detector sees exactly this rate, however fast
   * or loaded the machine (real time used to decide how many calls fell in each bucket).
   * Returns the statuses; the clock stays frozen until the test resumes it.
   */
  async function steady(h: GatewayHarness, caller: { get: (p: string) => any }, perSecond: number, seconds: number): Promise<number[]> {
    const statuses: number[] = [];
    h.clock.freeze();
    for (let second = 0; second < seconds; second++) {
      for (let i = 0; i < perSecond; i++) statuses.push((await caller.get('/api/v1/task-results')).status);
      await h.detectorSettled();
      h.clock.advance(1000);
    }
    return statuses;
  }

  it('normal traffic at the agreed rate, steady above the spike floor, trips nothing', async () => {
    const client = await spikeHarness.connection({ unit: UNIT, scope: { quotas: { readsPerMinute: 600 } } });
    const caller = await spikeHarness.as(client);
    try {
      // 600 a minute, 10 in every second for 4 s: above the spike floor (8), never 3 times the baseline.
      const statuses = await steady(spikeHarness, caller, 10, 4);
      expect(statuses).toEqual(Array(40).fill(200));
      await spikeHarness.detectorSettled();
    } finally {
      spikeHarness.clock.resume();
    }
    expect((await connectionState(client.connectionId)).state).toBe('TESTING');
    expect(await incidentsOf(client.connectionId)).toEqual([]);
  });

  it('a query spike against the connection\'s own baseline', async () => {
    const client = await spikeHarness.connection({ unit: UNIT, scope: { quotas: { readsPerMinute: 600 } } });
    const caller = await spikeHarness.as(client);
    let burst: Array<{ body?: { requestId?: string }; headers: Record<string, string> }> = [];
    try {
      // A baseline of 2 calls a second for 3 s, then 25 within the next second.
      expect(new Set(await steady(spikeHarness, caller, 2, 3))).toEqual(new Set([200]));
      burst = await Promise.all(Array.from({ length: 25 }, () => caller.get('/api/v1/task-results')));
      await spikeHarness.detectorSettled();
    } finally {
      spikeHarness.clock.resume();
    }
    const found = await expectDetectorIncident(client, 'QUERY_SPIKE', []);
    const content = JSON.parse(found.evidence[0].content);
    expect(content).toMatchObject({ reason: 'QUERY_SPIKE', factor: 3, minRequests: 8, bucketSeconds: 1 });
    expect(content.callsInBucket).toBeGreaterThan(3 * content.baselineAverage);
    const burstIds = burst.map((r) => r.body?.requestId ?? r.headers['x-request-id']);
    expect(content.latestCalls.some((c: { requestId: string }) => burstIds.includes(c.requestId))).toBe(true);
  });
});
