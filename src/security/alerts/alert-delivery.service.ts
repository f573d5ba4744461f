import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../../shared/config/gateway-config.js';

const BATCH = 20;

/**
 * Delivers the alert outbox (security_alerts) to SECURITY_ALERT_WEBHOOK_URL: POST of the stored
 * JSON with an `Idempotency-Key`, 2xx = delivered. A failed attempt is retried after
 * ALERT_RETRY_BASE_MS × 2^(attempts-1), capped at ALERT_RETRY_MAX_MS, for as long as it takes.
 *
 * Several instances may run this: each claims due rows with FOR UPDATE SKIP LOCKED and pushes
 * their next attempt past the delivery timeout (a lease), so one alert is not sent twice at once.
 */
@Injectable()
export class AlertDeliveryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SecurityAlerts');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: DataSource,
    private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.SECURITY_ALERT_WEBHOOK_URL) {
      this.logger.warn('SECURITY_ALERT_WEBHOOK_URL is not set: security alerts are kept in the security_alerts table until it is');
      return;
    }
    this.timer = setInterval(() => this.kick(), this.config.ALERT_POLL_INTERVAL_MS);
    this.timer.unref();
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Deliver what is due now (called after an alert is queued, and by the timer). */
  kick(): void {
    if (!this.config.SECURITY_ALERT_WEBHOOK_URL || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.deliverDue()
      .catch((error) => this.logger.error(`Alert delivery pass failed: ${(error as Error).message}`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Back-off before attempt n+1 after n failed attempts. */
  retryDelayMs(failedAttempts: number): number {
    const exponent = Math.min(Math.max(failedAttempts - 1, 0), 30);
    return Math.min(this.config.ALERT_RETRY_BASE_MS * 2 ** exponent, this.config.ALERT_RETRY_MAX_MS);
  }

  private async deliverDue(): Promise<void> {
    for (let pass = 0; pass < 50 && !this.stopped; pass++) {
      const leaseMs = this.config.ALERT_DELIVERY_TIMEOUT_MS + 5000;
      const due: Array<{ id: string; payload: string; attempts: number }> = await this.db.query(
        `UPDATE security_alerts SET next_attempt_at = now() + ($1 * interval '1 millisecond')
          WHERE id IN (SELECT id FROM security_alerts
                        WHERE delivered_at IS NULL AND next_attempt_at <= now()
                        ORDER BY next_attempt_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
          RETURNING id, payload, attempts`,
        [leaseMs],
      ).then((result: unknown) => (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as never);
      await Promise.all(due.map((alert) => this.deliver(alert)));
      if (due.length < BATCH) return;
    }
  }

  private async deliver(alert: { id: string; payload: string; attempts: number }): Promise<void> {
    const attempts = Number(alert.attempts) + 1;
    try {
      const response = await fetch(this.config.SECURITY_ALERT_WEBHOOK_URL!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': alert.id, 'user-agent': 'vn-data-sharing-gateway/security-alerts' },
        body: alert.payload,
        signal: AbortSignal.timeout(this.config.ALERT_DELIVERY_TIMEOUT_MS),
      });
      // Drained to free the socket; the status alone decides, so a body that breaks off changes nothing.
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new Error(`webhook answered ${response.status}`);
      await this.db.query(`UPDATE security_alerts SET delivered_at = now(), attempts = $2, last_error = NULL WHERE id = $1`, [alert.id, attempts]);
    } catch (error) {
      const delay = this.retryDelayMs(attempts);
      const reason = (error as Error).message.slice(0, 500);
      this.logger.warn(`Alert ${alert.id} not delivered (attempt ${attempts}: ${reason}); next try in ${delay} ms`);
      await this.db.query(
        `UPDATE security_alerts SET attempts = $2, last_error = $3, next_attempt_at = now() + ($4 * interval '1 millisecond') WHERE id = $1`,
        [alert.id, attempts, reason, delay],
      );
    }
  }
}
