import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Gauge } from 'prom-client';
import type { Clock } from '../config/clock.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { DeviceRegistry } from '../devices/device-registry.js';
import { createRegistrationWriter, readRegistrations } from '../devices/registration-file.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The registered devices, their activity and status. */
    registry: DeviceRegistry;
  }
}

/** Options of {@link registryPlugin}. */
export interface RegistryPluginOptions {
  config: GatewayConfig;
  clock: Clock;
  /** Devices registered at start besides `DEVICE_ID` (demo mode: the simulated devices). */
  initialDeviceIds: readonly string[];
  /** Inactivity sweep period in ms. */
  sweepIntervalMs: number;
}

async function registry(app: FastifyInstance, options: RegistryPluginOptions): Promise<void> {
  const { config, clock } = options;
  const registrations = createRegistrationWriter(config.stateDir);
  const devices = new DeviceRegistry({
    inactivityTimeoutS: config.inactivityTimeoutS,
    now: () => clock.now(),
    hub: app.hub.view,
    persist: (list) =>
      registrations.save(list).catch((error: unknown) => {
        app.log.error(`cannot save registrations in ${config.stateDir}: ${(error as Error).message}`);
      }),
  });
  try {
    devices.restore(await readRegistrations(config.stateDir));
  } catch (error) {
    app.log.warn(`ignoring unreadable registrations in ${config.stateDir}: ${(error as Error).message}`);
  }
  for (const id of [config.defaultDeviceId, ...options.initialDeviceIds]) if (id) devices.register(id);
  new Gauge({
    name: 'gateway_watched_devices', help: 'Registered devices that are not inactive', registers: [app.metrics],
    collect() {
      this.set(devices.list().filter((d) => d.status !== 'inactive').length);
    },
  });
  const sweeper = clock.setInterval(() => devices.sweep(), options.sweepIntervalMs);
  app.decorate('registry', devices);
  app.addHook('onClose', async () => {
    sweeper.cancel();
    devices.close();
    await registrations.flush();
  });
}

/**
 * The device registry as a named plugin (`app.registry`): restored from `STATE_DIR`, `DEVICE_ID` and the initial
 * devices registered, swept for inactivity every `sweepIntervalMs` on the clock; saved and closed in `onClose`.
 */
export const registryPlugin = fp(registry, { name: 'registry', fastify: '5.x', dependencies: ['metrics', 'hub'] });
