import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import request from 'supertest';
import { AUDIT_CHAIN_LOCK } from '../src/audit/chain/audit.service.js';
import { Role } from '../src/accounts/roles.js';
import { ControlPlaneHarness, type Person } from './support/control-plane-harness.js';
import { createOperationsApp } from '../src/operations/operations-app.js';
import { GatewayHarness, taskResult, type TestClient } from './support/gateway-harness.js';
import { sample, scrape, startOperations } from './support/ops-helpers.js';
import { redisEnv, waitFor, waitUntilSuspended } from './support/security-helpers.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { resetDatabase, testDatabaseUrl } from './support/test-database.js';

const UNIT = 'Bộ Tài chính';
const READS_PER_MINUTE = 6;

/**
 * The operations listener over real planes: /metrics after real data-plane and control-plane
 * calls, and readiness while the database (behind a TCP proxy) and the audit writer fail.
 */
describe('operations listener: metrics and readiness', () => {
  let proxy: TcpProxy;
  let h: ControlPlaneHarness;
  let ops: { app: NestFastifyApplication; url: string };
  let officer: Person;

  beforeAll(async () => {
    await resetDatabase();
    proxy = await TcpProxy.start(Number(new URL(testDatabaseUrl()).port || 5432));
    const viaProxy = new URL(testDatabaseUrl());
    viaProxy.port = String(proxy.port);
    h = await ControlPlaneHarness.start({
      DATABASE_URL: viaProxy.toString(),
      QUOTA_READS_PER_MINUTE: String(READS_PER_MINUTE),
      ANOMALY_UNKNOWN_PATHS: '3',
      OPS_METRICS_CACHE_MS: '0',
      OPS_AUDIT_STUCK_SECONDS: '1',
      OPS_READINESS_TIMEOUT_MS: '1000',
    });
    ops = await startOperations(h);
    const admin = await h.bootstrapAdmin();
    officer = await h.person(admin, 'officer', Role.SECURITY_OFFICER);
  }, 60_000);

  afterAll(async () => {
    await proxy?.restore();
    await ops?.app.close();
    await h?.stop();
    await proxy?.stop();
  });

  it('counts data-plane calls by route pattern, status and connection, with latency, and never shows a raw URL', async () => {
    const client = await h.gateway.connection({ unit: UNIT });
    const caller = await h.gateway.as(client);
    const series = { plane: 'data', method: 'GET', route: '/api/v1/task-results', status: '200', connection: client.connectionId };
    const before = await scrape(ops.url);
    expect(sample(before, 'gateway_http_requests_total', series)).toBeUndefined();

    for (let i = 0; i < 3; i++) await caller.get(`/api/v1/task-results?limit=${i + 1}`).expect(200);
    // A unit the register does not know: 400 (issue 15: unknown names are refused with suggestions).
    await caller.get('/api/v1/task-results?leadUnit=SECRET-QUERY-VALUE').expect(400);
    await caller.put('/api/v1/task-results/T-METRICS-1').send(taskResult('T-METRICS-1', UNIT)).expect(201);
    const after = await scrape(ops.url);

    expect(sample(after, 'gateway_http_requests_total', series)).toBe(3);
    expect(sample(after, 'gateway_http_requests_total', { ...series, status: '400' })).toBe(1);
    expect(sample(after, 'gateway_http_requests_total', { plane: 'data', method: 'PUT', route: '/api/v1/task-results/:taskCode', status: '201', connection: client.connectionId })).toBe(1);
    // The token endpoint names the connection of the certificate it checked.
    expect(sample(after, 'gateway_http_requests_total', { plane: 'data', method: 'POST', route: '/api/v1/oauth/token', status: '200', connection: client.connectionId })).toBe(1);
    expect(sample(after, 'gateway_http_request_duration_seconds_count', { plane: 'data', method: 'GET', route: '/api/v1/task-results' })).toBe(4);
    expect(sample(after, 'gateway_http_request_duration_seconds_bucket', { plane: 'data', method: 'GET', route: '/api/v1/task-results', le: '+Inf' })).toBe(4);
    expect(after).not.toContain('SECRET-QUERY-VALUE');
    expect(after).not.toContain('T-METRICS-1');

    // An unknown path is counted under one label, whatever was asked for.
    await caller.get('/api/v1/no-such-thing-xyz').expect(404);
    const unmatched = await scrape(ops.url);
    expect(sample(unmatched, 'gateway_http_requests_total', { plane: 'data', method: 'GET', route: '(unmatched)', status: '404', connection: '' })).toBe(1);
    expect(unmatched).not.toContain('no-such-thing-xyz');

    // The control plane is counted too, by its route pattern.
    await h.as(officer).get('/control/v1/incidents').expect(200);
    expect(sample(await scrape(ops.url), 'gateway_http_requests_total', { plane: 'control', method: 'GET', route: '/control/v1/incidents', status: '200', connection: '' })).toBe(1);
  });

  it('counts quota refusals per connection', async () => {
    const client = await h.gateway.connection({ unit: UNIT, name: 'quota' });
    const caller = await h.gateway.as(client);
    for (let i = 0; i < READS_PER_MINUTE; i++) await caller.get('/api/v1/task-results?limit=1').expect(200);
    for (let i = 0; i < 2; i++) await caller.get('/api/v1/task-results?limit=1').expect(429);
    const text = await scrape(ops.url);
    expect(sample(text, 'gateway_quota_refusals_total', { plane: 'data', connection: client.connectionId })).toBe(2);
    expect(sample(text, 'gateway_http_requests_total', { plane: 'data', method: 'GET', route: '/api/v1/task-results', status: '429', connection: client.connectionId })).toBe(2);
  });

  it('counts manual and automatic suspensions, open incidents and certificate expiry from the database', async () => {
    const before = await scrape(ops.url);
    const manualBefore = sample(before, 'gateway_suspensions_total', { trigger: 'manual' }) ?? 0;
    const automaticBefore = sample(before, 'gateway_suspensions_total', { trigger: 'automatic' }) ?? 0;
    const unclassifiedBefore = sample(before, 'gateway_incidents_open', { severity: 'UNCLASSIFIED' }) ?? 0;

    const cutOff = await h.gateway.connection({ unit: UNIT, name: 'cut off by hand' });
    await h.as(officer).post(`/control/v1/connections/${cutOff.connectionId}/suspension`).send({ reasonCode: 'MANUAL_CUT_OFF', reason: 'test' }).expect(200);
    const scanner: TestClient = await h.gateway.connection({ unit: UNIT, name: 'scanner' });
    const caller = await h.gateway.as(scanner);
    for (const path of ['/api/v1/admin', '/.env', '/api/v1/backup.zip']) await caller.get(path).expect(404);
    await waitUntilSuspended(scanner.connectionId);

    const text = await waitFor(async () => {
      const t = await scrape(ops.url);
      return sample(t, 'gateway_suspensions_total', { trigger: 'automatic' }) === automaticBefore + 1 ? t : null;
    });
    expect(sample(text, 'gateway_suspensions_total', { trigger: 'manual' })).toBe(manualBefore + 1);
    expect(sample(text, 'gateway_connections_suspended', { trigger: 'manual' })).toBe(1);
    expect(sample(text, 'gateway_connections_suspended', { trigger: 'automatic' })).toBe(1);
    expect(sample(text, 'gateway_incidents_open', { severity: 'UNCLASSIFIED' })).toBe(unclassifiedBefore + 1);
    expect(sample(text, 'gateway_incidents_overdue', { clock: 'classification' })).toBe(0);
    expect(sample(text, 'gateway_metrics_database_up')).toBe(1);
    const days = sample(text, 'gateway_client_certificate_expiry_days', { connection: scanner.connectionId, environment: 'test', certificate: scanner.certificateId });
    expect(days).toBeGreaterThan(h.gateway.config.CLIENT_CERT_VALIDITY_DAYS - 1.1);
    expect(days).toBeLessThanOrEqual(h.gateway.config.CLIENT_CERT_VALIDITY_DAYS);
    expect(sample(text, 'gateway_audit_unsealed_entries')).toBeGreaterThan(0);
    expect(sample(text, 'gateway_audit_newest_unsealed_entry_age_seconds')).toBeLessThan(60);
    expect(sample(text, 'gateway_db_pool_connections', { plane: 'data', state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'gateway_db_pool_max_connections', { plane: 'control' })).toBe(h.gateway.config.DATABASE_POOL_SIZE);
    expect(sample(text, 'gateway_audit_queued_entries', { plane: 'data' })).toBe(0);
  });

  it('is live and ready normally, not ready while the database is cut, and ready again once it is back', async () => {
    await request(ops.url).get('/health/live').expect(200, { status: 'ok' });
    const ready = await request(ops.url).get('/health/ready').expect(200);
    expect(ready.body.status).toBe('ok');
    expect(Object.keys(ready.body.details).sort()).toEqual(['control_accepting', 'control_audit', 'control_database', 'data_accepting', 'data_audit', 'data_database']);

    await proxy.cut();
    const down = await request(ops.url).get('/health/ready').expect(503);
    expect(down.body.status).toBe('error');
    expect(down.body.error.data_database.status).toBe('down');
    expect(down.body.error.control_database.status).toBe('down');
    // The database-derived series are left out rather than shown stale.
    const text = await scrape(ops.url);
    expect(sample(text, 'gateway_metrics_database_up')).toBe(0);
    expect(sample(text, 'gateway_incidents_open', { severity: 'UNCLASSIFIED' })).toBeUndefined();

    await proxy.restore();
    await waitFor(async () => (await request(ops.url).get('/health/ready')).status === 200, 10_000, 200);
  }, 30_000);

  it('is not ready while the audit writer is stuck, and ready again once it writes', async () => {
    const client = await h.gateway.connection({ unit: UNIT, name: 'audit stuck' });
    const caller = await h.gateway.as(client);
    const lock = new pg.Client({ connectionString: testDatabaseUrl() });
    await lock.connect();
    try {
      // Holding the chain lock makes every append wait: the call below is answered only once it is released.
      await lock.query('SELECT pg_advisory_lock($1)', [AUDIT_CHAIN_LOCK]);
      const pending = caller.get('/api/v1/task-results?limit=1').then((r) => r.status);
      const down = await waitFor(async () => {
        const r = await request(ops.url).get('/health/ready');
        return r.status === 503 ? r : null;
      }, 5000, 100);
      expect(down.body.error.data_audit).toMatchObject({ status: 'down', message: expect.stringContaining('waited') });
      expect(down.body.info.data_database.status).toBe('up');
      await lock.query('SELECT pg_advisory_unlock($1)', [AUDIT_CHAIN_LOCK]);
      expect(await pending).toBe(200);
      await request(ops.url).get('/health/ready').expect(200);
    } finally {
      await lock.end();
    }
  }, 30_000);

  it('serves neither metrics nor health on the data plane', async () => {
    const client = await h.gateway.connection({ unit: UNIT, name: 'prober' });
    for (const path of ['/metrics', '/health/ready']) {
      const response = await h.gateway.call(client, 'get', path);
      expect(response.status).toBe(404);
    }
  });
});

/**
 * Readiness with REDIS_URL set: Redis behind a TCP proxy in front of the shared test Redis, cut
 * and restored. And the scrape-time cache of the database-derived series (60 s here).
 */
describe('operations listener: readiness with Redis, and the metrics cache', () => {
  let proxy: TcpProxy;
  let gateway: GatewayHarness;
  let ops: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    const redis = new URL(redisEnv().REDIS_URL);
    proxy = await TcpProxy.start(Number(redis.port || 6379), redis.hostname);
    redis.port = String(proxy.port);
    gateway = await GatewayHarness.start({ ...redisEnv(), REDIS_URL: redis.toString(), OPS_READINESS_TIMEOUT_MS: '1000', OPS_METRICS_CACHE_MS: '60000' });
    ops = await createOperationsApp(gateway.config, { data: gateway.app });
    await ops.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(ops.getHttpServer().address() as { port: number }).port}`;
  }, 60_000);

  afterAll(async () => {
    await proxy?.restore();
    await ops?.close();
    await gateway?.stop();
    await proxy?.stop();
  });

  it('is not ready while Redis is unreachable, and ready again once it is back', async () => {
    expect((await request(url).get('/health/ready').expect(200)).body.info.redis).toEqual({ status: 'up' });
    await proxy.cut();
    const down = await waitFor(async () => {
      const r = await request(url).get('/health/ready');
      return r.status === 503 ? r : null;
    }, 5000, 100);
    expect(down.body.error.redis.status).toBe('down');
    expect(down.body.info.data_database.status).toBe('up');
    await proxy.restore();
    await waitFor(async () => (await request(url).get('/health/ready')).status === 200, 15_000, 200);
  }, 30_000);

  it('reads the database-derived series at most once per OPS_METRICS_CACHE_MS', async () => {
    const first = await scrape(url);
    expect(sample(first, 'gateway_metrics_database_up')).toBe(1);
    const client = await gateway.connection({ unit: 'Bộ Tài chính' });
    const labels = { connection: client.connectionId, environment: 'test', certificate: client.certificateId };
    expect(sample(await scrape(url), 'gateway_client_certificate_expiry_days', labels)).toBeUndefined();
    // The per-request series are live all the same.
    await gateway.call(client, 'post', '/api/v1/oauth/token').type('form').send({ grant_type: 'client_credentials' }).expect(200);
    expect(sample(await scrape(url), 'gateway_http_requests_total', { plane: 'data', method: 'POST', route: '/api/v1/oauth/token', status: '200', connection: client.connectionId })).toBe(1);
  });
});
