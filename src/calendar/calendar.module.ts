import { Module } from '@nestjs/common';
import { CalendarController } from './calendar.controller.js';
import { Clock } from './clock.js';
import { WorkingCalendarService } from './working-calendar.service.js';

/** The working calendar every clock uses (both planes). */
@Module({
  providers: [WorkingCalendarService, Clock],
  exports: [WorkingCalendarService, Clock],
})
export class CalendarModule {}

/** The register's control-plane routes (DTD edits, everyone reads). */
@Module({
  imports: [CalendarModule],
  controllers: [CalendarController],
})
export class CalendarControlPlaneModule {}
