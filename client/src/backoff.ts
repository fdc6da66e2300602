/** Reconnect delays: exponential from `initialMs`, capped at `maxMs`, with jitter. */
export interface BackoffOptions {
  /** First delay, ms (default 500). */
  initialMs?: number;
  /** Largest delay, ms (default 15 000). */
  maxMs?: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** Share of the delay that is random, 0–1 (default 0.5: a delay lies in [d/2, d]). */
  jitter?: number;
  /** A random number in [0, 1) (default `Math.random`). */
  random?: () => number;
}

/**
 * The delay before reconnect attempt `attempt` (0 for the first), ms: `min(maxMs, initialMs · factor^attempt)`, of
 * which the `jitter` share is random ("equal jitter", so clients that lost the gateway together spread out but none
 * retries at once).
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const { initialMs = 500, maxMs = 15_000, factor = 2, jitter = 0.5, random = Math.random } = options;
  const ceiling = Math.min(maxMs, initialMs * factor ** Math.min(attempt, 64));
  return Math.round(ceiling * (1 - jitter) + ceiling * jitter * random());
}
