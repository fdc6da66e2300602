/** A timer started by a {@link ClientClock}. */
export interface ClientTimer {
  /** Cancels the timer (idempotent). */
  cancel(): void;
}

/** Time as the client reads it (ms since the epoch; delays in ms): inject a fake one so tests never sleep. */
export interface ClientClock {
  now(): number;
  setTimeout(fn: () => void, delayMs: number): ClientTimer;
}

/** `Date.now()` and the platform's `setTimeout` (browsers and Node). */
export const systemClock: ClientClock = {
  now: () => Date.now(),
  setTimeout(fn, delayMs) {
    const timer = setTimeout(fn, delayMs);
    return { cancel: () => clearTimeout(timer) };
  },
};
