import {
  EventHubConsumerClient, RetryMode, earliestEventPosition, latestEventPosition,
  type EventPosition, type PartitionContext, type ReceivedEventData, type Subscription,
} from '@azure/event-hubs';
import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import { describeHubError } from './describe-hub-error.js';
import { HubHealth, type HubStatus } from './hub-health.js';
import { InMemoryCheckpointStore } from './in-memory-checkpoint-store.js';

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
}

/** The gateway's start position (`START_POSITION`) as an Event Hubs `EventPosition`. */
export function toEventPosition(position: 'latest' | 'earliest' | Date): EventPosition {
  if (position === 'latest') return latestEventPosition;
  if (position === 'earliest') return earliestEventPosition;
  return { enqueuedOn: position };
}

/**
 * The one `EventHubConsumerClient` of the gateway and its lifecycle: `open` subscribes to every partition (greedy
 * load balancing, short retries, an in-memory checkpoint store fresh on each open, raw bodies, batches of 100);
 * `close` closes the subscription, then the client, so no AMQP connection stays. Calls are serialised; both are
 * idempotent. Follows shared/docs/event-hubs-amqp.md ("Recovery") and the SDK's `subscribe` contract.
 */
export class HubConsumer {
  private client: EventHubConsumerClient | null = null;
  private subscription: Subscription | null = null;
  private readonly health = new HubHealth();
  private readonly statusSubject = new BehaviorSubject<HubStatus>({ state: 'closed', reason: null });
  private queue: Promise<void> = Promise.resolve();
  private generation = 0;

  /** State changes (current value first). */
  readonly status$: Observable<HubStatus> = this.statusSubject.pipe(
    distinctUntilChanged((a, b) => a.state === b.state && a.reason === b.reason),
  );

  constructor(private readonly options: HubConsumerOptions) {}

  /** The current state and reason. */
  status(): HubStatus {
    return this.statusSubject.value;
  }

  /** Opens the consumer at `position` unless already open. Resolves once subscribed (not yet connected). */
  open(position: EventPosition): Promise<void> {
    return this.enqueue(() => this.doOpen(position));
  }

  /** Closes subscription then client, unless already closed. */
  close(): Promise<void> {
    return this.enqueue(() => this.doClose());
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(step, step);
    return this.queue;
  }

  private update(): void {
    const next = this.health.status();
    const prev = this.statusSubject.value;
    if (next.state === prev.state && next.reason === prev.reason) return;
    if (next.state !== prev.state) {
      const line = `hub consumer ${next.state}${next.reason ? `: ${next.reason}` : ''}`;
      if (next.state === 'error') this.options.logger.error(line);
      else this.options.logger.info(line);
    }
    this.statusSubject.next(next);
  }

  private doOpen(position: EventPosition): Promise<void> {
    if (this.client) return Promise.resolve();
    const gen = ++this.generation;
    const { consumerGroup, connectionString } = this.options;
    const client = new EventHubConsumerClient(consumerGroup, connectionString, new InMemoryCheckpointStore(), {
      // Short fixed retries: a dropped link resumes within ~0.5 s, and a refused token surfaces within ~5 s. Once they
      // run out the load balancer restarts the pump from our checkpoint, so nothing is lost or repeated.
      retryOptions: { mode: RetryMode.Fixed, maxRetries: 10, retryDelayInMs: 500, maxRetryDelayInMs: 5000 },
      loadBalancingOptions: { strategy: 'greedy', updateIntervalInMs: 5000 },
    });
    this.client = client;
    this.health.reset(true);
    this.update();
    const live = () => gen === this.generation;
    this.subscription = client.subscribe(
      {
        processInitialize: (ctx: PartitionContext) => {
          if (!live()) return Promise.resolve();
          this.health.partitionInitialised(ctx.partitionId);
          this.update();
          return Promise.resolve();
        },
        processEvents: async (events: ReceivedEventData[], ctx: PartitionContext) => {
          if (!live()) return;
          this.health.batch(ctx.partitionId);
          this.update();
          if (events.length === 0) return;
          this.options.onEvents(events, ctx.partitionId);
          const last = events[events.length - 1];
          if (last) await ctx.updateCheckpoint(last);
        },
        processError: (error: Error, ctx: PartitionContext) => {
          if (!live()) return Promise.resolve();
          const { reason, unauthorized } = describeHubError(error);
          const where = ctx.partitionId ? `partition ${ctx.partitionId}` : 'hub';
          if (unauthorized) this.options.logger.error(`hub consumer (${where}) ${reason}`);
          else this.options.logger.warn(`hub consumer (${where}) error, the SDK retries: ${reason}`);
          this.health.error(ctx.partitionId, reason);
          this.update();
          return Promise.resolve();
        },
        processClose: (closeReason: string, ctx: PartitionContext) => {
          if (!live()) return Promise.resolve();
          this.options.logger.info(`hub consumer partition ${ctx.partitionId} closed (${closeReason})`);
          this.health.closed(ctx.partitionId);
          this.update();
          return Promise.resolve();
        },
      },
      {
        startPosition: position,
        maxBatchSize: this.options.maxBatchSize ?? 100,
        maxWaitTimeInSeconds: this.options.maxWaitTimeInSeconds ?? 1,
        skipParsingBodyAsJson: true,
      },
    );
    void this.loadPartitionIds(client, gen);
    return Promise.resolve();
  }

  /** Reads the partition count, retrying every 2 s while this consumer is open (errors mark the hub `error`). */
  private async loadPartitionIds(client: EventHubConsumerClient, gen: number): Promise<void> {
    while (gen === this.generation) {
      try {
        const ids = await client.getPartitionIds();
        if (gen !== this.generation) return;
        this.health.setPartitionIds(ids);
        this.update();
        return;
      } catch (error) {
        if (gen !== this.generation) return;
        const { reason, unauthorized } = describeHubError(error);
        if (unauthorized) this.options.logger.error(`hub consumer ${reason}`);
        else this.options.logger.warn(`hub consumer cannot read the partition list: ${reason}`);
        this.health.error('', reason);
        this.update();
        await new Promise((resolve) => setTimeout(resolve, 2000).unref());
      }
    }
  }

  private async doClose(): Promise<void> {
    const { client, subscription } = this;
    if (!client) return;
    this.generation += 1;
    this.client = null;
    this.subscription = null;
    try {
      await subscription?.close();
    } catch (error) {
      this.options.logger.warn(`closing the hub subscription failed: ${describeHubError(error).reason}`);
    }
    try {
      await client.close();
    } catch (error) {
      this.options.logger.warn(`closing the hub client failed: ${describeHubError(error).reason}`);
    }
    this.health.reset(false);
    this.update();
  }
}
