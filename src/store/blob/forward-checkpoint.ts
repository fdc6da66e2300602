import type { Checkpoint } from '@azure/event-hubs';
import type { BlobContainer } from './blob-container.js';
import { checkpointBlob, checkpointMetadata } from './blob-names.js';
import { CheckpointStoreError, hasStatus } from './checkpoint-store-error.js';

/** Compare-and-set attempts before giving up on a checkpoint blob that keeps changing. */
const ATTEMPTS = 3;

/**
 * Writes a checkpoint blob in the SDK's layout (`checkpointBlob`, metadata `sequencenumber` / `offset`) only when it
 * moves the partition forward: the stored metadata is read, and the write is conditional on its etag (If-Match; an
 * absent blob is created with If-None-Match `*`), so an instance that lost the partition and writes late never
 * moves another's checkpoint back. A lost race is read again, at most 3 times.
 * @throws CheckpointStoreError when a call fails or times out, or the blob changed on every attempt.
 */
export async function writeForward(container: BlobContainer, checkpoint: Checkpoint): Promise<void> {
  const name = checkpointBlob(checkpoint);
  const blob = container.client.getBlockBlobClient(name);
  const metadata = checkpointMetadata(checkpoint);
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const stored = await container.call(`reading checkpoint ${name}`, (abortSignal) => blob.getProperties({ abortSignal })).catch((error: unknown) => {
      if (hasStatus(error, 404)) return null;
      throw error;
    });
    if (stored && Number.parseInt(stored.metadata?.sequencenumber ?? '', 10) >= checkpoint.sequenceNumber) return;
    try {
      await container.call(`writing checkpoint ${name}`, (abortSignal) =>
        stored
          ? blob.setMetadata(metadata, { abortSignal, conditions: { ifMatch: stored.etag } })
          : blob.upload('', 0, { abortSignal, metadata, conditions: { ifNoneMatch: '*' } }));
      return;
    } catch (error) {
      const lostRace = (hasStatus(error, 412) && (error as CheckpointStoreError).errorCode === 'ConditionNotMet') || hasStatus(error, 409);
      if (!lostRace) throw error;
    }
  }
  throw new CheckpointStoreError(`writing checkpoint ${name} in container ${container.name}`, new Error(`the blob changed under ${ATTEMPTS} compare-and-set attempts`));
}
