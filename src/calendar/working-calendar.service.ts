import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../shared/config/gateway-config.js';
import { BackgroundLoop } from '../shared/runtime/background-loop.js';
import { CalendarDay } from './calendar-day.entity.js';
import { WorkingCalendar } from './working-calendar.js';

/** How often an instance re-reads the register, so that another instance's edit reaches it. */
const REFRESH_MS = 60_000;

/**
 * The working calendar as the register says it now: loaded at start-up, re-read every minute
 * (several instances) and at once after an edit on this instance. `calendar()` is synchronous,
 * so deadline computations never wait on the database.
 */
@Injectable()
export class WorkingCalendarService implements OnModuleInit, OnModuleDestroy {
  private current: WorkingCalendar;
  private readonly loop = new BackgroundLoop('Working calendar refresh', new Logger(WorkingCalendarService.name), () => this.reload());

  constructor(
    private readonly db: DataSource,
    private readonly config: GatewayConfig,
  ) {
    this.current = new WorkingCalendar(config.TIMEZONE);
  }

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.loop.start(REFRESH_MS);
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  calendar(): WorkingCalendar {
    return this.current;
  }

  async reload(): Promise<void> {
    const days = await this.db.getRepository(CalendarDay).find();
    this.current = new WorkingCalendar(this.config.TIMEZONE, days);
  }
}
