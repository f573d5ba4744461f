import type { Logger } from '@nestjs/common';

/**
 * Runs `task` every `intervalMs`, one run at a time, for background work (webhook deliveries,
 * reminders). A failed run is logged and the loop carries on: during a database outage every run
 * fails, and an unhandled rejection from a timer that drops its task's promise would end the
 * process. Repeated identical failures are logged once, then again when the loop recovers.
 */
export class BackgroundLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private lastFailure: string | null = null;

  constructor(
    private readonly name: string,
    private readonly logger: Logger,
    private readonly task: () => Promise<unknown>,
  ) {}

  start(intervalMs: number): void {
    this.stop();
    // runOnce() catches every failure itself (below), so the promise it returns never rejects.
    this.timer = setInterval(() => {
      this.runOnce();
    }, intervalMs);
    this.timer.unref();
  }

  /** One run now, unless one is under way (then that one). Never rejects. */
  runOnce(): Promise<unknown> {
    this.running ??= this.task()
      .then(
        (result) => {
          if (this.lastFailure !== null) this.logger.log(`${this.name}: working again`);
          this.lastFailure = null;
          return result;
        },
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          if (message !== this.lastFailure) this.logger.warn(`${this.name} failed (will retry): ${message}`);
          this.lastFailure = message;
          return undefined;
        },
      )
      .finally(() => (this.running = null));
    return this.running;
  }

  /** Stops the timer and waits for a run under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
