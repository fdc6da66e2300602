import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge } from 'prom-client';
import type { Clock } from '../config/clock.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { patternOfKey } from '../devices/device-pattern.js';
import { DevicePatterns } from '../devices/device-patterns.js';
import { DeviceRegistry } from '../devices/device-registry.js';
import type { Units } from '../schemas/devices.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The registered devices, their activity and status. */
    registry: DeviceRegistry;
    /** The registered device ID patterns. */
    patterns: DevicePatterns;
  }
}

/** Options of {@link registryPlugin}. */
export interface RegistryPluginOptions {
  config: GatewayConfig;
  clock: Clock;
  /** Devices registered at start besides `DEVICE_ID` (demo mode: the simulated devices). */
  initialDeviceIds: readonly string[];
  /** Units the initial devices are registered with, by device ID. */
  initialDeviceUnits: Readonly<Record<string, Units>>;
  /** Inactivity sweep period in ms. */
  sweepIntervalMs: number;
}

async function registry(app: FastifyInstance, options: RegistryPluginOptions): Promise<void> {
  const { config, clock } = options;
  const { registrations } = app.store;
  const devices = new DeviceRegistry({
    inactivityTimeoutS: config.inactivityTimeoutS,
    hubEventsLimit: config.hubEventsLimit,
    now: () => clock.now(),
    hub: app.hub.view,
    registrations,
    onPersistError: (error) => app.log.error(`cannot save a registration change: ${(error as Error).message}`),
    // A tenth of the timeout (at least 1 s): other instances hear of activity well before they would sweep.
    activityShareIntervalMs: Math.max(1000, config.inactivityTimeoutS * 100),
  });
  const overLimit = new Counter({
    name: 'gateway_pattern_devices_refused_total', registers: [app.metrics],
    help: 'Messages of unregistered devices matching a device ID pattern, not registered: MAX_PATTERN_DEVICES reached',
  });
  let warned = false;
  const patterns = new DevicePatterns(devices, {
    maxDevices: config.maxPatternDevices, now: () => clock.now(), registrations,
    onPersistError: (error) => app.log.error(`cannot save a pattern change: ${(error as Error).message}`),
    onOverLimit: (deviceId) => {
      overLimit.inc();
      if (!warned) app.log.warn(`device ${deviceId} matches a device ID pattern but is not registered: MAX_PATTERN_DEVICES (${config.maxPatternDevices}) reached (logged once)`);
      warned = true;
    },
  });
  const stored = await registrations.list();
  devices.restore(stored.filter((r) => patternOfKey(r.deviceId) === undefined), await registrations.activity());
  patterns.restore(stored);
  const changes = registrations.changes$.subscribe((change) => patterns.apply(change) || devices.apply(change));
  for (const id of [config.defaultDeviceId, ...options.initialDeviceIds]) if (id) devices.register(id, options.initialDeviceUnits[id]);
  new Gauge({
    name: 'gateway_watched_devices', help: 'Registered devices that are not inactive', registers: [app.metrics],
    collect() {
      this.set(devices.watchedCount());
    },
  });
  const sweeper = clock.setInterval(() => devices.sweep(), options.sweepIntervalMs);
  app.decorate('registry', devices);
  app.decorate('patterns', patterns);
  app.addHook('onClose', (_instance, done) => {
    sweeper.cancel();
    changes.unsubscribe();
    patterns.close();
    devices.close();
    done();
  });
}

/**
 * The device registry as a named plugin (`app.registry`): restored from the store's registrations (with the
 * cluster-wide activity of a shared store), `DEVICE_ID` and the initial devices registered, kept in step with other
 * instances' changes, swept for inactivity every `sweepIntervalMs` on the clock; closed in `onClose` (the store,
 * closed after it, writes what is pending).
 */
export const registryPlugin = fp(registry, { name: 'registry', fastify: '5.x', dependencies: ['metrics', 'store', 'hub'] });
