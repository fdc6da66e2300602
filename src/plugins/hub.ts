import type { Checkpoint, ReceivedEventData } from '@azure/event-hubs';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { BehaviorSubject, NEVER, Subject, type Observable } from 'rxjs';
import type { Clock } from '../config/clock.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { BatchNotStoredError } from '../hub/batch-not-stored.js';
import { createHubTransport, hubTransportLines } from '../hub/create-hub-transport.js';
import { toEventPosition } from '../hub/event-position.js';
import { HubConsumer } from '../hub/hub-consumer.js';
import type { HubStatus } from '../hub/hub-health.js';
import { registerHubMetrics } from '../hub/hub-metrics.js';
import { NO_HUB, type HubNotice, type HubView } from '../hub/hub-state.js';
import { repeatLog } from '../hub/repeat-log.js';
import type { HubBatch } from '../telemetry/ingest-pipeline.js';

/** The hub resource: the one consumer and what it reads. */
export interface HubResource {
  /** `null` when the config has no connection string (tests of the REST layer only). */
  consumer: HubConsumer | null;
  /** Every non-empty batch read, with its checkpoint; the ingest pipeline settles each one. */
  batches$: Observable<HubBatch>;
  /** The consumer's state, public reason and detail (`closed` without a consumer). */
  status(): HubStatus;
  /** Every change of {@link HubResource.status} (the current value first): the one hub status stream. */
  status$: Observable<HubStatus>;
  /** What the registry and others read of the hub where they derive a status. */
  view: HubView;
  /** One-off hub-wide events for live clients (a retention gap); never emits without a consumer. */
  notices$: Observable<HubNotice>;
}

declare module 'fastify' {
  interface FastifyInstance {
    hub: HubResource;
  }
}

/** Options of {@link hubPlugin}. */
export interface HubPluginOptions {
  config: GatewayConfig;
  clock: Clock;
}

const CLOSED: HubStatus = { state: 'closed', reason: null, detail: null };

async function hub(app: FastifyInstance, options: HubPluginOptions): Promise<void> {
  const { config, clock } = options;
  const batches = new Subject<HubBatch>();
  const counters = registerHubMetrics(app.metrics, () => consumer?.status().state ?? 'closed');
  const handOver = (events: ReceivedEventData[], partitionId: string, checkpoint: Checkpoint): Promise<void> =>
    new Promise((stored, failed) => {
      // Nobody reads batches once the ingest plugin closed: nothing to wait for.
      if (!batches.observed) return stored();
      const settled = (error?: unknown) =>
        error === undefined ? stored() : failed(new BatchNotStoredError(partitionId, events[0]?.sequenceNumber ?? -1, checkpoint.sequenceNumber, error));
      batches.next({ partitionId, events, checkpoint, settled });
    });
  const hubLog = repeatLog(app.log.child({ component: 'hub' }), clock);
  const consumer = config.connectionString
    ? new HubConsumer({
        connectionString: config.connectionString,
        transport: createHubTransport(config),
        rediscoverAfterMs: config.hubRediscoverAfterS * 1000,
        consumerGroup: config.consumerGroup,
        startPosition: toEventPosition(config.startPosition),
        checkpointStore: app.store.checkpointStore,
        logger: hubLog,
        onEvents: handOver,
        clock,
        probeIntervalMs: config.hubProbeIntervalS * 1000,
        stallTimeoutMs: config.hubStallTimeoutS * 1000,
        onProbe: (ok) => counters.probe(ok),
        onRetentionGap: (gap) => counters.retentionGap(gap),
        onCheckpointAhead: (ahead) => counters.checkpointAhead(ahead),
        balancing: {
          strategy: config.partitionBalancing,
          claimIntervalMs: config.partitionClaimIntervalS * 1000,
          ownershipExpiryMs: config.partitionOwnershipExpiryS * 1000,
        },
      })
    : null;
  if (consumer) {
    const lines = hubTransportLines(config);
    app.log.info(lines.info);
    for (const line of lines.warn) app.log.warn(line);
  }
  const view: HubView = consumer
    ? { state: () => consumer.status().state, lastConnectedMs: () => consumer.lastConnectedMs() }
    : NO_HUB;
  const outageEnds = consumer?.status$.subscribe((s) => {
    if (s.state === 'connected') hubLog.reset();
  });
  app.decorate('hub', {
    consumer,
    batches$: batches.asObservable(),
    status: () => consumer?.status() ?? CLOSED,
    status$: consumer?.status$ ?? new BehaviorSubject(CLOSED).asObservable(),
    view,
    notices$: consumer?.notices$ ?? NEVER,
  });
  // onClose runs in reverse registration order: the live sessions and the ingest pipeline have ended by now, so no
  // client hears the consumer's `closed` as "no device watched"; a batch still in flight is settled at once.
  app.addHook('onClose', async () => {
    await consumer?.close();
    outageEnds?.unsubscribe();
    hubLog.close();
    batches.complete();
  });
  return Promise.resolve();
}

/**
 * The hub consumer as a named plugin (`app.hub`), reading with the store's checkpoint store; the one owner of the
 * hub's status. Its repeated warnings are logged once per outage and summed up every minute (see `repeatLog`). The demand plugin opens and closes it; at shutdown it closes after the resources that use it.
 */
export const hubPlugin = fp(hub, { name: 'hub', fastify: '5.x', dependencies: ['metrics', 'store'] });
