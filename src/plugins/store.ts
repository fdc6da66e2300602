import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock } from '../config/clock.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { parseConnectionString } from '../config/connection-string.js';
import { openStore } from '../store/open-store.js';
import type { TelemetryStore } from '../store/telemetry-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where telemetry and its checkpoints are kept. */
    store: TelemetryStore;
  }
}

/** Options of {@link storePlugin}. */
export interface StorePluginOptions {
  config: GatewayConfig;
  clock: Clock;
  /** A store opened by the caller (tests: several apps sharing one store); its owner closes it, not the plugin. */
  store?: TelemetryStore;
  /** Demo mode: the embedded emulator's log is new on every start (see `OpenStoreOptions.hubLogIsNew`). */
  demo?: boolean;
}

/**
 * The hub whose registrations the store keeps: `<namespace host>/<event hub>` of an Event Hub-compatible connection
 * string (no port: the demo's emulator listens on a new one each start), `<host>` of an IoT Hub one; null without.
 */
function hubName(connectionString: string | null): string | null {
  if (!connectionString) return null;
  const endpoint = parseConnectionString(connectionString);
  if (endpoint.kind === 'iothub') return endpoint.host;
  return `${endpoint.fullyQualifiedNamespace.replace(/:\d+$/, '')}/${endpoint.eventHubName}`;
}

async function store(app: FastifyInstance, options: StorePluginOptions): Promise<void> {
  if (options.store) {
    app.decorate('store', options.store);
    return;
  }
  const telemetry = await openStore({
    config: options.config, clock: options.clock, logger: app.log.child({ component: 'store' }), hubLogIsNew: options.demo === true,
    hub: hubName(options.config.connectionString),
  });
  app.decorate('store', telemetry);
  app.addHook('onClose', () => telemetry.close());
}

/**
 * The storage engine `STORE` names as a named plugin (`app.store`: telemetry, registrations, checkpoints), with the
 * registrations of the hub the connection string names; closes it in `onClose`, after everything that uses it.
 */
export const storePlugin = fp(store, { name: 'store', fastify: '5.x' });
