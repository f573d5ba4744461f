import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import fs from 'node:fs';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../calendar/clock.js';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { BackgroundLoop } from '../shared/runtime/background-loop.js';
import { queueNotification } from './notifications.service.js';
import { describeDeliveryError, postJson, webhookSignature } from './webhook-post.js';
import { vetWebhookTarget } from './webhook-target.js';

const LEASE_SECONDS = 60;
const MAX_BACKOFF_SECONDS = 3600;

interface ClaimedDelivery {
  id: string;
  unit: string;
  /** The unit's webhook now (null: it has none any more), not the one when the notice was queued. */
  url: string | null;
  secret: string | null;
  attempts: number;
  expired: boolean;
  body: string;
}

/**
 * Delivers queued notifications to unit webhooks, retrying with exponential back-off until a 2xx,
 * at most WEBHOOK_MAX_ATTEMPTS times within WEBHOOK_MAX_AGE_HOURS; then it is given up, and says so
 * in the unit's delivery log. Each delivery is claimed with a short lease (several instances never
 * send the same one at once), sent to the unit's webhook as registered at that moment, signed
 * (webhook-post.ts: `X-Gateway-Signature: t=<unix time>,v1=<HMAC of "t.id.body">`) and sent to
 * the address that was vetted, never to whatever the name resolves to a moment later. After
 * WEBHOOK_FAILURE_NOTICE_AFTER failed attempts in a row the unit finds a WEBHOOK_FAILING notice
 * in its inbox (once per run of failures).
 *
 * When a delivery is due, and when it has expired, is read on the gateway's Clock (as every other
 * deadline here), not the database's: a test moves the Clock past a back-off instead of waiting it out.
 */
@Injectable()
export class WebhookDispatcher implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly extraCa?: string;
  private running?: Promise<number>;
  private readonly loop = new BackgroundLoop('Webhook deliveries', this.logger, () => this.dispatchDue());

  constructor(
    private readonly db: DataSource,
    private readonly config: GatewayConfig,
    private readonly clock: Clock,
  ) {
    this.extraCa = config.WEBHOOK_CA_CERT ? fs.readFileSync(config.WEBHOOK_CA_CERT, 'utf8') : undefined;
  }

  onModuleInit(): void {
    this.loop.start(this.config.BACKGROUND_INTERVAL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
    await this.running?.catch(() => undefined); // a run's failure was logged by the loop
  }

  /** Sends every delivery that is due; returns how many were delivered. One run at a time. */
  dispatchDue(): Promise<number> {
    this.running ??= this.sendBatch().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sendBatch(): Promise<number> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const [claimed]: [ClaimedDelivery[], number] = await this.db.query(
      `UPDATE webhook_deliveries d SET next_attempt_at = $2::timestamptz + interval '${LEASE_SECONDS} seconds'
         FROM notifications n LEFT JOIN unit_webhooks w ON w.unit = n.unit
        WHERE d.id IN (SELECT id FROM webhook_deliveries WHERE delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= $2
                       ORDER BY next_attempt_at LIMIT 20 FOR UPDATE SKIP LOCKED)
          AND n.id = d.notification_id
        RETURNING d.id, n.unit, w.url, w.secret, d.attempts,
          d.created_at <= $2::timestamptz - make_interval(hours => $1) AS expired,
          json_build_object('id', n.id, 'unit', n.unit, 'connectionId', n.connection_id, 'kind', n.kind,
                            'message', n.message, 'data', n.data, 'createdAt', n.created_at)::text AS body`,
      [this.config.WEBHOOK_MAX_AGE_HOURS, this.clock.now()],
    );
    let delivered = 0;
    for (const delivery of claimed) {
      const error = delivery.url ? await this.send(delivery as ClaimedDelivery & { url: string }) : 'the unit has no webhook any more';
      if (!error) delivered++;
      await this.db.transaction((manager) => (error ? this.recordFailure(manager, delivery, error) : this.recordSuccess(manager, delivery)));
    }
    return delivered;
  }

  private async recordSuccess(manager: EntityManager, delivery: ClaimedDelivery): Promise<void> {
    await manager.query(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, delivered_at = $3, last_attempt_at = $3, last_error = NULL, url = $2 WHERE id = $1`,
      [delivery.id, delivery.url, this.clock.now()],
    );
    await manager.query(
      `UPDATE unit_webhooks SET consecutive_failures = 0, failing_since = NULL, failure_notified_at = NULL WHERE unit = $1 AND url = $2`,
      [delivery.unit, delivery.url],
    );
  }

  private async recordFailure(manager: EntityManager, delivery: ClaimedDelivery, error: string): Promise<void> {
    const attempts = delivery.attempts + 1;
    const givingUp = attempts >= this.config.WEBHOOK_MAX_ATTEMPTS || delivery.expired || !delivery.url;
    const backoff = Math.min(MAX_BACKOFF_SECONDS, 5 * 2 ** delivery.attempts);
    await manager.query(
      `UPDATE webhook_deliveries SET attempts = $2, last_error = $3, last_attempt_at = $7, url = coalesce($4, url),
              gave_up_at = CASE WHEN $5 THEN $7::timestamptz END,
              next_attempt_at = CASE WHEN $5 THEN next_attempt_at ELSE $7::timestamptz + make_interval(secs => $6) END
        WHERE id = $1`,
      [delivery.id, attempts, givingUp ? `${error}; given up after ${attempts} attempt(s)` : error, delivery.url, givingUp, backoff, this.clock.now()],
    );
    if (!delivery.url) return;
    // Counted against the webhook the attempt went to: one registered meanwhile starts afresh.
    // `now()` is the transaction's start, so "= now()" tells whether this statement set it.
    const [rows]: [Array<{ notify: boolean; failures: number }>, number] = await manager.query(
      `UPDATE unit_webhooks SET consecutive_failures = consecutive_failures + 1, failing_since = coalesce(failing_since, now()),
              failure_notified_at = CASE WHEN failure_notified_at IS NULL AND consecutive_failures + 1 >= $3 THEN now() ELSE failure_notified_at END
        WHERE unit = $1 AND url = $2
        RETURNING failure_notified_at = now() AS notify, consecutive_failures AS failures`,
      [delivery.unit, delivery.url, this.config.WEBHOOK_FAILURE_NOTICE_AFTER],
    );
    if (rows[0]?.notify) {
      await queueNotification(
        manager,
        delivery.unit,
        null,
        'WEBHOOK_FAILING',
        `Your webhook has failed ${rows[0].failures} times in a row (last: ${error}). Notifications stay in this inbox; ` +
          'see GET /control/v1/notifications/webhook/deliveries, and register a working URL with PUT /control/v1/notifications/webhook.',
        { consecutiveFailures: rows[0].failures, lastError: error },
        { push: false },
      );
    }
  }

  private async send(delivery: ClaimedDelivery & { url: string }): Promise<string | null> {
    const target = await vetWebhookTarget(delivery.url, this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true');
    if ('problem' in target) return `target refused: ${target.problem}`;
    const headers = {
      'x-gateway-signature': webhookSignature(delivery.secret ?? '', delivery.id, delivery.body, Math.floor(Date.now() / 1000)),
      'x-gateway-delivery': delivery.id,
      'user-agent': 'vn-data-sharing-gateway/notifications',
    };
    try {
      const status = await postJson(target.url, delivery.body, headers, target.address, 5000, this.extraCa);
      return status >= 200 && status < 300 ? null : `HTTP ${status}`;
    } catch (error) {
      this.logger.warn(`Webhook delivery to ${delivery.url} failed: ${(error as Error).message}`);
      return describeDeliveryError(error as Error);
    }
  }
}
