import type { Clock } from '../../config/clock.js';
import { CheckpointStoreError } from './checkpoint-store-error.js';

/** How the Blob checkpoint store bounds its calls. */
export interface BlobCallOptions {
  clock: Clock;
  /** Longest wait for one call (the SDK's own retries included), in ms. */
  timeoutMs: number;
}

/**
 * Runs one Blob call with an abort signal that fires after `timeoutMs` ms on `clock`; the call is aborted then and
 * this rejects at once, whether or not the SDK honours the signal promptly.
 * @param what the operation, for the error (`reading the idle mark`).
 * @returns what `call` resolves with.
 * @throws CheckpointStoreError for any failure (the service's status kept) and for the timeout
 *   (`no answer within <timeoutMs> ms`).
 */
export function blobCall<T>(what: string, o: BlobCallOptions, call: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const controller = new AbortController();
    const timer = o.clock.setTimeout(() => {
      controller.abort();
      reject(new CheckpointStoreError(what, new Error(`no answer within ${o.timeoutMs} ms`)));
    }, o.timeoutMs);
    call(controller.signal).then(
      (value) => {
        timer.cancel();
        resolve(value);
      },
      (error: unknown) => {
        timer.cancel();
        reject(error instanceof CheckpointStoreError ? error : new CheckpointStoreError(what, error));
      },
    );
  });
}
