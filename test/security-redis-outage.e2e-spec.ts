import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { Redis } from 'ioredis';
import { CredentialStatusService } from '../src/auth/credential-status.service.js';
import { GatewayHarness, type TestClient } from './support/gateway-harness.js';
import { waitFor, waitUntilSuspended } from './support/security-helpers.js';
import { sql } from './support/test-database.js';

const UNIT = 'Bộ Xây dựng';
const PREFIX = `test-redis-outage-${process.pid}-${Date.now()}:`;
/** Longer than any answer should take; a call that waits on a dead Redis fails here, not at Jest's timeout. */
const ANSWER_WITHIN_MS = 5000;

/** A throwaway redis-server on a free loopback port, which the test kills and starts again. */
class ThrowawayRedis {
  private process: ChildProcess | null = null;
  private constructor(readonly port: number) {}

  static async start(): Promise<ThrowawayRedis> {
    const redis = new ThrowawayRedis(await freePort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    if (this.process) return;
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
    });
  }

  /** SIGSTOP / SIGCONT: connections stay open but nothing answers, as when the network drops packets. */
  freeze(frozen: boolean): void {
    this.process!.kill(frozen ? 'SIGSTOP' : 'SIGCONT');
  }

  /** SIGKILL: no goodbye to the clients, as when the Redis host dies. */
  async kill(): Promise<void> {
    const child = this.process;
    this.process = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Issue 12, point 3: with Redis gone, quotas and the automatic cut-off keep working on each
 * instance (per-instance counts, announced as a security alert); requests are neither dropped nor
 * kept waiting; when Redis is back, counting is shared again by itself (announced too).
 */
describe('security: a Redis outage does not open the quotas or the cut-off', () => {
  let redis: ThrowawayRedis;
  let harness: GatewayHarness;

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    harness = await GatewayHarness.start({
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: PREFIX,
      QUOTA_READS_PER_MINUTE: '1000',
      ANOMALY_ATTACK_PROBES: '2',
      ANOMALY_QUOTA_REFUSALS: '0',
      ANOMALY_SPIKE_FACTOR: '0',
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await redis?.kill();
  });

  /** The minute count of a connection's reads in Redis (null: no such key). */
  async function sharedReadCount(client: TestClient): Promise<number | null> {
    const probe = new Redis(redis.url, { maxRetriesPerRequest: 0 });
    try {
      const value = await probe.get(`{${PREFIX}quota:${client.connectionId}:read}:minute:hits`);
      return value === null ? null : Number(value);
    } finally {
      probe.disconnect();
    }
  }

  async function alertsAbout(kind: string): Promise<Array<Record<string, any>>> {
    const rows = await sql<{ payload: string; incident_id: string | null }>(`SELECT payload, incident_id FROM security_alerts WHERE kind = $1 ORDER BY created_at`, [kind]);
    return rows.map((row) => ({ incidentId: row.incident_id, ...JSON.parse(row.payload) })).filter((alert) => alert.redis === `127.0.0.1:${redis.port}`);
  }

  it('counts per instance while Redis is away, then in Redis again once it is back', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error');
    const loggedInfo = jest.spyOn(Logger.prototype, 'log');
    const busy = await harness.as(await harness.connection({ unit: UNIT }));
    const quota = await harness.connection({ unit: UNIT, scope: { quotas: { readsPerMinute: 3 } } });
    const quotaCaller = await harness.as(quota);
    const prober = await harness.connection({ unit: UNIT });
    const probeCaller = await harness.as(prober);

    // Shared counting to begin with.
    await quotaCaller.get('/api/v1/task-results').expect(200);
    expect(await sharedReadCount(quota)).toBe(1);

    // (a) Redis dies under load: every call in flight, and every call after, is answered.
    const inFlight = Array.from({ length: 40 }, () => busy.get('/api/v1/task-results').timeout(ANSWER_WITHIN_MS));
    const killed = new Promise((resolve) => setTimeout(resolve, 20)).then(() => redis.kill());
    const answers = await Promise.all(inFlight);
    await killed;
    expect(answers.map((a) => a.status).filter((s) => s !== 200)).toEqual([]);

    // (b) The quota of 3 a minute still refuses, on this instance's own count (which starts afresh).
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await quotaCaller.get('/api/v1/task-results').timeout(ANSWER_WITHIN_MS)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await quotaCaller.get('/api/v1/task-results').timeout(ANSWER_WITHIN_MS).expect(429);
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'QUOTA_EXCEEDED', requestId: refused.headers['x-request-id'] });

    // (c) Attack probes still cut the connection off (threshold 2).
    const probe = `/api/v1/task-results?leadUnit=${encodeURIComponent("x' OR '1'='1")}`;
    await probeCaller.get(probe).timeout(ANSWER_WITHIN_MS).expect(400);
    const second = await probeCaller.get(probe).timeout(ANSWER_WITHIN_MS);
    expect(second.body.code).toBe('CONNECTION_SUSPENDED');
    expect((await waitUntilSuspended(prober.connectionId)).suspension_reason).toBe('ATTACK_SIGNATURE');

    // (d) The fallback is announced as a security alert (no incident: nothing was suspended for it).
    const [down, ...moreDown] = await waitFor(async () => ((await alertsAbout('REDIS_UNAVAILABLE')).length ? alertsAbout('REDIS_UNAVAILABLE') : null));
    expect(moreDown).toEqual([]);
    expect(down).toMatchObject({ incidentId: null, kind: 'REDIS_UNAVAILABLE', counting: 'per-instance', since: expect.any(String), instance: expect.any(String) });
    expect(await alertsAbout('REDIS_RESTORED')).toEqual([]);
    expect(logged.mock.calls.filter(([message]) => String(message).includes('now count on this gateway instance alone'))).toHaveLength(1);

    // Redis comes back on the same address (empty: it kept nothing): counting is shared again by itself.
    await redis.restart();
    const [up] = await waitFor(async () => ((await alertsAbout('REDIS_RESTORED')).length ? alertsAbout('REDIS_RESTORED') : null), 10_000, 100);
    expect(up).toMatchObject({ incidentId: null, kind: 'REDIS_RESTORED', counting: 'shared', instance: down.instance });
    expect(loggedInfo.mock.calls.filter(([message]) => String(message).includes('Redis answers again'))).toHaveLength(1);

    // The calls counted on this instance during the outage (3 served, 2 refused) join the shared
    // count, so the outage gave the caller no fresh quota: still refused, now counted in Redis.
    expect(await waitFor(async () => (await sharedReadCount(quota)) === 5)).toBe(true);
    await quotaCaller.get('/api/v1/task-results').timeout(ANSWER_WITHIN_MS).expect(429);
    expect(await sharedReadCount(quota)).toBe(6);
    // (A limit of 10 leaves too little room for a lease: every call is counted on its own, exactly.)
    const fresh = await harness.connection({ unit: UNIT, scope: { quotas: { readsPerMinute: 10 } } });
    const freshCaller = await harness.as(fresh);
    for (let i = 0; i < 3; i++) await freshCaller.get('/api/v1/task-results').timeout(ANSWER_WITHIN_MS).expect(200);
    expect(await sharedReadCount(fresh)).toBe(3);

    // The cut-off broadcast between instances (pub/sub) is subscribed again: an event published by
    // another instance reaches this one, which forgets its cached credential statuses.
    const invalidated = jest.spyOn(harness.app.get(CredentialStatusService), 'invalidate');
    const otherInstance = new Redis(redis.url, { maxRetriesPerRequest: 0 });
    try {
      const event = JSON.stringify({ origin: 'another-instance', event: { type: 'connection-suspended', connectionId: fresh.connectionId } });
      await waitFor(async () => (await otherInstance.publish(`${PREFIX}security-events`, event)) > 0, 5000, 100);
      await waitFor(async () => invalidated.mock.calls.length > 0);
    } finally {
      otherInstance.disconnect();
      invalidated.mockRestore();
    }
    logged.mockRestore();
    loggedInfo.mockRestore();
  });

  it('does not keep calls waiting on a Redis that stops answering without closing the connection', async () => {
    await redis.restart(); // running already, unless the test before failed half-way
    // Counting is shared again (every outage announced so far has its restoration) before the freeze.
    await waitFor(async () => (await alertsAbout('REDIS_RESTORED')).length === (await alertsAbout('REDIS_UNAVAILABLE')).length, 10_000, 100);
    const quota = await harness.connection({ unit: UNIT, scope: { quotas: { readsPerMinute: 2 } } });
    const caller = await harness.as(quota);
    await caller.get('/api/v1/task-results').expect(200);
    const outagesBefore = (await alertsAbout('REDIS_UNAVAILABLE')).length;

    redis.freeze(true);
    try {
      // The first call waits at most REDIS_COMMAND_TIMEOUT_MS (1 s) for Redis, the next ones not at all.
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await caller.get('/api/v1/task-results').timeout(ANSWER_WITHIN_MS)).status);
      expect(statuses).toEqual([200, 200, 429]);
      const started = Date.now();
      await caller.get('/api/v1/task-results').timeout(ANSWER_WITHIN_MS).expect(429);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(await alertsAbout('REDIS_UNAVAILABLE')).toHaveLength(outagesBefore + 1);
    } finally {
      redis.freeze(false);
    }
    await waitFor(async () => (await alertsAbout('REDIS_RESTORED')).length === outagesBefore + 1, 10_000, 100);
  });
});
