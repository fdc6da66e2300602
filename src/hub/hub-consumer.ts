import { EventHubConsumerClient, RetryMode, type EventPosition, type Subscription } from '@azure/event-hubs';
import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import { describeHubError } from './describe-hub-error.js';
import { HubHealth, type HubStatus } from './hub-health.js';
import { InMemoryCheckpointStore } from './in-memory-checkpoint-store.js';
import type { HubConsumerOptions } from './hub-consumer-options.js';
import { subscriptionHandlers } from './subscription-handlers.js';

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
    try {
      this.subscribe(position);
    } catch (error) {
      // The SDK refused the connection string or options synchronously: report it as the hub's error state.
      this.client = null;
      this.health.reset(true);
      this.health.error('', describeHubError(error).reason);
      this.update();
    }
    return Promise.resolve();
  }

  private subscribe(position: EventPosition): void {
    const gen = ++this.generation;
    const { consumerGroup, connectionString } = this.options;
    const checkpoints = new InMemoryCheckpointStore();
    const client = new EventHubConsumerClient(consumerGroup, connectionString, checkpoints, {
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
      subscriptionHandlers({
        health: this.health,
        checkpoints,
        logger: this.options.logger,
        onEvents: (events, partitionId) => this.options.onEvents(events, partitionId),
        live,
        update: () => this.update(),
      }),
      {
        startPosition: position,
        maxBatchSize: this.options.maxBatchSize ?? 100,
        maxWaitTimeInSeconds: this.options.maxWaitTimeInSeconds ?? 1,
        skipParsingBodyAsJson: true,
      },
    );
    void this.loadPartitionIds(client, gen);
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
    if (!client) {
      this.health.reset(false);
      this.update();
      return;
    }
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
