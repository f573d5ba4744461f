import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Actor } from '../accounts/actor.js';
import { ControlPlaneRoute, CurrentActor } from '../accounts/control-plane-action.decorator.js';
import { DTD_INBOX } from './notifications.service.js';
import { ApiFailures, ApiNoContent, ApiSuccess } from '../shared/errors/api-error-responses.js';
import { OrderedPageQueryDto, PageOf, PageQueryDto, pageWindow, toPage } from '../shared/http/paging.js';
import { NotificationView, RegisteredWebhookView, toNotificationView } from './dto/notification.views.js';
import { NotificationsService, WebhookDeliveryView } from './notifications.service.js';
import { Audited } from '../audit/http/audited.decorator.js';

/** A unit administrator reads the unit's inbox; a DTD reviewer (no unit) the DTD's. */
const inboxOf = (actor: Actor) => actor.unit ?? DTD_INBOX;

class RegisterWebhookDto {
  @ApiProperty({ example: 'https://he-thong.btc.gov.vn/hooks/gateway', description: 'https only; never an address inside the gateway\'s network' })
  @IsString()
  @MaxLength(2000)
  url: string;
}

class InboxQueryDto extends OrderedPageQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  unread?: string;
}

class DeliveriesQueryDto extends PageQueryDto {}

class WebhookStatusDto {
  @ApiProperty() url: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;
  @ApiProperty({ description: 'Failed attempts in a row; 0 once one is delivered' }) consecutiveFailures: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) failingSince: Date | null;
}

class WebhookDeliveryDto implements WebhookDeliveryView {
  @ApiProperty({ format: 'uuid', description: 'Sent as X-Gateway-Delivery' }) id: string;
  @ApiProperty({ format: 'uuid' }) notificationId: string;
  @ApiProperty({ example: 'APPROVED' }) kind: string;
  @ApiProperty({ description: 'Where the last attempt went (each attempt goes to the webhook registered at that moment)' }) url: string;
  @ApiProperty({ enum: ['PENDING', 'RETRYING', 'DELIVERED', 'GAVE_UP'] }) status: WebhookDeliveryView['status'];
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String, example: 'HTTP 503' }) lastError: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastAttemptAt: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'null once delivered or given up' }) nextAttemptAt: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deliveredAt: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) gaveUpAt: Date | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
}

@ApiTags('Notifications')
@Controller('control/v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ControlPlaneRoute('notifications.read')
  @Audited()
  @ApiOperation({ operationId: 'listNotifications', summary: "The unit's inbox: every decision and deadline about its connections (for a DTD reviewer: the DTD's inbox, e.g. the quarterly report)" })
  @ApiSuccess(200, PageOf(NotificationView))
  @ApiFailures(400)
  async inbox(@CurrentActor() actor: Actor, @Query() query: InboxQueryDto) {
    const window = pageWindow(query);
    return toPage(await this.notifications.inbox(inboxOf(actor), query.unread === 'true', window, query.order === 'newest'), window, toNotificationView);
  }

  @Post(':id/read')
  @ControlPlaneRoute('notifications.read')
  @Audited({ target: 'notification' })
  @ApiOperation({ operationId: 'markNotificationRead' })
  @ApiNoContent('Marked read (again: no change)')
  @ApiFailures(400, [404, 'No such notification in your inbox'])
  async markRead(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    await this.notifications.markRead(inboxOf(actor), id);
  }

  @Put('webhook')
  @ControlPlaneRoute('notifications.configure')
  @Audited()
  @ApiOperation({ operationId: 'registerWebhook', summary: 'Push notifications to this URL (signed: X-Gateway-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<X-Gateway-Delivery>.<body>" with the secret>); the secret is shown once; deliveries still pending go to the new URL at once' })
  @ApiSuccess(200, RegisteredWebhookView)
  @ApiFailures([400, 'Invalid input, or WEBHOOK_TARGET_REFUSED: not https, or an address inside the gateway\'s network'])
  register(@CurrentActor() actor: Actor, @Body() body: RegisterWebhookDto): Promise<RegisteredWebhookView> {
    return this.notifications.registerWebhook(actor.unit!, body.url);
  }

  @Get('webhook')
  @ControlPlaneRoute('notifications.read')
  @Audited()
  @ApiOperation({ operationId: 'getWebhook', summary: "The unit's webhook and whether its deliveries are failing (404 when none is registered)" })
  @ApiOkResponse({ type: WebhookStatusDto })
  @ApiFailures([404, 'No webhook registered'])
  webhook(@CurrentActor() actor: Actor): Promise<WebhookStatusDto> {
    // The DTD reads its inbox too, and has no webhook: 404, as for a unit without one.
    return this.notifications.webhookStatus(inboxOf(actor));
  }

  @Get('webhook/deliveries')
  @ControlPlaneRoute('notifications.read')
  @Audited()
  @ApiOperation({ operationId: 'listWebhookDeliveries', summary: 'The delivery log, newest first: attempts, last error, next retry; given up after WEBHOOK_MAX_ATTEMPTS attempts or WEBHOOK_MAX_AGE_HOURS' })
  @ApiSuccess(200, PageOf(WebhookDeliveryDto))
  @ApiFailures(400)
  async deliveries(@CurrentActor() actor: Actor, @Query() query: DeliveriesQueryDto) {
    const window = pageWindow(query);
    return toPage(await this.notifications.deliveries(inboxOf(actor), window), window, (d: WebhookDeliveryDto) => d);
  }
}
