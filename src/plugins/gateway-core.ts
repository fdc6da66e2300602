import { latestEventPosition, type ReceivedEventData } from '@azure/event-hubs';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Registry } from 'prom-client';
import { Subject, distinctUntilChanged, map } from 'rxjs';
import type { Clock } from '../config/clock.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { DeviceRegistry } from '../devices/device-registry.js';
import { createRegistrationWriter, readRegistrations } from '../devices/registration-file.js';
import { TelemetryStore } from '../devices/telemetry-store.js';
import type { GatewayServices } from '../gateway-services.js';
import { toEventPosition } from '../hub/event-position.js';
import { HubConsumer } from '../hub/hub-consumer.js';
import { createGatewayMetrics } from '../telemetry/gateway-metrics.js';
import { normalizeEvent } from '../telemetry/normalize.js';
import { telemetryPipeline, type PipelineInput, type SeenDevice } from '../telemetry/pipeline.js';
import { describeBody } from '../telemetry/describe-body.js';

/** Log levels at which each stored message gets an info line. */
const INFO_ENABLED: ReadonlySet<string> = new Set(['info', 'debug', 'trace']);

/** Concrete core services, for the core's own routes (`app.gatewayCore`); other plugins use `app.gateway`. */
export interface GatewayCore {
  registry: DeviceRegistry;
  store: TelemetryStore;
  /** `null` when the config has no connection string (tests of the REST layer only). */
  consumer: HubConsumer | null;
  /** The app's own prom-client registry (`GET /metrics`). */
  metrics: Registry;
}

declare module 'fastify' {
  interface FastifyInstance {
    gatewayCore: GatewayCore;
  }
}

/** Options of the core plugin. */
export interface GatewayCoreOptions {
  config: GatewayConfig;
  /** Devices registered at start besides `DEVICE_ID` (demo mode: the simulated devices). */
  initialDeviceIds?: readonly string[];
  /** Inactivity sweep period in ms (default 500; the issue asks for at least once a second). */
  sweepIntervalMs?: number;
  /** Schedules the hub's readiness probe and stall timeout (default `systemClock`). */
  clock?: Clock;
}

async function gatewayCore(app: FastifyInstance, options: GatewayCoreOptions): Promise<void> {
  const { config } = options;
  const log = app.log;
  const store = new TelemetryStore(config.historyLimit);
  const registrations = createRegistrationWriter(config.stateDir);
  const registry = new DeviceRegistry({
    inactivityTimeoutS: config.inactivityTimeoutS,
    persist: (devices) =>
      registrations.save(devices).catch((error: unknown) => {
        log.error(`cannot save registrations in ${config.stateDir}: ${(error as Error).message}`);
      }),
  });
  try {
    registry.restore(await readRegistrations(config.stateDir));
  } catch (error) {
    log.warn(`ignoring unreadable registrations in ${config.stateDir}: ${(error as Error).message}`);
  }
  for (const id of [config.defaultDeviceId, ...(options.initialDeviceIds ?? [])]) if (id) registry.register(id);

  const input = new Subject<PipelineInput>();
  const isWatched = (id: string) => registry.isWatched(id);
  const received = new Subject<SeenDevice>();
  const metrics = new Registry();
  const count = createGatewayMetrics(metrics, {
    hubState: () => consumer?.status().state ?? 'closed',
    watchedDevices: () => registry.list().filter((d) => d.status !== 'inactive').length,
  });
  const consumer = config.connectionString
    ? new HubConsumer({
        connectionString: config.connectionString,
        consumerGroup: config.consumerGroup,
        logger: log.child({ component: 'hub' }),
        onEvents: (events: ReceivedEventData[], partitionId: string) => {
          // Bodies of devices nobody watches are not decoded: they would be dropped anyway.
          for (const event of events) input.next(normalizeEvent(event, partitionId, isWatched));
        },
        ...(options.clock ? { clock: options.clock } : {}),
        probeIntervalMs: config.hubProbeIntervalS * 1000,
        stallTimeoutMs: config.hubStallTimeoutS * 1000,
        onProbe: (ok) => count(ok ? 'hub_probe_ok' : 'hub_probe_failed'),
      })
    : null;

  const pipeline = telemetryPipeline(input, {
    isWatched,
    store: (message) => store.add(message),
    count,
    onReceived: (message) => received.next(message),
    onDecodeError: (m, error) =>
      log.warn(`decode error: device ${m.deviceId} partition ${m.partitionId} sequence number ${m.sequenceNumber}: ${String(error)}; kept as ${m.bodyEncoding}`),
    onStored: (m) => {
      registry.recordSeen(m.deviceId, m.enqueuedTime);
      if (INFO_ENABLED.has(log.level)) log.info(`telemetry ${m.deviceId} ${m.enqueuedTime} ${describeBody(m)}`);
    },
    onItemError: (error) => log.error(`telemetry pipeline item failed: ${(error as Error).message}`),
  }).subscribe();

  let opened = false;
  const demand = consumer
    ? registry.watched$.pipe(map((set) => set.size > 0), distinctUntilChanged()).subscribe((wanted) => {
        if (wanted) {
          // START_POSITION applies to the first open; reopening after inactivity starts at latest (nothing replayed).
          void consumer.open(opened ? latestEventPosition : toEventPosition(config.startPosition));
          opened = true;
        } else {
          void consumer.close();
        }
      })
    : null;
  // Live clients are authenticated: they get the detail (the SDK's message), /readyz only the public reason.
  const hubStatus = consumer?.status$.subscribe((s) => registry.setHubState(s.state, s.detail ?? s.reason));
  const sweeper = setInterval(() => registry.sweep(), options.sweepIntervalMs ?? 500);
  sweeper.unref();

  const services: GatewayServices = {
    config,
    store,
    registry,
    received$: received.asObservable(),
    hubState: () => {
      const { state, reason } = consumer?.status() ?? { state: 'closed', reason: null };
      return { state, reason };
    },
  };
  app.decorate('gateway', services);
  app.decorate('gatewayCore', { registry, store, consumer, metrics });
  app.addHook('onClose', async () => {
    clearInterval(sweeper);
    demand?.unsubscribe();
    await consumer?.close();
    hubStatus?.unsubscribe();
    input.complete();
    pipeline.unsubscribe();
    received.complete();
    registry.close();
    store.close();
    await registrations.flush();
  });
}

/**
 * The gateway core as a named fastify plugin: telemetry store, device registry (restored from `STATE_DIR`), the one
 * hub consumer opened and closed on demand by the watched set, the RxJS pipeline between them, metrics, and the
 * inactivity sweeper. Decorates `app.gateway` (see `GatewayServices`) and `app.gatewayCore`; closes everything, in
 * order, in `onClose`.
 */
export const gatewayCorePlugin = fp(gatewayCore, { name: 'gateway-core', fastify: '5.x' });
