import { Inject, Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { WATCHED_PLANES, type WatchedPlane } from './planes.js';

/**
 * What readiness means: this instance can serve and record a call. Each check is bounded by
 * OPS_READINESS_TIMEOUT_MS (a database that hangs is as down as one that refuses).
 * - `<plane>_database`: the plane's own pool answers `SELECT 1`;
 * - `redis`: with REDIS_URL set, Redis answers PING (without it, counts are per instance: nothing to check);
 * - `<plane>_audit`: the plane's audit writer is not stuck (no entry has waited longer than
 *   OPS_AUDIT_STUCK_SECONDS) and its last write did not fail within that time. A failure older
 *   than that no longer counts on its own: with no traffic there is no write to prove recovery,
 *   and the database check covers what made it fail;
 * - `<plane>_accepting`: the plane is not draining for a stop.
 */
@Injectable()
export class ReadinessIndicators {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(WATCHED_PLANES) private readonly planes: WatchedPlane[],
    private readonly config: GatewayConfig,
  ) {}

  checks(): Array<() => Promise<HealthIndicatorResult>> {
    const checks: Array<() => Promise<HealthIndicatorResult>> = [];
    for (const plane of this.planes) {
      checks.push(() => this.database(plane), async () => this.audit(plane), async () => this.accepting(plane));
    }
    const redis = this.planes.find((p) => p.redis?.client)?.redis;
    if (redis) checks.push(() => this.redis(redis.client!));
    return checks;
  }

  private async database(plane: WatchedPlane): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(`${plane.name}_database`);
    try {
      await this.bounded(plane.db.query('SELECT 1'));
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }

  private audit(plane: WatchedPlane): HealthIndicatorResult {
    const check = this.indicators.check(`${plane.name}_audit`);
    const { queued, oldestWaitingMs, lastFailureMsAgo } = plane.audit.status();
    const window = this.config.OPS_AUDIT_STUCK_SECONDS * 1000;
    if (oldestWaitingMs > window) return check.down({ message: `an audit entry has waited ${Math.round(oldestWaitingMs / 1000)} s to be written`, queued });
    if (lastFailureMsAgo !== null && lastFailureMsAgo <= window) return check.down({ message: 'the last audit write failed', queued });
    return check.up({ queued });
  }

  private accepting(plane: WatchedPlane): HealthIndicatorResult {
    const check = this.indicators.check(`${plane.name}_accepting`);
    return plane.drain.isDraining ? check.down({ message: 'stopping: finishing the calls under way' }) : check.up();
  }

  private async redis(client: { ping(): Promise<string> }): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('redis');
    try {
      await this.bounded(client.ping());
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }

  private bounded<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const limit = this.config.OPS_READINESS_TIMEOUT_MS;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${limit} ms`)), limit)));
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  }
}
