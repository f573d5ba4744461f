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
  | 'LIVE'
  | 'RE_EVALUATION_DUE'
  | 'RE_EVALUATED'
  | 'TERMINATED'
  | 'SUSPENDED'
  | 'RESTORED'
  | 'REMEDIATION_ACCEPTED'
  | 'REMEDIATION_RECOMMENDATIONS';

/**
 * Puts a notice in the unit's inbox and, when it registered a webhook, queues its delivery — in
 * the caller's transaction. A plain function so that modules outside the control plane (the data
 * plane's detector) can tell the unit too.
 */
export async function queueNotification(
  manager: EntityManager,
  unit: string,
  connectionId: string | null,
  kind: NotificationKind,
  message: string,
  data: Record<string, unknown> = {},
): Promise<Notification> {
  const notification = await manager.save(manager.create(Notification, { unit, connectionId, kind, message, data, readAt: null }));
  const webhook = await manager.findOneBy(UnitWebhook, { unit });
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

  inbox(unit: string, unreadOnly: boolean): Promise<Notification[]> {
    return this.notifications.find({ where: { unit, ...(unreadOnly ? { readAt: IsNull() } : {}) }, order: { createdAt: 'ASC' } });
  }

  async markRead(unit: string, id: string): Promise<void> {
    const result = await this.notifications.update({ id, unit, readAt: IsNull() }, { readAt: new Date() });
    if (!result.affected && !(await this.notifications.existsBy({ id, unit }))) throw ApiError.notFound('No such notification in your inbox');
  }

  /** Registers (or replaces) the unit's webhook; returns the signing secret once. */
  async registerWebhook(unit: string, url: string): Promise<{ url: string; secret: string }> {
    const problem = await webhookTargetProblem(url, this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true');
    if (problem) throw ApiError.badRequest('Webhook target refused', [{ field: 'url', problem }], 'WEBHOOK_TARGET_REFUSED');
    const secret = crypto.randomBytes(24).toString('base64url');
    await this.webhooks.save({ unit, url, secret });
    return { url, secret };
  }
}
