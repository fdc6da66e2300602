import { redactStorageSecrets } from './storage-secrets.js';

/**
 * A failed or timed-out call of the Blob checkpoint store: its message names the container and the operation and
 * never carries a storage secret (see `redactStorageSecrets`); `statusCode` and `errorCode` are the Blob service's
 * (HTTP status, `x-ms-error-code`) when it answered. The hub's error description names it `checkpoint_store_error`.
 */
export class CheckpointStoreError extends Error {
  override readonly name = 'CheckpointStoreError';
  /** The Blob service's HTTP status, when it answered. */
  readonly statusCode: number | undefined;
  /** The Blob service's error code (`BlobNotFound`, `LeaseAlreadyPresent`, …), when it answered with one. */
  readonly errorCode: string | undefined;

  /** @param what e.g. `listing the ownerships of container gateway-checkpoints`. */
  constructor(what: string, cause: unknown) {
    const e = cause as { message?: unknown; statusCode?: unknown; details?: { errorCode?: unknown }; code?: unknown };
    const message = typeof e?.message === 'string' ? e.message : String(cause);
    super(redactStorageSecrets(`checkpoint store: ${what} failed: ${message.replace(/\s+/g, ' ').trim()}`).slice(0, 400));
    this.statusCode = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
    this.errorCode = typeof e?.details?.errorCode === 'string' ? e.details.errorCode : undefined;
  }
}

/** Whether `error` is the Blob service's answer with this HTTP status. */
export const hasStatus = (error: unknown, status: number): boolean => error instanceof CheckpointStoreError && error.statusCode === status;
