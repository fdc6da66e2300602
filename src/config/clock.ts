/** A timer started by a {@link Clock}; pass it back to the clock to cancel it. */
export interface ClockTimer {
  /** Cancels the timer (idempotent). */
  cancel(): void;
}

/**
 * Time as the gateway reads it, injected so that time-based behaviour (windows, timeouts, heartbeats, inactivity)
 * runs on a fake clock in tests. Times are milliseconds since the Unix epoch; delays are milliseconds.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch (`Date.now()` on the system clock). */
  now(): number;
  /** Calls `fn` once after `delayMs` ms. System timers are `unref`ed: a pending one never keeps the process alive. */
  setTimeout(fn: () => void, delayMs: number): ClockTimer;
  /** Calls `fn` every `periodMs` ms until cancelled (unref'ed like {@link Clock.setTimeout}). */
  setInterval(fn: () => void, periodMs: number): ClockTimer;
}

/** The real clock: `Date.now()` and Node's unref'ed timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, delayMs) {
    const timer = setTimeout(fn, delayMs);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
  setInterval(fn, periodMs) {
    const timer = setInterval(fn, periodMs);
    timer.unref();
    return { cancel: () => clearInterval(timer) };
  },
};
