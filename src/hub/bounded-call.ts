import type { Clock } from '../config/clock.js';

/** The error {@link bounded} rejects with when the call did not settle in time. */
export class CallTimeoutError extends Error {
  override readonly name = 'CallTimeoutError';
  constructor(what: string, timeoutMs: number) {
    super(`${what}: no answer within ${timeoutMs} ms`);
  }
}

/**
 * `call`'s outcome, or a rejection with {@link CallTimeoutError} once `timeoutMs` ms passed on `clock` (the call itself
 * is not cancelled: a store call has no abort signal). For the store calls the hub consumer makes on its own.
 */
export function bounded<T>(call: () => Promise<T>, o: { clock: Clock; timeoutMs: number; what: string }): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = o.clock.setTimeout(() => reject(new CallTimeoutError(o.what, o.timeoutMs)), o.timeoutMs);
    call().then(
      (value) => {
        timer.cancel();
        resolve(value);
      },
      (error: unknown) => {
        timer.cancel();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
