import type { Checkpoint, CheckpointStore } from '@azure/event-hubs';
import type { TelemetryMessage } from '../telemetry/telemetry-message.js';

/**
 * The SDK's `CheckpointStore` as a {@link TelemetryStore} provides it to the hub consumer: what `append` wrote, plus
 * the two calls the consumer's start policy and partition restarts need.
 */
export interface GatewayCheckpointStore extends CheckpointStore {
  /**
   * Drops the ownership of a partition whose pump stopped (`processClose`), so the load balancer's next pass claims it
   * again and restarts it from the checkpoint instead of waiting for the ownership to expire (60 s by default).
   */
  release(partitionId: string): void;
  /** Forgets every checkpoint: the consumer was closed on purpose, and what nobody watched is not replayed. */
  clearCheckpoints(): void;
}

/** A history query: times are ISO 8601 UTC strings, both bounds inclusive; `limit` ≥ 1 messages. */
export interface HistoryQuery {
  since?: string;
  until?: string;
  limit: number;
}

/** What {@link TelemetryStore.after} finds after a resume position. */
export type ResumeResult =
  /** The position is held: the device's messages stored after it, oldest first. */
  | { found: true; messages: TelemetryMessage[] }
  /** The position is not held (evicted, or never stored): the device's whole history, oldest first. */
  | { found: false; messages: TelemetryMessage[] };

/**
 * Where telemetry is kept: per device the latest message and a bounded history (`HISTORY_LIMIT` messages, oldest
 * evicted first), deduplicated by (partition, sequence number), plus the Event Hubs checkpoints of what was stored.
 * Every method is asynchronous (a backend may be a file or a server); none publishes anything: the pipeline's output
 * is the one live stream. Each backend passes the contract suite in `test/unit/store/telemetry-store-contract.ts`.
 */
export interface TelemetryStore {
  /**
   * Stores `messages` (in order; any partitions and devices) and, in the same step, records `checkpoints` (the last
   * event read of each partition the batch came from, stored or not). A message at or below the highest sequence
   * number already stored for its device and partition is a duplicate and skipped.
   * @returns the messages actually stored, in order.
   */
  append(messages: readonly TelemetryMessage[], checkpoints: readonly Checkpoint[]): Promise<TelemetryMessage[]>;
  /** The device's latest stored message, or `undefined`. */
  latest(deviceId: string): Promise<TelemetryMessage | undefined>;
  /** The device's messages within the query's times, newest first, at most `limit`. */
  history(deviceId: string, query: HistoryQuery): Promise<TelemetryMessage[]>;
  /**
   * The device's messages after a position `<partitionId>:<sequenceNumber>` (exactly as `positionOf` writes it: `0:07`
   * is no position), for live resume (see {@link ResumeResult}).
   */
  after(deviceId: string, position: string): Promise<ResumeResult>;
  /** Forgets everything stored for a device (on unregistration). */
  remove(deviceId: string): Promise<void>;
  /** The SDK's checkpoint store over this backend: `listCheckpoints` reads what {@link TelemetryStore.append} wrote. */
  readonly checkpointStore: GatewayCheckpointStore;
  /** Releases the backend's resources. */
  close(): Promise<void>;
}
