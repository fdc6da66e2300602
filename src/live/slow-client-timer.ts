/**
 * The slow-client deadline of a send queue: armed while the queue is full, cleared when it is not; `onTimeout` runs
 * once the queue stayed full for `timeoutMs` (`WS_SLOW_CLIENT_TIMEOUT`). The timer does not keep the process alive.
 */
export class SlowClientTimer {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly onTimeout: () => void,
  ) {}

  /** Arms the deadline when `full` and none runs; clears it when not `full`. */
  set(full: boolean): void {
    if (full && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.onTimeout();
      }, this.timeoutMs);
      this.timer.unref();
    } else if (!full && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
