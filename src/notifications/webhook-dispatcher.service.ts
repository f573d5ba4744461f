import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import crypto from 'node:crypto';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { webhookTargetProblem } from './webhook-target.js';

const LEASE_SECONDS = 60;
const MAX_BACKOFF_SECONDS = 3600;

/**
 * Delivers queued notifications to unit webhooks, retrying with exponential back-off until a 2xx.
 * Each delivery is claimed with a short lease (several instances never send the same one at
 * once) and signed: `X-Gateway-Signature: sha256=<HMAC of the body with the unit's secret>`.
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

  private async send(delivery: { url: string; body: string; secret: string | null }): Promise<string | null> {
    const problem = await webhookTargetProblem(delivery.url, this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true');
    if (problem) return `target refused: ${problem}`;
    const signature = crypto.createHmac('sha256', delivery.secret ?? '').update(delivery.body).digest('hex');
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-gateway-signature': `sha256=${signature}` },
        body: delivery.body,
        redirect: 'error',
        signal: AbortSignal.timeout(5000),
      });
      return response.ok ? null : `HTTP ${response.status}`;
    } catch (error) {
      this.logger.warn(`Webhook delivery to ${delivery.url} failed: ${(error as Error).message}`);
      return (error as Error).message;
    }
  }
}
