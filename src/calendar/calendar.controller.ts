import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { Actor } from '../accounts/actor.js';
import { ControlPlaneRoute, CurrentActor } from '../accounts/control-plane-action.decorator.js';
import { ApiError, ApiErrorBody } from '../shared/errors/api-error.js';
import { ApiFailures } from '../shared/errors/api-error-responses.js';
import { CalendarDay } from './calendar-day.entity.js';
import { CalendarDayView, CalendarYearQueryDto, CalendarYearView, SetCalendarDayDto } from './dto/calendar-day.dto.js';
import { WorkingCalendarService } from './working-calendar.service.js';
import { WORKING_PERIODS } from './working-calendar.js';
import { Audited } from '../audit/http/audited.decorator.js';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The working-calendar register (Lịch làm việc): public holidays, swapped days off and make-up
 * days, per year. The DTD keeps it current from each year's announcement; every change is in the
 * audit log, and every working-time clock (7 working days of an incident review, 8 working hours
 * of a task dispute) follows it.
 */
@ApiTags('Calendar')
@Controller('control/v1/calendar')
export class CalendarController {
  constructor(
    private readonly db: DataSource,
    private readonly calendars: WorkingCalendarService,
  ) {}

  @Get()
  @ControlPlaneRoute('calendar.read')
  @Audited()
  @ApiOperation({ operationId: 'getWorkingCalendar', summary: 'Holidays and make-up days of one year, the zone and the working hours' })
  @ApiOkResponse({ type: CalendarYearView })
  @ApiFailures([400, 'year out of bounds'])
  async year(@Query() query: CalendarYearQueryDto): Promise<CalendarYearView> {
    const calendar = this.calendars.calendar();
    const year = query.year ?? Number(calendar.dateOf(new Date()).slice(0, 4));
    const days = await this.db.getRepository(CalendarDay).createQueryBuilder('d')
      .where('d.day BETWEEN :from AND :to', { from: `${year}-01-01`, to: `${year}-12-31` }).orderBy('d.day').getMany();
    return {
      timeZone: calendar.zone,
      year,
      workingHours: WORKING_PERIODS.map(([start, end]) => [`${String(start).padStart(2, '0')}:00`, `${end}:00`]),
      days: days.map(view),
    };
  }

  @Put('days/:day')
  @ControlPlaneRoute('calendar.manage')
  @Audited()
  @ApiOperation({ operationId: 'setCalendarDay', summary: 'Record a holiday, a swapped day off or a make-up working day' })
  @ApiParam({ name: 'day', example: '2027-02-08' })
  @ApiOkResponse({ type: CalendarDayView })
  @ApiResponse({ status: 400, type: ApiErrorBody, description: 'Not a calendar date, or a field out of bounds' })
  async set(@CurrentActor() actor: Actor, @Param('day') day: string, @Body() body: SetCalendarDayDto): Promise<CalendarDayView> {
    checkDay(day);
    const repository = this.db.getRepository(CalendarDay);
    await repository.upsert({ day, kind: body.kind, name: body.name.normalize('NFC'), source: body.source.normalize('NFC'), updatedAt: new Date(), updatedBy: actor.accountId }, ['day']);
    await this.calendars.reload();
    return view(await repository.findOneByOrFail({ day }));
  }

  @Delete('days/:day')
  @HttpCode(204)
  @ControlPlaneRoute('calendar.manage')
  @Audited()
  @ApiOperation({ operationId: 'clearCalendarDay', summary: 'The day follows its weekday again' })
  @ApiParam({ name: 'day', example: '2027-02-08' })
  @ApiResponse({ status: 204, description: 'Removed' })
  @ApiFailures([400, 'Not a calendar date'])
  @ApiResponse({ status: 404, type: ApiErrorBody, description: 'The register has no entry for that day' })
  async clear(@Param('day') day: string): Promise<void> {
    checkDay(day);
    const { affected } = await this.db.getRepository(CalendarDay).delete({ day });
    if (!affected) throw ApiError.notFound(`The calendar has no entry for ${day}`);
    await this.calendars.reload();
  }
}

function checkDay(day: string): void {
  const valid = ISO_DAY.test(day) && new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;
  if (!valid) throw ApiError.badRequest('day must be a calendar date YYYY-MM-DD', [{ field: 'day', problem: 'must be a calendar date YYYY-MM-DD' }]);
}

function view(d: CalendarDay): CalendarDayView {
  return { day: d.day, kind: d.kind, name: d.name, source: d.source, updatedAt: new Date(d.updatedAt).toISOString(), updatedBy: d.updatedBy };
}
