import { GatewayHarness, taskResult } from './support/gateway-harness.js';
import { connectionState, redisEnv } from './support/security-helpers.js';

const UNIT = 'Bộ Nội vụ';
/** The detector is kept out of the way: these tests look at quotas alone. */
const QUIET_DETECTOR = { ANOMALY_QUOTA_REFUSALS: '0', ANOMALY_SPIKE_FACTOR: '0' };

describe('security: quotas of the connection agreement', () => {
  let harness: GatewayHarness;

  beforeAll(async () => {
    harness = await GatewayHarness.start({
      ...QUIET_DETECTOR,
      QUOTA_READS_PER_MINUTE: '4',
      QUOTA_WRITES_PER_MINUTE: '3',
      QUOTA_TOKEN_REQUESTS_PER_MINUTE: '3',
    });
  });
  afterAll(() => harness.stop());

  it("counts reads against the agreement's own limit, with RateLimit headers, then answers 429 in the error shape", async () => {
    const client = await harness.connection({ unit: UNIT, scope: { quotas: { readsPerMinute: 3 } } });
    const caller = await harness.as(client);
    for (const remaining of ['2', '1', '0']) {
      const ok = await caller.get('/api/v1/task-results').expect(200);
      expect(ok.headers).toMatchObject({ 'ratelimit-limit': '3', 'ratelimit-remaining': remaining });
      expect(Number(ok.headers['ratelimit-reset'])).toBeGreaterThan(0);
      expect(Number(ok.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);
    }
    const refused = await caller.get('/api/v1/task-results').expect(429);
    expect(refused.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringContaining('per-minute quota of 3 reads'),
      messageVi: 'Vượt hạn mức truy cập đã thỏa thuận; thử lại sau thời gian trong Retry-After',
      code: 'QUOTA_EXCEEDED',
      requestId: refused.headers['x-request-id'],
    });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers).toMatchObject({ 'ratelimit-limit': '3', 'ratelimit-remaining': '0', 'ratelimit-reset': String(retryAfter) });

    // Writes have their own count (the configured default here: 3 a minute).
    const write = await caller.put('/api/v1/task-results/QUOTA_1').send(taskResult('QUOTA_1', UNIT)).expect(201);
    expect(write.headers).toMatchObject({ 'ratelimit-limit': '3', 'ratelimit-remaining': '2' });
    expect((await connectionState(client.connectionId)).state).toBe('TESTING');
  });

  it('falls back to the configured defaults when the agreement fixes no quota, per connection', async () => {
    const client = await harness.connection({ unit: UNIT });
    const other = await harness.connection({ unit: UNIT });
    const caller = await harness.as(client);
    for (let i = 0; i < 4; i++) await caller.get('/api/v1/task-results').expect(200);
    await caller.get('/api/v1/task-results').expect(429);
    const otherCaller = await harness.as(other);
    const fresh = await otherCaller.get('/api/v1/task-results').expect(200);
    expect(fresh.headers).toMatchObject({ 'ratelimit-limit': '4', 'ratelimit-remaining': '3' });
  });

  it('enforces the daily quota, with a Retry-After up to a day', async () => {
    const client = await harness.connection({ unit: UNIT, scope: { quotas: { readsPerMinute: 100, readsPerDay: 2 } } });
    const caller = await harness.as(client);
    await caller.get('/api/v1/task-results').expect(200);
    const last = await caller.get('/api/v1/task-results').expect(200);
    expect(last.headers['ratelimit-remaining']).toBe('0');
    const refused = await caller.get('/api/v1/task-results').expect(429);
    expect(refused.body.message).toContain('daily quota of 2 reads');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(23 * 3600);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(24 * 3600);
  });

  it('gives the token endpoint its own modest limit, per certificate', async () => {
    const client = await harness.connection({ unit: UNIT });
    const token = () => harness.call(client, 'post', '/api/v1/oauth/token').send({ grant_type: 'client_credentials' });
    for (let i = 0; i < 3; i++) await token().expect(200);
    const refused = await token().expect(429);
    expect(refused.body.code).toBe('QUOTA_EXCEEDED');
    expect(refused.body.message).toContain('token requests');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const other = await harness.connection({ unit: UNIT });
    await harness.call(other, 'post', '/api/v1/oauth/token').send({ grant_type: 'client_credentials' }).expect(200);
  });
});

describe('security: one quota for several gateway instances sharing Redis', () => {
  let first: GatewayHarness;
  let second: GatewayHarness;

  beforeAll(async () => {
    const shared = { ...redisEnv(), ...QUIET_DETECTOR };
    first = await GatewayHarness.start(shared);
    second = await GatewayHarness.start(shared);
  });
  afterAll(async () => {
    await first.stop();
    await second.stop();
  });

  it('counts the calls made to either instance in one count', async () => {
    const client = await first.connection({ unit: UNIT, scope: { quotas: { readsPerMinute: 4 } } });
    const onFirst = await first.as(client);
    const onSecond = await second.as(client);
    const remaining: string[] = [];
    for (const caller of [onFirst, onSecond, onFirst, onSecond]) {
      remaining.push((await caller.get('/api/v1/task-results').expect(200)).headers['ratelimit-remaining']);
    }
    expect(remaining).toEqual(['3', '2', '1', '0']);
    await onFirst.get('/api/v1/task-results').expect(429);
    const refused = await onSecond.get('/api/v1/task-results').expect(429);
    expect(refused.body.code).toBe('QUOTA_EXCEEDED');
  });
});
