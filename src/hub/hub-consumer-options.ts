import type { Checkpoint, EventPosition, ReceivedEventData } from '@azure/event-hubs';
import type { Clock } from '../config/clock.js';
import type { GatewayCheckpointStore } from '../store/telemetry-store.js';
import type { HubTransport } from './hub-transport.js';
import type { CheckpointAhead, RetentionGap } from './retention-gap.js';

/** The logging calls the consumer makes (a pino or fastify logger fits). */
export interface HubLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

/** Options of {@link HubConsumer}. */
export interface HubConsumerOptions {
  /** Event Hub-compatible connection string (a secret: never logged). */
  connectionString: string;
  /** How the SDK client reaches the hub (default: `amqp`, AMQP over TLS, or plain AMQP with `UseDevelopmentEmulator`). */
  transport?: HubTransport;
  consumerGroup: string;
  logger: HubLogger;
  /** `START_POSITION` as an Event Hubs position: where the first open starts when no checkpoint says otherwise. */
  startPosition: EventPosition;
  /** The SDK's checkpoint store (the telemetry store's): checkpoints are written with the messages, by `onEvents`. */
  checkpointStore: GatewayCheckpointStore;
  /**
   * Stores one non-empty batch of a partition together with `checkpoint` (its last event); the consumer reads the
   * partition's next batch only once it resolves. Rejects with a `BatchNotStoredError` when the store did not take
   * the batch: the partition then restarts from its checkpoint.
   */
  onEvents(events: ReceivedEventData[], partitionId: string, checkpoint: Checkpoint): Promise<void>;
  /** Longest wait for a batch to fill, in SECONDS (also the empty-batch heartbeat). Default 1. */
  maxWaitTimeInSeconds?: number;
  /** Events per batch. Default 100. */
  maxBatchSize?: number;
  /** Schedules the readiness probe, the stall timeout and retries (default `systemClock`). */
  clock?: Clock;
  /** Period of the readiness probe in ms (`getPartitionProperties` of every partition). Default 5000. */
  probeIntervalMs?: number;
  /** A partition with events waiting and no delivery this many ms is stalled. Default 10,000. */
  stallTimeoutMs?: number;
  /**
   * The SDK load balancer's options (`loadBalancingOptions`), which share the partitions between instances that use
   * one shared checkpoint store: `PARTITION_BALANCING`, `PARTITION_CLAIM_INTERVAL` and `PARTITION_OWNERSHIP_EXPIRY`
   * in ms. Defaults: greedy, 2000, 10,000.
   */
  balancing?: { strategy: 'greedy' | 'balanced'; claimIntervalMs: number; ownershipExpiryMs: number };
  /**
   * With an IoT Hub connection string: ms in the error state after which the consumer closes and reopens with a fresh
   * endpoint discovery (`HUB_REDISCOVER_AFTER`). Default 60,000.
   */
  rediscoverAfterMs?: number;
  /** Bound of one IoT Hub endpoint discovery in ms. Default 10,000. */
  discoveryTimeoutMs?: number;
  /** Told the outcome of every readiness probe (metrics). */
  onProbe?(ok: boolean): void;
  /** Told every retention gap found when a partition resumes from a checkpoint (metrics). */
  onRetentionGap?(gap: RetentionGap): void;
  /** Told every checkpoint found ahead of its partition's log when the partition starts (metrics). */
  onCheckpointAhead?(ahead: CheckpointAhead): void;
}
