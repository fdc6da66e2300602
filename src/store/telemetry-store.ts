import type { Checkpoint, CheckpointStore } from '@azure/event-hubs';
import type { Observable } from 'rxjs';
import type { TelemetryMessage } from '../telemetry/telemetry-message.js';
import type { RegistrationStore } from './registration-store.js';

/** The checkpoints of one consumer: an Event Hub of a namespace, read by one consumer group. */
export type CheckpointScope = Pick<Checkpoint, 'fullyQualifiedNamespace' | 'eventHubName' | 'consumerGroup'>;

/**
 * The SDK's `CheckpointStore` as a {@link TelemetryStore} provides it to the hub consumer: what `append` wrote, plus
 * the two calls the consumer's start policy and partition restarts need.
 */
export interface GatewayCheckpointStore extends CheckpointStore {
  /**
   * Drops this instance's ownership of a partition whose pump stopped (`processClose`), so the load balancer's next
   * pass claims it again and restarts it from the checkpoint instead of waiting for the ownership to expire. An
   * ownership another instance holds by now (its etag changed) is left alone. Never rejects.
   */
  release(partitionId: string): Promise<void>;
  /**
   * Records, durably, that the consumer was closed on purpose because no device was watched (anywhere, for a shared
   * store): the next open starts at `latest`, whatever the checkpoints say, so what nobody watched is not replayed.
   */
  markIdle(): Promise<void>;
  /**
   * The first open after {@link GatewayCheckpointStore.markIdle}: when the mark is set, calls `latest` (the
   * checkpoints at each partition's last enqueued event; an empty partition has none), replaces every checkpoint of
   * `scope` with them and clears the mark, all under a lock (cluster-wide for a shared store: one instance does it,
   * the others wait for it, at most `timeoutMs`).
   * @returns true when it replaced the checkpoints, false when there was no mark.
   * @throws Error when `latest` throws (the mark stays), or when the lock was not acquired within `timeoutMs`.
   */
  reopenAtLatest(scope: CheckpointScope, latest: () => Promise<Checkpoint[]>, timeoutMs: number): Promise<boolean>;
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
 * Every method is asynchronous (a backend may be a file or a server). Locally the pipeline's output is the live
 * stream; a shared backend adds what other instances stored (`remote$`). Each backend passes the contract suite in `test/unit/store/telemetry-store-contract.ts`.
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
  /** The registrations (and, for a shared store, the cluster-wide activity) kept by this backend. */
  readonly registrations: RegistrationStore;
  /**
   * Messages stored by other gateway instances sharing this backend (Redis engine), each once, in the order they were
   * stored; never messages this instance appended. Never emits for single-instance backends.
   */
  readonly remote$: Observable<TelemetryMessage>;
  /** Releases the backend's resources. */
  close(): Promise<void>;
}
