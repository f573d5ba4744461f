import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import os from 'node:os';
import { DataSource } from 'typeorm';
import { AlertDeliveryService } from '../alerts/alert-delivery.service.js';
import { enqueueAlert } from '../alerts/alert-outbox.js';
import { RedisConnection } from './redis-connection.js';

/** How often a Redis that went away is asked whether it is back. */
const PROBE_MS = 1000;

type ResumeListener = () => Promise<void> | void;

/**
 * Whether the data plane counts in Redis (one count for every instance) or, while Redis is away,
 * in this process. Counting per instance keeps quotas and the automatic cut-off working through an
 * outage instead of letting every call and every attack probe through uncounted; each instance
 * then allows the full quota and sees only its own calls, which is why both switches are announced
 * in the log and as a security alert (REDIS_UNAVAILABLE, REDIS_RESTORED).
 *
 * An outage begins with the first failed command or a dropped connection, whichever comes first;
 * it ends when Redis answers a PING again (asked every PROBE_MS, and at once on reconnection), and
 * counting is then shared again without a restart.
 */
@Injectable()
export class RedisAvailability implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private readonly instance = `${os.hostname()}/${process.pid}`;
  private downSince: Date | null = null;
  private probing: NodeJS.Timeout | null = null;
  private checking = false;
  private wasReady = false;
  private stopped = false;
  private readonly resumeListeners: ResumeListener[] = [];
  /** Announcements are written one after the other, so an outage's two alerts are in order. */
  private announcing: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: RedisConnection,
    private readonly db: DataSource,
    private readonly alerts: AlertDeliveryService,
  ) {}

  /** True while counts go to Redis; false without REDIS_URL or while Redis is away. */
  get shared(): boolean {
    return this.redis.enabled && this.downSince === null;
  }

  onModuleInit(): void {
    const client = this.redis.client;
    if (!client) return;
    this.wasReady = client.status === 'ready';
    client.on('ready', () => {
      this.wasReady = true;
      if (this.downSince) void this.check();
    });
    // Noticed at once, before a call fails on it: an idle gateway announces the outage too.
    client.on('close', () => {
      if (this.wasReady && !this.redis.closing) this.unavailable(new Error('connection lost'));
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.probing) clearInterval(this.probing);
    await this.announcing;
  }

  /** Called when shared counting is back, before more calls are counted in Redis. */
  onResume(listener: ResumeListener): void {
    this.resumeListeners.push(listener);
  }

  /** A Redis command failed (or the connection dropped): count in this process until Redis answers again. */
  unavailable(error: Error): void {
    if (this.downSince || this.stopped || !this.redis.enabled) return;
    const since = (this.downSince = new Date());
    const message = 'Redis is unreachable: quotas and the automatic cut-off now count on this gateway instance alone (each instance allows the full quota) until it is back';
    this.logger.error(`${message} (${error.message})`);
    this.announce('REDIS_UNAVAILABLE', { counting: 'per-instance', since: since.toISOString(), error: error.message.slice(0, 200), message });
    this.probing = setInterval(() => {
      this.check().catch((error: Error) => this.logger.warn(`Redis probe failed: ${error.message}`));
    }, PROBE_MS);
    this.probing.unref();
  }

  private async check(): Promise<void> {
    if (this.checking || !this.downSince || this.stopped) return;
    this.checking = true;
    try {
      await this.redis.client!.ping();
      await this.resume();
    } catch {
      // Still away: the next probe asks again.
    } finally {
      this.checking = false;
    }
  }

  private async resume(): Promise<void> {
    const since = this.downSince!;
    this.downSince = null;
    if (this.probing) clearInterval(this.probing);
    this.probing = null;
    const message = 'Redis answers again: quotas and the automatic cut-off count in Redis, shared by every gateway instance';
    this.logger.log(`${message} (per-instance counting lasted ${Math.round((Date.now() - since.getTime()) / 1000)} s)`);
    this.announce('REDIS_RESTORED', { counting: 'shared', since: since.toISOString(), until: new Date().toISOString(), message });
    for (const listener of this.resumeListeners) {
      try {
        await listener();
      } catch (error) {
        this.logger.error(`After Redis came back: ${(error as Error).message}`);
      }
    }
  }

  /** A security alert with no incident (nothing was suspended); delivered like the others. */
  private announce(kind: string, body: Record<string, unknown>): void {
    this.announcing = this.announcing
      .then(() => enqueueAlert(this.db.manager, { kind, incidentId: null, body: { instance: this.instance, redis: this.redis.address, ...body } }))
      .then(() => this.alerts.kick())
      .catch((error: Error) => this.logger.error(`Could not record the ${kind} security alert: ${error.message}`));
  }
}
