import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../calendar/clock.js';
import { GatewayConfig } from '../../shared/config/gateway-config.js';
import { ApiError } from '../../shared/errors/api-error.js';
import { ConnectionState } from '../connection-lifecycle.js';
import { ConnectionOnboardingService } from './connection-onboarding.service.js';

/**
 * Opens production on the agreed go-live date (step 6): every BACKGROUND_INTERVAL_MS it takes
 * the table's `openProduction` transition for each GO_LIVE_SCHEDULED connection whose date has
 * come in TIMEZONE. Until then the data plane refuses the production certificate (NOT_YET_LIVE),
 * so production opens at most one interval (plus the one-second status cache) after midnight.
 */
@Injectable()
export class GoLiveScheduler implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('GoLiveScheduler');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: DataSource,
    private readonly onboarding: ConnectionOnboardingService,
    private readonly clock: Clock,
    private readonly config: GatewayConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.openDue().catch((error: Error) => this.logger.error(`Opening scheduled go-lives failed (tried again in ${this.config.BACKGROUND_INTERVAL_MS} ms): ${error.message}`));
    }, this.config.BACKGROUND_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Opens every scheduled connection whose go-live date is today or past; returns their ids. */
  async openDue(): Promise<string[]> {
    const due: Array<{ id: string }> = await this.db.query(`SELECT id FROM connections WHERE state = $1 AND go_live_date <= $2::date ORDER BY go_live_date`, [
      ConnectionState.GO_LIVE_SCHEDULED,
      this.clock.today(),
    ]);
    const opened: string[] = [];
    const failed: string[] = [];
    for (const { id } of due) {
      try {
        await this.onboarding.openProduction(id);
        opened.push(id);
        this.logger.log(`Connection ${id}: production open (scheduled go-live)`);
      } catch (error) {
        // Another instance opened it first, or it was suspended or terminated meanwhile: the
        // state table refused under the row lock, and there is nothing to do.
        if (error instanceof ApiError && error.code === 'ILLEGAL_TRANSITION') continue;
        // One that fails must not hold back the others; it is tried again on the next round.
        failed.push(`${id}: ${(error as Error).message}`);
      }
    }
    if (failed.length) throw new Error(`could not open ${failed.length} scheduled go-live(s): ${failed.join('; ')}`);
    return opened;
  }
}
