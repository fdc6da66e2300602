import { sleep } from './eventually.js';

/** A throughput measured by polling a monotonically growing count. */
export interface RateMeasurement {
  /** Events per SECOND between the first poll that saw events and the poll that saw all of them. */
  perS: number;
  /** Count at the first poll that saw events (excluded from the rate: its timing is unknown). */
  startCount: number;
  /** Count at the end (≥ `expected` unless timed out). */
  endCount: number;
  /** Measured window, in MILLISECONDS. */
  windowMs: number;
  /** True when `expected` was not reached within the timeout. */
  timedOut: boolean;
}

/** Options of {@link measureRate}. */
export interface MeasureRateOptions {
  /** Count to reach. */
  expected: number;
  /** Longest wait, in MILLISECONDS, from the call to reaching `expected`. */
  timeoutMs: number;
  /** Poll period, in MILLISECONDS (default 100). */
  intervalMs?: number;
  /** Called once when the window starts (first events seen), e.g. to start CPU windows. */
  onStart?: () => void;
}

/**
 * Polls `count` until it reaches `expected` and returns the rate from the first poll that saw events to the poll
 * that saw them all: `(end − start count) / window`. The same method is used for the gateway (its /metrics counter)
 * and for each baseline, so polling overhead and resolution are the same on both sides.
 */
export async function measureRate(count: () => Promise<number>, options: MeasureRateOptions): Promise<RateMeasurement> {
  const deadline = Date.now() + options.timeoutMs;
  let start: { count: number; at: number } | undefined;
  let last = 0;
  for (;;) {
    last = await count();
    const now = performance.now();
    if (!start && last > 0) {
      start = { count: last, at: now };
      options.onStart?.();
    }
    const timedOut = Date.now() > deadline;
    if (start && (last >= options.expected || timedOut)) {
      const windowMs = now - start.at;
      const perS = windowMs > 0 ? ((last - start.count) * 1000) / windowMs : Number.NaN;
      return { perS, startCount: start.count, endCount: last, windowMs, timedOut: last < options.expected };
    }
    if (timedOut) return { perS: 0, startCount: 0, endCount: last, windowMs: 0, timedOut: true };
    await sleep(options.intervalMs ?? 100);
  }
}
