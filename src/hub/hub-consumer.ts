import { EventHubConsumerClient, RetryMode, type Subscription } from '@azure/event-hubs';
import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import { systemClock, type Clock, type ClockTimer } from '../config/clock.js';
import { describeHubError } from './describe-hub-error.js';
import { HubHealth, type HubStatus } from './hub-health.js';
import { startHubProbe, type ProbeResult } from './hub-probe.js';
import type { OpenReason } from './demand-loop.js';
import type { HubConsumerOptions } from './hub-consumer-options.js';
import { PartitionProgress } from './partition-progress.js';
import { planStart, planStartWithRetries, type StartPlan } from './start-plan.js';
import { startPositionFor } from './start-policy.js';
import { subscriptionHandlers } from './subscription-handlers.js';

/**
 * The one `EventHubConsumerClient` of the gateway and its lifecycle: `open` plans each partition's start position
 * (`latest` pinned to the partition's last enqueued sequence number, see `start-plan.ts`), then subscribes to every
 * partition (greedy load balancing, short retries, the injected checkpoint store, raw bodies, batches of 100) and probes the hub every `probeIntervalMs` on the clock; `close` closes the subscription, then the
 * client, so no AMQP connection stays. Calls are serialised; both are idempotent. Follows
 * src/emulator/EVENT-HUBS-AMQP.md ("Recovery") and the SDK's `subscribe` contract.
 */
export class HubConsumer {
  private client: EventHubConsumerClient | null = null;
  private subscription: Subscription | null = null;
  private probe: ClockTimer | null = null;
  private readonly clock: Clock;
  private readonly progress: PartitionProgress;
  private readonly health: HubHealth;
  private readonly statusSubject = new BehaviorSubject<HubStatus>({ state: 'closed', reason: null, detail: null });
  private queue: Promise<void> = Promise.resolve();
  private leftConnectedMs = -Infinity;
  private generation = 0;

  /** State changes (current value first). */
  readonly status$: Observable<HubStatus> = this.statusSubject.pipe(
    distinctUntilChanged((a, b) => a.state === b.state && a.reason === b.reason && a.detail === b.detail),
  );

  constructor(private readonly options: HubConsumerOptions) {
    this.clock = options.clock ?? systemClock;
    this.progress = new PartitionProgress(this.clock, options.stallTimeoutMs ?? 10_000, () => this.update());
    this.health = new HubHealth(() => this.progress.stalled());
  }

  /** When the consumer was last `connected`, ms since the epoch (the current time while connected); -Infinity if never. */
  lastConnectedMs(): number {
    return this.statusSubject.value.state === 'connected' ? this.clock.now() : this.leftConnectedMs;
  }

  /** The current state, its public reason and its detail. */
  status(): HubStatus {
    return this.statusSubject.value;
  }

  /**
   * Opens the consumer unless already open, where `start-policy.ts` says (the store's checkpoints and idle mark
   * decide; `reason` is logged). Resolves at once (the start is planned, then subscribed).
   */
  open(reason: OpenReason): Promise<void> {
    return this.enqueue(() => {
      if (this.client) return Promise.resolve();
      this.options.logger.info(`hub consumer opening (${reason === 'start' ? 'first open' : 'a device is watched again'})`);
      return this.doOpen();
    });
  }

  /**
   * Closes subscription then client because no device is watched: the store records the idle close, so the next open
   * starts at `latest`. Unless already closed.
   */
  closeIdle(): Promise<void> {
    return this.enqueue(async () => {
      await this.doClose();
      await this.options.checkpointStore.markIdle();
    });
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
    if (next.state === prev.state && next.reason === prev.reason && next.detail === prev.detail) return;
    if (next.state !== prev.state || (next.state === 'error' && next.reason !== prev.reason)) {
      const line = `hub consumer ${next.state}${next.detail ? `: ${next.detail}` : ''}`;
      if (next.state === 'error') this.options.logger.error(line);
      else this.options.logger.info(line);
    }
    if (prev.state === 'connected' && next.state !== 'connected') this.leftConnectedMs = this.clock.now();
    this.statusSubject.next(next);
  }

  private doOpen(): Promise<void> {
    if (this.client) return Promise.resolve();
    const gen = ++this.generation;
    this.health.reset(true);
    this.progress.clear();
    const checkpoints = this.options.checkpointStore;
    try {
      this.client = this.createClient();
    } catch (error) {
      // The SDK refused the connection string or options synchronously: report it as the hub's error state.
      const { reason, kind } = describeHubError(error);
      this.health.error('', { kind, detail: reason });
      this.update();
      return Promise.resolve();
    }
    this.update();
    void this.start(this.client, checkpoints, gen);
    return Promise.resolve();
  }

  private createClient(): EventHubConsumerClient {
    const { consumerGroup, connectionString, checkpointStore } = this.options;
    return new EventHubConsumerClient(consumerGroup, connectionString, checkpointStore, {
      // Short fixed retries: a dropped link resumes within ~0.5 s, and a refused token surfaces within ~5 s. Once they
      // run out the load balancer restarts the pump from our checkpoint, so nothing is lost or repeated.
      retryOptions: { mode: RetryMode.Fixed, maxRetries: 10, retryDelayInMs: 500, maxRetryDelayInMs: 5000 },
      loadBalancingOptions: {
        strategy: this.options.balancing?.strategy ?? 'greedy',
        updateIntervalInMs: this.options.balancing?.claimIntervalMs ?? 2000,
        partitionOwnershipExpirationIntervalInMs: this.options.balancing?.ownershipExpiryMs ?? 10_000,
      },
    });
  }

  /** Plans the start (retrying while this consumer is open), then subscribes and starts the readiness probe. */
  private async start(client: EventHubConsumerClient, checkpoints: HubConsumerOptions['checkpointStore'], gen: number): Promise<void> {
    const plan = await this.planWithRetries(client, gen);
    if (!plan || gen !== this.generation) return;
    this.health.setPartitionIds(plan.partitionIds);
    this.progress.reset(plan.settled);
    this.update();
    this.subscription = client.subscribe(
      subscriptionHandlers({
        health: this.health,
        checkpoints,
        logger: this.options.logger,
        onEvents: (events, partitionId, checkpoint) => this.options.onEvents(events, partitionId, checkpoint),
        onDelivered: (partitionId, sequenceNumber) => this.progress.delivered(partitionId, sequenceNumber),
        live: () => gen === this.generation,
        update: () => this.update(),
      }),
      {
        startPosition: plan.positions,
        maxBatchSize: this.options.maxBatchSize ?? 100,
        maxWaitTimeInSeconds: this.options.maxWaitTimeInSeconds ?? 1,
        skipParsingBodyAsJson: true,
      },
    );
    const intervalMs = this.options.probeIntervalMs ?? 5000;
    this.probe = startHubProbe({
      clock: this.clock, intervalMs, timeoutMs: intervalMs / 2, partitionIds: plan.partitionIds,
      read: (partitionId, abortSignal) => client.getPartitionProperties(partitionId, { abortSignal }),
      onResult: (result) => this.probed(result),
    });
  }

  private probed(result: ProbeResult): void {
    this.options.onProbe?.(result.ok);
    if (result.ok) {
      this.health.probe(null);
      for (const p of result.partitions) this.progress.enqueued(p.partitionId, p.lastEnqueuedSequenceNumber);
    } else {
      const { reason, kind } = describeHubError(result.error);
      this.health.probe({ kind, detail: `readiness probe failed: ${reason}` });
    }
    this.update();
  }

  /** The start plan, retried every 2 s (each failure marks the hub `error`); null once this consumer was closed. */
  private planWithRetries(client: EventHubConsumerClient, gen: number): Promise<StartPlan | null> {
    const scope = { fullyQualifiedNamespace: client.fullyQualifiedNamespace, eventHubName: client.eventHubName, consumerGroup: this.options.consumerGroup };
    const attempt = async (abortSignal: AbortSignal) => {
      const position = await startPositionFor(this.options.startPosition, this.options.checkpointStore, scope, client, abortSignal);
      return planStart(client, position, abortSignal);
    };
    return planStartWithRetries(attempt, {
      clock: this.clock,
      live: () => gen === this.generation,
      onError: (error) => {
        const { reason, unauthorized, kind } = describeHubError(error);
        if (unauthorized) this.options.logger.error(`hub consumer ${reason}`);
        else this.options.logger.warn(`hub consumer cannot read the partitions' positions: ${reason}`);
        this.health.error('', { kind, detail: reason });
        this.update();
      },
    });
  }

  private async doClose(): Promise<void> {
    const { client, subscription, probe } = this;
    this.generation += 1;
    probe?.cancel();
    this.probe = null;
    this.progress.clear();
    if (!client) {
      this.health.reset(false);
      this.update();
      return;
    }
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
