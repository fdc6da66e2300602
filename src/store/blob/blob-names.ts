import type { Checkpoint } from '@azure/event-hubs';
import type { CheckpointScope } from '../telemetry-store.js';

/**
 * `<namespace>/<event hub>/<consumer group>/checkpoint/` in lower case: the prefix under which the SDK's
 * `BlobCheckpointStore` (`getBlobPrefix`, @azure/eventhubs-checkpointstore-blob 2.0.0) keeps a scope's checkpoints,
 * one blob per partition with metadata `sequencenumber` and `offset`; KEDA's Event Hubs scaler
 * (`checkpointStrategy: blobMetadata`) reads the same blobs.
 */
export function checkpointPrefix(scope: CheckpointScope): string {
  return `${scope.fullyQualifiedNamespace.toLowerCase()}/${scope.eventHubName.toLowerCase()}/${scope.consumerGroup.toLowerCase()}/checkpoint/`;
}

/** The checkpoint blob of one partition (see {@link checkpointPrefix}). */
export function checkpointBlob(checkpoint: Pick<Checkpoint, keyof CheckpointScope | 'partitionId'>): string {
  return `${checkpointPrefix(checkpoint)}${checkpoint.partitionId}`;
}

/** The metadata of a checkpoint blob, exactly as the SDK writes it. */
export function checkpointMetadata(checkpoint: Pick<Checkpoint, 'sequenceNumber' | 'offset'>): Record<string, string> {
  return { sequencenumber: String(checkpoint.sequenceNumber), offset: String(checkpoint.offset) };
}

/**
 * The gateway's own blobs, outside every SDK prefix (the SDK and KEDA list only `<namespace>/…`): the idle mark
 * (present = set) and the blob whose lease is the reopen lock. One container serves one gateway deployment.
 */
export const GATEWAY_BLOBS = { idle: 'gateway/idle', reopenLock: 'gateway/reopen-lock' } as const;
