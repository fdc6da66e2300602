import type { Clock, ClockTimer } from '../config/clock.js';

/**
 * The slow-client deadline of a send queue: armed while the queue is full, cleared when it is not; `onTimeout` runs
 * once the queue stayed full for `timeoutMs` (`WS_SLOW_CLIENT_TIMEOUT`, ms) on `clock` (its timers never keep the
 * process alive).
 */
export class SlowClientTimer {
  private timer: ClockTimer | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly onTimeout: () => void,
  ) {}

  /** Arms the deadline when `full` and none runs; clears it when not `full`. */
  set(full: boolean): void {
    if (full && !this.timer) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.onTimeout();
      }, this.timeoutMs);
    } else if (!full && this.timer) {
      this.timer.cancel();
      this.timer = undefined;
    }
  }
}
