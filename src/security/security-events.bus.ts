import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import crypto from 'node:crypto';
import { RedisConnection } from './redis/redis-connection.js';

/** Something every gateway instance must act on at once. */
export interface SecurityEvent {
  type: 'connection-suspended' | 'connection-restored';
  connectionId: string;
}
type Listener = (event: SecurityEvent) => void;

/**
 * Broadcasts security events to this instance's listeners at once and, through Redis pub/sub, to
 * every other instance sharing REDIS_URL. Delivery to other instances is best effort and takes
 * milliseconds; an instance that misses a message (Redis down, or just restarted) still sees the
 * change in the database within CredentialStatusService.CACHE_MS.
 */
@Injectable()
export class SecurityEventsBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('SecurityEvents');
  private readonly instanceId = crypto.randomUUID();
  private readonly listeners = new Set<Listener>();
  private readonly channel: string;

  constructor(private readonly redis: RedisConnection) {
    this.channel = redis.key('security-events');
  }

  async onModuleInit(): Promise<void> {
    const subscriber = this.redis.subscriber();
    if (!subscriber) return;
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      try {
        const { origin, event } = JSON.parse(message) as { origin: string; event: SecurityEvent };
        if (origin !== this.instanceId) this.dispatch(event);
      } catch (error) {
        this.logger.warn(`Ignored a malformed security event: ${(error as Error).message}`);
      }
    });
    await subscriber.subscribe(this.channel);
  }

  onApplicationShutdown(): void {
    this.listeners.clear();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async publish(event: SecurityEvent): Promise<void> {
    this.dispatch(event);
    if (!this.redis.client) return;
    try {
      await this.redis.client.publish(this.channel, JSON.stringify({ origin: this.instanceId, event }));
    } catch (error) {
      this.logger.error(`Could not broadcast ${event.type} of ${event.connectionId}: ${(error as Error).message}`);
    }
  }

  private dispatch(event: SecurityEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error(`A ${event.type} listener failed: ${(error as Error).message}`);
      }
    }
  }
}
