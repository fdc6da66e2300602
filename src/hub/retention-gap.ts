import type { Checkpoint } from '@azure/event-hubs';

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
