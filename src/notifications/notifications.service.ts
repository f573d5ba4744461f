import type { PageWindow } from '../shared/http/paging.js';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import crypto from 'node:crypto';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { ApiError } from '../shared/errors/api-error.js';
import { Notification, UnitWebhook, WebhookDelivery } from './notification.entity.js';
import { webhookTargetProblem } from './webhook-target.js';

export type NotificationKind =
  | 'RETURNED'
  | 'APPROVED'
  | 'AGREEMENT_RECORDED'
  | 'CONFIGURED'
  | 'CERTIFICATE_ISSUED'
  | 'CERTIFICATE_EXPIRING'
  | 'CERTIFICATE_REVOKED'
  | 'TEST_PASSED'
  | 'GO_LIVE_SCHEDULED'
  | 'LIVE'
  | 'RE_EVALUATION_DUE'
  | 'RE_EVALUATED'
  | 'REMEDY_DEADLINE_DUE'
  | 'TERMINATED'
  | 'SUSPENDED'
  | 'RESTORED'
  | 'REMEDIATION_ACCEPTED'
  | 'REMEDIATION_RECOMMENDATIONS'
  | 'WEBHOOK_FAILING'
  | 'PERIODIC_REPORT'
  | 'SECURITY_ASSESSMENT_REQUESTED'
  | 'SECURITY_ASSESSMENT_DOSSIER_RECEIVED'
  | 'UNIT_INCIDENT_REPORT_DUE';

/** The DTD's own inbox (its reviewers read it): scheduled reports, dossiers units send. */
export const DTD_INBOX = '@DTD';

/**
 * Puts a notice in the unit's inbox and, when it registered a webhook, queues its delivery — in
 * the caller's transaction. A plain function so that modules outside the control plane (the data
 * plane's detector) can tell the unit too. `push: false` keeps it in the inbox only (the notice
 * that the webhook itself is failing could not travel by that webhook).
 */
export async function queueNotification(
  manager: EntityManager,
  unit: string,
  connectionId: string | null,
  kind: NotificationKind,
  message: string,
  data: Record<string, unknown> = {},
  options: { push?: boolean } = {},
): Promise<Notification> {
  const notification = await manager.save(manager.create(Notification, { unit, connectionId, kind, message, data, readAt: null }));
  const webhook = options.push === false ? null : await manager.findOneBy(UnitWebhook, { unit });
  if (webhook) {
    await manager.save(
      manager.create(WebhookDelivery, { notificationId: notification.id, url: webhook.url, attempts: 0, nextAttemptAt: new Date(), deliveredAt: null, lastError: null }),
    );
  }
  return notification;
}

/**
 * Nobody is left waiting: every decision lands in the unit's inbox and, when the unit registered
 * a webhook, is queued for delivery in the same transaction as the decision itself.
 */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    @InjectRepository(UnitWebhook) private readonly webhooks: Repository<UnitWebhook>,
    private readonly config: GatewayConfig,
  ) {}

  notify(
    manager: EntityManager,
    unit: string,
    connectionId: string | null,
    kind: NotificationKind,
    message: string,
    data: Record<string, unknown> = {},
  ): Promise<Notification> {
    return queueNotification(manager, unit, connectionId, kind, message, data);
  }

  /** A page of the inbox, each notice with the name of the connection it is about (null for none). */
  async inbox(unit: string, unreadOnly: boolean, page?: PageWindow, newestFirst = false): Promise<Array<{ notice: Notification; connectionName: string | null }>> {
    const direction = newestFirst ? 'DESC' : 'ASC';
    const notices = await this.notifications.find({ where: { unit, ...(unreadOnly ? { readAt: IsNull() } : {}) }, order: { createdAt: direction, id: direction }, ...page });
    const ids = [...new Set(notices.map((n) => n.connectionId).filter((id): id is string => id !== null))];
    // A unit has a handful of connections; the names are read for the page in one query.
    const rows: Array<{ id: string; name: string }> = ids.length ? await this.notifications.manager.query('SELECT id, name FROM connections WHERE id = ANY($1::uuid[])', [ids]) : [];
    const names = new Map(rows.map((r) => [r.id, r.name]));
    return notices.map((notice) => ({ notice, connectionName: notice.connectionId ? (names.get(notice.connectionId) ?? null) : null }));
  }

  async markRead(unit: string, id: string): Promise<void> {
    const result = await this.notifications.update({ id, unit, readAt: IsNull() }, { readAt: new Date() });
    if (!result.affected && !(await this.notifications.existsBy({ id, unit }))) throw ApiError.notFound('No such notification in your inbox');
  }

  /**
   * Registers (or replaces) the unit's webhook; returns the signing secret once. Deliveries still
   * pending are due at once: each attempt goes to the webhook registered at that moment (and is
   * signed with its secret), so a unit that fixes its webhook gets what it missed without waiting
   * out the back-off, and nothing keeps retrying an address the unit has left.
   */
  async registerWebhook(unit: string, url: string): Promise<{ url: string; secret: string }> {
    const problem = await webhookTargetProblem(url, this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true');
    if (problem) throw ApiError.badRequest('Webhook target refused', [{ field: 'url', problem }], 'WEBHOOK_TARGET_REFUSED');
    const secret = crypto.randomBytes(24).toString('base64url');
    await this.webhooks.manager.transaction(async (manager) => {
      await manager.save(UnitWebhook, { unit, url, secret, consecutiveFailures: 0, failingSince: null, failureNotifiedAt: null });
      await manager.query(
        `UPDATE webhook_deliveries d SET next_attempt_at = now() FROM notifications n
          WHERE n.id = d.notification_id AND n.unit = $1 AND d.delivered_at IS NULL AND d.gave_up_at IS NULL`,
        [unit],
      );
    });
    return { url, secret };
  }

  /** The unit's webhook and how it is doing (the secret is never shown again). */
  async webhookStatus(unit: string) {
    const webhook = await this.webhooks.findOneBy({ unit });
    if (!webhook) throw ApiError.notFound('No webhook registered: PUT /control/v1/notifications/webhook registers one');
    const { url, updatedAt, consecutiveFailures, failingSince } = webhook;
    return { url, updatedAt, consecutiveFailures, failingSince };
  }

  /** The unit's delivery log, newest first: every attempt's outcome and what happens next. */
  deliveries(unit: string, page: PageWindow): Promise<WebhookDeliveryView[]> {
    return this.webhooks.manager.query(
      `SELECT d.id, d.notification_id AS "notificationId", n.kind, d.url,
              CASE WHEN d.delivered_at IS NOT NULL THEN 'DELIVERED' WHEN d.gave_up_at IS NOT NULL THEN 'GAVE_UP'
                   WHEN d.attempts > 0 THEN 'RETRYING' ELSE 'PENDING' END AS status,
              d.attempts, d.last_error AS "lastError", d.last_attempt_at AS "lastAttemptAt",
              CASE WHEN d.delivered_at IS NULL AND d.gave_up_at IS NULL THEN d.next_attempt_at END AS "nextAttemptAt",
              d.delivered_at AS "deliveredAt", d.gave_up_at AS "gaveUpAt", d.created_at AS "createdAt"
         FROM notifications n JOIN webhook_deliveries d ON d.notification_id = n.id
        WHERE n.unit = $1
        ORDER BY d.created_at DESC, d.id
        LIMIT $2 OFFSET $3`,
      [unit, page.take, page.skip],
    );
  }
}

export interface WebhookDeliveryView {
  id: string;
  notificationId: string;
  kind: string;
  url: string;
  status: 'PENDING' | 'RETRYING' | 'DELIVERED' | 'GAVE_UP';
  attempts: number;
  lastError: string | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  gaveUpAt: Date | null;
  createdAt: Date;
}
