import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Actor } from '../accounts/actor.js';
import { ControlPlaneRoute, CurrentActor } from '../accounts/control-plane-action.decorator.js';
import { NotificationsService } from './notifications.service.js';

class RegisterWebhookDto {
  @ApiProperty({ example: 'https://he-thong.btc.gov.vn/hooks/gateway', description: 'https only; never an address inside the gateway\'s network' })
  @IsString()
  @MaxLength(2000)
  url: string;
}

class InboxQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  unread?: string;
}

@ApiTags('Notifications')
@Controller('control/v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ControlPlaneRoute('notifications.read')
  @ApiOperation({ operationId: 'listNotifications', summary: "The unit's inbox: every decision and deadline about its connections" })
  inbox(@CurrentActor() actor: Actor, @Query() query: InboxQueryDto) {
    return this.notifications.inbox(actor.unit!, query.unread === 'true');
  }

  @Post(':id/read')
  @HttpCode(204)
  @ControlPlaneRoute('notifications.read')
  @ApiOperation({ operationId: 'markNotificationRead' })
  async markRead(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    await this.notifications.markRead(actor.unit!, id);
  }

  @Put('webhook')
  @ControlPlaneRoute('notifications.configure')
  @ApiOperation({ operationId: 'registerWebhook', summary: 'Push notifications to this URL (signed: X-Gateway-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<X-Gateway-Delivery>.<body>" with the secret>); the secret is shown once' })
  register(@CurrentActor() actor: Actor, @Body() body: RegisterWebhookDto) {
    return this.notifications.registerWebhook(actor.unit!, body.url);
  }
}
