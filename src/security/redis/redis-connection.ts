import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { GatewayConfig } from '../../shared/config/gateway-config.js';

/**
 * The gateway's shared Redis, when REDIS_URL is set: one command connection (quota and anomaly
 * counts, publishing) and, on demand, one subscriber connection (a subscribed connection can do
 * nothing else). Null clients mean "single instance": callers fall back to in-memory state.
 *
 * Commands fail fast while Redis is unreachable (no offline queue) and fail after
 * REDIS_COMMAND_TIMEOUT_MS when it does not answer (a host gone without a reset), so a Redis outage
 * never holds a call for long; the data plane then counts per instance (redis-availability.ts).
 * The subscriber keeps its offline queue: it only ever queues its one SUBSCRIBE, and ioredis
 * subscribes again by itself after a reconnection.
 */
@Injectable()
export class RedisConnection implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  readonly client: Redis | null;
  private subscriberClient: Redis | null = null;
  readonly prefix: string;
  /** Set once the gateway closes the connections on purpose: their 'close' is then no outage. */
  closing = false;
  private readonly commandTimeout: number;

  constructor(config: GatewayConfig) {
    this.prefix = config.REDIS_KEY_PREFIX;
    this.commandTimeout = config.REDIS_COMMAND_TIMEOUT_MS;
    this.client = config.REDIS_URL ? this.open(config.REDIS_URL, 'commands') : null;
  }

  get enabled(): boolean {
    return this.client !== null;
  }

  /** A dedicated connection for SUBSCRIBE, opened the first time it is asked for. */
  subscriber(): Redis | null {
    if (!this.client) return null;
    this.subscriberClient ??= this.open(this.client.options, 'subscriber');
    return this.subscriberClient;
  }

  /** host:port of the Redis in use, for logs and alerts (never the password). */
  get address(): string | null {
    return this.client ? `${this.client.options.host}:${this.client.options.port}` : null;
  }

  key(...parts: string[]): string {
    return this.prefix + parts.join(':');
  }

  /** With REDIS_URL set, the gateway does not start until Redis answers (or says why it cannot). */
  async onModuleInit(): Promise<void> {
    const client = this.client;
    if (!client || client.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error('no answer within 10 s')), 10_000);
      const fail = (error: Error) => {
        clearTimeout(timer);
        client.off('ready', ok);
        client.disconnect();
        reject(new Error(`REDIS_URL is set but Redis cannot be reached: ${error.message}`));
      };
      const ok = () => {
        clearTimeout(timer);
        client.off('error', fail);
        resolve();
      };
      client.once('ready', ok);
      client.once('error', fail);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    // QUIT only on a live connection: sent to a reconnecting subscriber it would wait in its offline queue.
    await Promise.all([this.subscriberClient, this.client].map((c) => (c?.status === 'ready' ? c.quit().catch(() => c.disconnect()) : c?.disconnect())));
  }

  private open(target: string | Redis['options'], role: string): Redis {
    // Auto-pipelining sends the commands of one event-loop turn in one write: every data-plane
    // call counts its quota in Redis, and on a busy gateway many calls do so in the same turn.
    const options = {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: role === 'subscriber',
      enableAutoPipelining: role !== 'subscriber',
      connectTimeout: 5000,
      // Not on the subscriber: its SUBSCRIBE may wait for Redis at start-up, and it sends nothing else.
      commandTimeout: role === 'subscriber' ? undefined : this.commandTimeout,
    };
    const redis = typeof target === 'string' ? new Redis(target, options) : new Redis({ ...target, ...options });
    let lastError = '';
    redis.on('error', (error: Error) => {
      if (error.message !== lastError) this.logger.error(`Redis (${role}): ${error.message}`);
      lastError = error.message;
    });
    redis.on('ready', () => {
      if (lastError) this.logger.log(`Redis (${role}) reconnected`);
      lastError = '';
    });
    return redis;
  }
}
