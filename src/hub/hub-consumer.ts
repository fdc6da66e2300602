import type { EventHubConsumerClient, Subscription } from '@azure/event-hubs';
import { map, type Observable } from 'rxjs';
import { systemClock, type Clock, type ClockTimer } from '../config/clock.js';
import { closeClient, createConsumerClient, scopeOf, subscribeOptions } from './consumer-client.js';
import { reportPlanError, startReadinessProbe, type ReportTargets } from './consumer-reports.js';
import { describeTarget, endpointSource, openProblem, type EndpointSource } from './endpoint-source.js';
import { HubHealth, type HubStatus } from './hub-health.js';
import { HubStatusKeeper } from './hub-status-keeper.js';
import type { OpenReason } from './demand-loop.js';
import type { HubConsumerOptions } from './hub-consumer-options.js';
import type { HubNotice } from './hub-state.js';
import { PartitionProgress } from './partition-progress.js';
import { PartitionWatch } from './partition-watch.js';
import { rediscoverAfterErrors } from './rediscovery.js';
import { planOpen } from './start-policy.js';
import { subscriptionHandlers } from './subscription-handlers.js';

/**
 * The one `EventHubConsumerClient` of the gateway and its lifecycle: `open` plans each partition's start position
 * (`latest` pinned to the partition's last enqueued sequence number, see `start-plan.ts`), then subscribes to every
 * partition (see `consumer-client.ts`; raw bodies, batches of 100) and probes the hub every `probeIntervalMs` on the
 * clock; instances sharing the checkpoint store share the partitions (see `partition-watch.ts`). `close` closes the
 * subscription, then the client, so no AMQP connection stays. Calls are serialised; both are idempotent. Each open
 * resolves the connection string first (`endpoint-source.ts`: an IoT Hub one is discovered afresh, and reopened after
 * `rediscoverAfterMs` in the error state). Follows src/emulator/EVENT-HUBS-AMQP.md ("Recovery"), the SDK's `subscribe`.
 */
export class HubConsumer {
  private client: EventHubConsumerClient | null = null;
  private opened = false;
  private readonly endpoint: EndpointSource;
  private subscription: Subscription | null = null;
  private probe: ClockTimer | null = null;
  private readonly clock: Clock;
  private readonly progress: PartitionProgress;
  private readonly health: HubHealth;
  private readonly watch: PartitionWatch;
  private readonly keeper: HubStatusKeeper;
  private queue: Promise<void> = Promise.resolve();
  private generation = 0;

  /** State changes (current value first). */
  readonly status$: Observable<HubStatus>;
  /** One-off hub-wide events: a retention gap, or a checkpoint ahead of its partition's log, found at a partition start. */
  readonly notices$: Observable<HubNotice>;

  constructor(private readonly options: HubConsumerOptions) {
    this.clock = options.clock ?? systemClock;
    this.keeper = new HubStatusKeeper(this.clock, options.logger);
    this.status$ = this.keeper.status$;
    this.watch = new PartitionWatch({ ...options, clock: this.clock, onChange: () => this.update() });
    this.notices$ = this.watch.notices$.pipe(map((reason) => ({ state: this.status().state, reason })));
    const elsewhere = (partitionId: string) => this.watch.coverage.covered(partitionId);
    this.progress = new PartitionProgress(this.clock, options.stallTimeoutMs ?? 10_000, () => this.update(), elsewhere);
    this.health = new HubHealth(() => this.progress.stalled(), elsewhere);
    this.endpoint = endpointSource(options.connectionString, options.transport, this.clock, options.discoveryTimeoutMs);
    if (this.endpoint.discovers) {
      rediscoverAfterErrors(this.status$, this.clock, options.rediscoverAfterMs ?? 60_000, () => void this.reopen());
    }
  }

  /** When the consumer was last `connected`, ms since the epoch (the current time while connected); -Infinity if never. */
  lastConnectedMs(): number {
    return this.keeper.lastConnectedMs();
  }

  /** The current state, its public reason and its detail. */
  status(): HubStatus {
    return this.keeper.value;
  }

  /**
   * Opens the consumer unless already open, where `start-policy.ts` says (the store's checkpoints and idle mark
   * decide; `reason` is logged). Resolves at once (the start is planned, then subscribed).
   */
  open(reason: OpenReason): Promise<void> {
    return this.enqueue(() => {
      if (this.opened) return Promise.resolve();
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

  private get reports(): ReportTargets {
    const { health, progress, watch, options } = this;
    return { health, progress, watch, logger: options.logger, onProbe: (ok) => options.onProbe?.(ok), update: () => this.update() };
  }

  private update(): void {
    this.keeper.publish(this.health.status());
  }

  /** Closes and opens again (a fresh discovery), unless closed meanwhile. */
  private reopen(): Promise<void> {
    return this.enqueue(async () => {
      if (!this.opened) return;
      this.options.logger.warn('hub consumer reopening: discovering the Event Hub-compatible endpoint again after the error state lasted');
      await this.doClose().then(() => this.doOpen());
    });
  }

  private doOpen(): Promise<void> {
    if (this.opened) return Promise.resolve();
    this.opened = true;
    const gen = ++this.generation;
    this.health.reset(true);
    this.progress.clear();
    if (this.endpoint.discovers) this.update();
    void this.connect(gen);
    return Promise.resolve();
  }

  /** Resolves the connection string, then creates the client and starts it; a failure is the hub's error state. */
  private async connect(gen: number): Promise<void> {
    try {
      const { connectionString, discovered } = await this.endpoint.resolve();
      if (gen !== this.generation) return;
      if (discovered) this.options.logger.info(`hub consumer discovered the Event Hub-compatible endpoint ${describeTarget(discovered)}`);
      this.client = createConsumerClient({ ...this.options, connectionString });
    } catch (error) {
      // The discovery failed, or the SDK refused the connection string or options synchronously.
      if (gen === this.generation) this.health.error('', openProblem(error));
      this.update();
      return;
    }
    this.update();
    await this.start(this.client, gen);
  }

  /** Plans the start (retrying while this consumer is open), then subscribes and starts the readiness probe. */
  private async start(client: EventHubConsumerClient, gen: number): Promise<void> {
    // Retried every 2 s while this consumer is open (each failure marks the hub `error`); null once closed.
    const plan = await planOpen({
      configured: this.options.startPosition, store: this.options.checkpointStore, scope: scopeOf(client, this.options.consumerGroup),
      reader: client, clock: this.clock, live: () => gen === this.generation, onError: (error) => reportPlanError(this.reports, error),
    });
    if (!plan || gen !== this.generation) return;
    this.health.setPartitionIds(plan.partitionIds);
    this.progress.reset(plan.settled);
    this.watch.properties(plan.properties);
    const readProperties = (partitionId: string) => client.getPartitionProperties(partitionId);
    this.watch.open({ scope: scopeOf(client, this.options.consumerGroup), ownerId: client.identifier, progress: this.progress, readProperties }, plan.partitionIds.length);
    this.update();
    this.subscription = client.subscribe(
      subscriptionHandlers({
        health: this.health,
        checkpoints: this.options.checkpointStore,
        logger: this.options.logger,
        onEvents: (events, partitionId, checkpoint) => this.options.onEvents(events, partitionId, checkpoint),
        onDelivered: (partitionId, sequenceNumber) => this.progress.delivered(partitionId, sequenceNumber),
        live: () => gen === this.generation,
        update: () => this.update(),
        started: (partitionId) => this.watch.started(partitionId),
        stopped: (partitionId, handedOver) => this.watch.stopped(partitionId, handedOver),
      }),
      subscribeOptions(plan, this.options),
    );
    this.probe = startReadinessProbe(this.reports, client, plan.partitionIds, this.clock, this.options.probeIntervalMs ?? 5000);
  }

  private async doClose(): Promise<void> {
    const { client, subscription, probe } = this;
    this.generation += 1;
    probe?.cancel();
    this.probe = null;
    this.progress.clear();
    this.watch.close();
    this.opened = false;
    if (!client) {
      this.health.reset(false);
      this.update();
      return;
    }
    this.client = null;
    this.subscription = null;
    await closeClient(subscription, client, this.options.logger);
    this.health.reset(false);
    this.update();
  }
}
