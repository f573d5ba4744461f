import { Clock } from '../../src/calendar/clock.js';

/**
 * The gateway's Clock as a test moves it: real time plus an offset the test advances. Every Clock
 * in this test file's process reads it (the data plane, the control plane and the operator
 * context are separate Nest applications with a Clock each), so a test crosses a cache lifetime
 * or an expiry at once instead of sleeping until it passes. Only forward: what the gateway
 * remembers is never older than it thinks.
 *
 * Jest gives each test file its own module registry, so the patch below never leaks into another
 * file; within a file, every harness shares the one offset.
 */
export class TestClock {
  private offsetMs = 0;
  /** While frozen, the reading that does not move with real time (see freeze()). */
  private frozenAt: number | null = null;

  private constructor() {}

  private static instance: TestClock | undefined;

  static install(): TestClock {
    if (!TestClock.instance) {
      const clock = (TestClock.instance = new TestClock());
      Clock.prototype.nowMs = () => clock.nowMs();
    }
    return TestClock.instance;
  }

  /** Moves every Clock forward by `ms`. */
  advance(ms: number): void {
    if (ms < 0) throw new Error('the test clock only moves forward');
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.offsetMs += ms;
  }

  /**
   * Stops the clock where it is: from now on only advance() moves it, so what the gateway counts
   * per second (spike buckets) depends on what the test sends, not on how fast the machine is.
   */
  freeze(): void {
    this.frozenAt ??= this.nowMs();
  }

  /** Lets the clock run on with real time from where it stands. */
  resume(): void {
    if (this.frozenAt === null) return;
    this.offsetMs = this.frozenAt - Date.now();
    this.frozenAt = null;
  }

  nowMs(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs;
  }
}
