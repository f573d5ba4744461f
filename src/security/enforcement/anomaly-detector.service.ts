import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Clock } from '../../calendar/clock.js';
import { GatewayConfig } from '../../shared/config/gateway-config.js';
import { AnomalyThresholds, anomalyThresholds, WindowThreshold } from './anomaly-thresholds.js';
import type { RequestEvidence } from '../incidents/evidence.js';
import { IncidentsService } from '../incidents/incidents.service.js';
import { DETECTOR_REASONS, DetectorReason } from '../reason-codes.js';
import { RedisConnection } from '../redis/redis-connection.js';
import { SecurityEventsBus } from '../security-events.bus.js';
import { WINDOW_STORE, type WindowStore } from './window-store.js';

/** One answered call of a known connection, as the response hook reports it. */
export interface ObservedCall {
  connectionId: string;
  call: RequestEvidence;
  /** The router had no such route (a scan), as opposed to "no such record". */
  unknownRoute: boolean;
}

const KEEP_RECENT_CALLS = 50;
const SPIKE_FLUSH_MS = 100;

interface PendingCalls {
  connectionId: string;
  bucket: number;
  count: number;
  /** The latest calls, oldest first (turned into JSON only when flushed: most are dropped before). */
  latest: RequestEvidence[];
}
/** After a trip, the same connection is not tripped again from this instance for a while. */
const TRIP_QUIET_MS = 5000;

/**
 * IV.5.b: watches each connection's calls and suspends it at once, opening an incident with the
 * calls that tripped it, on a query spike against its own baseline, a call from an address its
 * agreement does not list, attack signatures, bursts of authentication failures, scanning of
 * unknown paths, repeated refusals outside its agreed scope, and sustained 429s.
 * Counts live in the WindowStore: Redis when REDIS_URL is set, so that the instances of one
 * gateway count together, and this process while Redis is away (failover-stores.ts), so that an
 * outage does not let probes through uncounted; this process otherwise.
 * Windows, buckets and the quiet time after a trip are reckoned on the gateway's Clock.
 */
@Injectable()
export class AnomalyDetectorService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('AnomalyDetector');
  private readonly thresholds: AnomalyThresholds;
  private readonly trippedAt = new Map<string, number>();
  private readonly baselines = new Map<string, { bucket: number; average: number }>();
  private lastStoreError = 0;
  private readonly pendingCalls = new Map<string, PendingCalls>();
  private flushing: NodeJS.Timeout | undefined;
  /** Answered calls still being judged (a credential lookup, a count in the store): see settled(). */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    config: GatewayConfig,
    @Inject(WINDOW_STORE) private readonly store: WindowStore,
    private readonly incidents: IncidentsService,
    private readonly events: SecurityEventsBus,
    private readonly redis: RedisConnection,
    private readonly clock: Clock,
  ) {
    this.thresholds = anomalyThresholds(config);
  }

  onModuleInit(): void {
    this.flushing = setInterval(() => {
      this.flushCalls().catch((error: unknown) => this.storeFailed(error));
    }, SPIKE_FLUSH_MS);
    this.flushing.unref();
    // A restored connection starts with clean counts, or the calls that tripped it would again.
    this.events.subscribe((event) => {
      if (event.type !== 'connection-restored') return;
      this.trippedAt.delete(event.connectionId);
      this.baselines.delete(event.connectionId);
      for (const [key, pending] of this.pendingCalls) if (pending.connectionId === event.connectionId) this.pendingCalls.delete(key);
      this.store.forget(this.key(event.connectionId, '')).catch((error) => this.storeFailed(error));
    });
  }

  /** The last tenth of a second of spike counts goes with the instance: it answers no more calls. */
  onModuleDestroy(): void {
    clearInterval(this.flushing);
    this.pendingCalls.clear();
  }

  /**
   * Counts `work` (the judging of an answered call) as under way until it ends, for settled().
   * Never rejects: the work reports its own failures.
   */
  track(work: Promise<unknown>): Promise<void> {
    const tracked = work.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(tracked);
    void tracked.then(() => this.inFlight.delete(tracked));
    return tracked;
  }

  /**
   * Resolves once every call fed so far has been judged and the spike counts are flushed: the
   * event a caller waits for instead of a guessed delay (tests, which see the answer before the
   * onResponse hook has judged it).
   */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
    await this.flushCalls();
  }

  /** Feeds one answered call (onResponse). Never throws: detection must not break serving. */
  observe(observed: ObservedCall): Promise<void> {
    return this.track(this.judge(observed));
  }

  private async judge({ connectionId, call, unknownRoute }: ObservedCall): Promise<void> {
    try {
      const t = this.thresholds;
      this.noteCall(connectionId, call);
      const checks: Array<Promise<unknown>> = [];
      if (call.status === 401 && call.errorCode !== 'TOKEN_EXPIRED') {
        checks.push(this.count(connectionId, `auth:${call.certificateThumbprint}`, call.requestId, call, t.authFailures, DETECTOR_REASONS.AUTHENTICATION_FAILURES, 'authentication failures'));
      }
      if (unknownRoute) {
        const path = call.path.split('?')[0];
        checks.push(this.count(connectionId, 'paths', `${call.method} ${path}`, call, t.unknownPaths, DETECTOR_REASONS.PATH_SCANNING, 'distinct unknown paths'));
      }
      if (call.status === 403 && call.errorCode?.startsWith('OUTSIDE_')) {
        checks.push(this.count(connectionId, 'scope', call.requestId, call, t.scopeRefusals, DETECTOR_REASONS.REPEATED_SCOPE_VIOLATIONS, 'refusals outside the agreed scope'));
      }
      if (call.status === 429) {
        checks.push(this.count(connectionId, 'quota', call.requestId, call, t.quotaRefusals, DETECTOR_REASONS.SUSTAINED_QUOTA_EXCESS, 'calls over quota'));
      }
      await Promise.all(checks);
    } catch (error) {
      this.storeFailed(error);
    }
  }

  /** A call carrying an attack signature. Returns true when it tripped a suspension. */
  async attackProbe(connectionId: string, call: RequestEvidence): Promise<boolean> {
    try {
      return await this.count(connectionId, 'probes', call.requestId, call, this.thresholds.attackProbes, DETECTOR_REASONS.ATTACK_SIGNATURE, 'requests with attack signatures');
    } catch (error) {
      this.storeFailed(error);
      return false;
    }
  }

  /** A call from an address the agreement does not list: suspended on the first one. */
  async unknownSource(connectionId: string, call: RequestEvidence): Promise<boolean> {
    return this.trip(connectionId, DETECTOR_REASONS.UNKNOWN_SOURCE_ADDRESS, `Call from ${call.sourceAddress}, outside the agreed source addresses`, { calls: [call] });
  }

  private async count(
    connectionId: string,
    signal: string,
    member: string,
    call: RequestEvidence,
    threshold: WindowThreshold,
    reason: DetectorReason,
    what: string,
  ): Promise<boolean> {
    if (threshold.count <= 0) return false;
    const { count, evidence } = await this.store.record(this.key(connectionId, signal), member, JSON.stringify(call), threshold.windowMs, threshold.count, this.clock.nowMs());
    if (!evidence) return false;
    const calls = evidence.map((e) => JSON.parse(e) as RequestEvidence);
    return this.trip(connectionId, reason, `${count} ${what} within ${threshold.windowMs / 1000} s (threshold ${threshold.count})`, {
      threshold: { count: threshold.count, windowSeconds: threshold.windowMs / 1000 },
      calls,
    });
  }

  /**
   * Query-spike counting is batched: calls are counted in this process and added to the shared
   * store every SPIKE_FLUSH_MS, one round trip per connection and bucket instead of one per call.
   * A spike is a few hundred calls a minute, so judging it up to a tenth of a second later changes
   * nothing; the per-call signals below (probes, authentication failures…) are never batched.
   */
  private noteCall(connectionId: string, call: RequestEvidence): void {
    const bucket = Math.floor(this.clock.nowMs() / this.thresholds.spike.bucketMs);
    const key = `${connectionId} ${bucket}`;
    let pending = this.pendingCalls.get(key);
    if (!pending) this.pendingCalls.set(key, (pending = { connectionId, bucket, count: 0, latest: [] }));
    pending.count++;
    pending.latest.push(call);
    if (pending.latest.length > KEEP_RECENT_CALLS) pending.latest.shift();
  }

  /** Adds the calls counted since the last flush to the store and judges each connection's bucket. */
  async flushCalls(): Promise<void> {
    const batch = [...this.pendingCalls.values()];
    this.pendingCalls.clear();
    await Promise.all(batch.map((pending) => this.checkSpike(pending).catch((error) => this.storeFailed(error))));
  }

  private async checkSpike({ connectionId, bucket, count: calls, latest }: PendingCalls): Promise<void> {
    const { factor, minRequests, bucketMs, baselineBuckets } = this.thresholds.spike;
    const now = this.clock.nowMs();
    const { count, firstSeen } = await this.store.countCalls(
      this.key(connectionId, `calls:${bucket}`),
      bucketMs * (baselineBuckets + 2),
      calls,
      this.key(connectionId, 'recent'),
      latest.map((call) => JSON.stringify(call)),
      KEEP_RECENT_CALLS,
      this.key(connectionId, 'first-seen'),
      now,
    );
    if (factor <= 0 || count < minRequests) return;
    // No judgement without a baseline: the connection must have been watched for the whole period.
    if (now - firstSeen < bucketMs * baselineBuckets) return;
    const average = await this.baseline(connectionId, bucket, baselineBuckets);
    if (count <= factor * average) return;
    const recent = (await this.store.recent(this.key(connectionId, 'recent'))).map((e) => JSON.parse(e) as RequestEvidence);
    await this.trip(
      connectionId,
      DETECTOR_REASONS.QUERY_SPIKE,
      `${count} calls in ${bucketMs / 1000} s against a baseline of ${average.toFixed(1)} per ${bucketMs / 1000} s (factor ${factor})`,
      { bucketSeconds: bucketMs / 1000, callsInBucket: count, baselineAverage: average, baselineBuckets, factor, minRequests, latestCalls: recent },
    );
  }

  /** The average count of the buckets before `bucket`; closed buckets do not change, so it is cached. */
  private async baseline(connectionId: string, bucket: number, buckets: number): Promise<number> {
    const cached = this.baselines.get(connectionId);
    if (cached?.bucket === bucket) return cached.average;
    const keys = Array.from({ length: buckets }, (_, i) => this.key(connectionId, `calls:${bucket - 1 - i}`));
    const counts = await this.store.counts(keys);
    const average = counts.reduce((a, b) => a + b, 0) / buckets;
    if (this.baselines.size > 50_000) this.baselines.clear();
    this.baselines.set(connectionId, { bucket, average });
    return average;
  }

  private async trip(connectionId: string, reason: DetectorReason, summary: string, evidence: Record<string, unknown>): Promise<boolean> {
    const last = this.trippedAt.get(connectionId);
    if (last && this.clock.nowMs() - last < TRIP_QUIET_MS) return true;
    this.trippedAt.set(connectionId, this.clock.nowMs());
    try {
      const incident = await this.incidents.openFromDetector({ connectionId, reasonCode: reason, summary, evidence: { reason, ...evidence } });
      if (incident) this.logger.warn(`${reason}: connection ${connectionId} suspended, incident ${incident.id} (${summary})`);
      return true;
    } catch (error) {
      this.trippedAt.delete(connectionId);
      this.logger.error(`Could not suspend connection ${connectionId} for ${reason}: ${(error as Error).message}`);
      return false;
    }
  }

  /** Keys of one connection share a Redis hash tag, so a cluster keeps them on one node. */
  private key(connectionId: string, signal: string): string {
    return this.redis.key('anomaly', `{${connectionId}}`, signal);
  }

  private storeFailed(error: unknown): void {
    if (Date.now() - this.lastStoreError < 10_000) return;
    this.lastStoreError = Date.now();
    this.logger.error(`Anomaly counting failed (this call was not judged): ${(error as Error).message}`);
  }
}
