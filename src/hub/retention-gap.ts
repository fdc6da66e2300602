import type { Checkpoint, PartitionProperties } from '@azure/event-hubs';

/** Events a partition no longer held when reading resumed from a checkpoint older than the hub's retention. */
export interface RetentionGap {
  partitionId: string;
  /** The checkpoint's sequence number: the last event stored before the gap. */
  checkpointSequenceNumber: number;
  /** The partition's begin (earliest retained) sequence number: reading resumes there. */
  beginSequenceNumber: number;
  /** `beginSequenceNumber - checkpointSequenceNumber - 1` events, ≥ 1. */
  lostEvents: number;
}

/**
 * The gap between a partition's checkpoint and its earliest retained event (sequence numbers are contiguous within a
 * partition, Event Hubs): reading from a checkpoint the hub has dropped starts at the begin sequence number (the
 * service and the emulator do so), and every event in between is lost.
 * @returns null without a checkpoint, without a known begin, or when the event after the checkpoint is retained.
 */
export function retentionGap(partitionId: string, checkpoint: Checkpoint | undefined, beginSequenceNumber: number | undefined): RetentionGap | null {
  if (!checkpoint || beginSequenceNumber === undefined) return null;
  const lostEvents = beginSequenceNumber - checkpoint.sequenceNumber - 1;
  if (lostEvents <= 0) return null;
  return { partitionId, checkpointSequenceNumber: checkpoint.sequenceNumber, beginSequenceNumber, lostEvents };
}

/** The one-line reason of a gap, for logs and the hub status event: `retention_gap: ...`. */
export function describeRetentionGap(g: RetentionGap): string {
  return `retention_gap: partition ${g.partitionId} resumed at sequence number ${g.beginSequenceNumber}, its checkpoint was at ${g.checkpointSequenceNumber}: ${g.lostEvents} events were past the hub's retention and are lost`;
}

/** A checkpoint past the partition's last event: the hub's log is not the one the checkpoint was written for. */
export interface CheckpointAhead {
  partitionId: string;
  checkpointSequenceNumber: number;
  /** The partition's last enqueued sequence number (-1 when it is empty). */
  lastSequenceNumber: number;
}

/**
 * A checkpoint ahead of its partition (sequence numbers only grow within a partition, Event Hubs): the hub was
 * recreated under the same name, or an emulator restarted without its data file. Reading resumes after the
 * checkpoint's offset, so the new log's events up to it are skipped (and the store's dedupe skips them too).
 * @returns null without a checkpoint, or when the partition has reached it.
 */
export function checkpointAhead(partitionId: string, checkpoint: Checkpoint | undefined, p: Pick<PartitionProperties, 'isEmpty' | 'lastEnqueuedSequenceNumber'> | undefined): CheckpointAhead | null {
  if (!checkpoint || !p) return null;
  const last = p.isEmpty ? -1 : p.lastEnqueuedSequenceNumber;
  return checkpoint.sequenceNumber > last ? { partitionId, checkpointSequenceNumber: checkpoint.sequenceNumber, lastSequenceNumber: last } : null;
}

/** The one-line reason of a {@link CheckpointAhead}, for logs and the hub status event: `checkpoint_ahead: ...`. */
export function describeCheckpointAhead(a: CheckpointAhead): string {
  return `checkpoint_ahead: partition ${a.partitionId}'s checkpoint (sequence number ${a.checkpointSequenceNumber}) is past the hub's last event (${a.lastSequenceNumber}): ` +
    `the hub's log is not the one the store's checkpoints were written for (a recreated hub, or an emulator restarted without --data-file), ` +
    `so its events up to sequence number ${a.checkpointSequenceNumber} are skipped; to read them, start the gateway on a new STATE_DIR (embedded), Redis database or CONSUMER_GROUP`;
}
