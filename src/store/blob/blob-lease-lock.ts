import { randomUUID } from 'node:crypto';
import type { BlobContainer } from './blob-container.js';
import { CheckpointStoreError, hasStatus } from './checkpoint-store-error.js';

/** How often a waiter tries the lease again, in ms. */
const RETRY_MS = 250;

/** A held lease: `confirm` renews it, and so fails when another holder took it since (the lease expired). */
export interface HeldLease {
  /** @throws CheckpointStoreError when the lease is no longer this holder's. */
  confirm(): Promise<void>;
}

/**
 * Runs `fn` holding the Blob lease of `blobName` (created empty when missing): an exclusive lock that the storage
 * service itself frees after the lease duration (`ceil(timeoutMs / 1000)` s, within the service's 15–60 s), so a
 * crashed holder never keeps it, and no two instances' clocks need to agree. Acquiring is tried every 250 ms on the
 * container's clock for at most `timeoutMs`; the lease is released after `fn`, also when it throws.
 * @returns what `fn` returns.
 * @throws CheckpointStoreError when the lease was not acquired within `timeoutMs` or a call failed; what `fn` throws.
 */
export async function withBlobLease<T>(container: BlobContainer, blobName: string, timeoutMs: number, fn: (lease: HeldLease) => Promise<T>): Promise<T> {
  const { clock } = container.calls;
  const blob = container.client.getBlockBlobClient(blobName);
  const lease = blob.getBlobLeaseClient(randomUUID());
  const durationS = Math.min(60, Math.max(15, Math.ceil(timeoutMs / 1000)));
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    try {
      await container.call(`acquiring the lease of ${blobName}`, (abortSignal) => lease.acquireLease(durationS, { abortSignal }));
      break;
    } catch (error) {
      if (hasStatus(error, 404)) {
        await container.call(`creating ${blobName}`, (abortSignal) => blob.upload('', 0, { abortSignal, conditions: { ifNoneMatch: '*' } }))
          .catch((e: unknown) => {
            if (!hasStatus(e, 409) && !hasStatus(e, 412)) throw e;
          });
        if (clock.now() < deadline) continue;
      } else if (!hasStatus(error, 409)) {
        throw error;
      }
      if (clock.now() + RETRY_MS > deadline) {
        throw new CheckpointStoreError(`acquiring the lease of ${blobName} in container ${container.name}`, new Error(`another instance held it for more than ${timeoutMs} ms`));
      }
      await new Promise<void>((resolve) => clock.setTimeout(resolve, RETRY_MS));
    }
  }
  try {
    return await fn({ confirm: async () => void (await container.call(`renewing the lease of ${blobName}`, (abortSignal) => lease.renewLease({ abortSignal }))) });
  } finally {
    await container.call(`releasing the lease of ${blobName}`, (abortSignal) => lease.releaseLease({ abortSignal })).catch(() => undefined);
  }
}
