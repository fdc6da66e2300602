import type { TelemetryMessage } from '../telemetry/telemetry-message.js';
import type { LiveServices } from './live-services.js';

/**
 * The order guard of one live subscription: steps (feed items, status changes, buckets) that arrive before the
 * subscriber was announced wait in arrival order; once {@link SubscribedGate.announceWhenLatestKnown} has announced
 * it, they run, and later steps run at once. After `end()` nothing is announced and no step runs.
 */
export class SubscribedGate {
  private waiting: Array<() => void> | null = [];
  private endedFlag = false;

  /** Whether `end()` was called. */
  get ended(): boolean {
    return this.endedFlag;
  }

  /** Runs `step` now when the subscriber was announced, else after the announcement; never after `end()`. */
  later(step: () => void): void {
    if (this.endedFlag) return;
    if (this.waiting) this.waiting.push(step);
    else step();
  }

  /**
   * Reads the device's latest message (the streams' cache, else the store; a store failure counts as none), calls
   * `announce(latest)` unless ended by then, and runs the waiting steps.
   */
  announceWhenLatestKnown(
    services: Pick<LiveServices, 'store' | 'streams'>, deviceId: string, announce: (latest: TelemetryMessage | undefined) => void,
  ): void {
    const open = (latest: TelemetryMessage | undefined): void => {
      if (this.endedFlag) return;
      announce(latest);
      const pending = this.waiting ?? [];
      this.waiting = null;
      for (const step of pending) step();
    };
    const cached = services.streams.latest(deviceId);
    if (cached) open(cached);
    else services.store.latest(deviceId).then(open, () => open(undefined));
  }

  /** Ends the gate. @returns false when it had already ended (callers release once). */
  end(): boolean {
    if (this.endedFlag) return false;
    this.endedFlag = true;
    this.waiting = null;
    return true;
  }
}
