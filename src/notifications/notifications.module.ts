import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CalendarModule } from '../calendar/calendar.module.js';
import { Notification, UnitWebhook, WebhookDelivery } from './notification.entity.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';
import { RemindersService } from './reminders.service.js';
import { WebhookDispatcher } from './webhook-dispatcher.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Notification, UnitWebhook, WebhookDelivery]), CalendarModule],
  controllers: [NotificationsController],
  providers: [NotificationsService, WebhookDispatcher, RemindersService],
  exports: [NotificationsService, WebhookDispatcher, RemindersService],
})
export class NotificationsModule {}
