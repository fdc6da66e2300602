import type { ReceivedEventData } from '@azure/event-hubs';
import type { Clock } from '../config/clock.js';

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
  consumerGroup: string;
  logger: HubLogger;
  /** Handles one batch synchronously (normalize → pipeline → store); the checkpoint is recorded after it returns. */
  onEvents(events: ReceivedEventData[], partitionId: string): void;
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
  /** Told the outcome of every readiness probe (metrics). */
  onProbe?(ok: boolean): void;
}
