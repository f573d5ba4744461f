import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { postJson, webhookSignature } from './webhook-post.js';
import { vetWebhookTarget } from './webhook-target.js';

const LEASE_SECONDS = 60;
const MAX_BACKOFF_SECONDS = 3600;

/**
 * Delivers queued notifications to unit webhooks, retrying with exponential back-off until a 2xx.
 * Each delivery is claimed with a short lease (several instances never send the same one at
 * once), signed (webhook-post.ts: `X-Gateway-Signature: t=<unix time>,v1=<HMAC of "t.id.body">`) and
 * sent to the address that was vetted, never to whatever the name resolves to a moment later.
 */
@Injectable()
export class WebhookDispatcher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly db: DataSource,
    private readonly config: GatewayConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.dispatchDue(), this.config.BACKGROUND_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Sends every delivery that is due; returns how many were delivered. */
  dispatchDue(): Promise<number> {
    this.running ??= this.sendBatch().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sendBatch(): Promise<number> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [claimed]: [Array<{ id: string; url: string; attempts: number; body: string; secret: string | null }>, number] = await this.db.query(
      `UPDATE webhook_deliveries d SET next_attempt_at = now() + interval '${LEASE_SECONDS} seconds'
         FROM notifications n LEFT JOIN unit_webhooks w ON w.unit = n.unit
        WHERE d.id IN (SELECT id FROM webhook_deliveries WHERE delivered_at IS NULL AND next_attempt_at <= now()
                       ORDER BY next_attempt_at LIMIT 20 FOR UPDATE SKIP LOCKED)
          AND n.id = d.notification_id
        RETURNING d.id, d.url, d.attempts, w.secret,
          json_build_object('id', n.id, 'unit', n.unit, 'connectionId', n.connection_id, 'kind', n.kind,
                            'message', n.message, 'data', n.data, 'createdAt', n.created_at)::text AS body`,
    );
    let delivered = 0;
    for (const delivery of claimed) {
      const error = await this.send(delivery);
      if (!error) delivered++;
      const backoff = Math.min(MAX_BACKOFF_SECONDS, 5 * 2 ** delivery.attempts);
      await this.db.query(
        error
          ? `UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = $2, next_attempt_at = now() + ($3 || ' seconds')::interval WHERE id = $1`
          : `UPDATE webhook_deliveries SET attempts = attempts + 1, delivered_at = now(), last_error = NULL WHERE id = $1`,
        error ? [delivery.id, error, String(backoff)] : [delivery.id],
      );
    }
    return delivered;
  }

  private async send(delivery: { id: string; url: string; body: string; secret: string | null }): Promise<string | null> {
    const target = await vetWebhookTarget(delivery.url, this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true');
    if ('problem' in target) return `target refused: ${target.problem}`;
    const headers = {
      'x-gateway-signature': webhookSignature(delivery.secret ?? '', delivery.id, delivery.body, Math.floor(Date.now() / 1000)),
      'x-gateway-delivery': delivery.id,
      'user-agent': 'vn-data-sharing-gateway/notifications',
    };
    try {
      const status = await postJson(target.url, delivery.body, headers, target.address, 5000);
      return status >= 200 && status < 300 ? null : `HTTP ${status}`;
    } catch (error) {
      this.logger.warn(`Webhook delivery to ${delivery.url} failed: ${(error as Error).message}`);
      return (error as Error).message;
    }
  }
}
