import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock } from '../config/clock.js';
import { MemoryTelemetryStore } from '../store/memory-telemetry-store.js';
import type { TelemetryStore } from '../store/telemetry-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where telemetry and its checkpoints are kept. */
    store: TelemetryStore;
  }
}

/** Options of {@link storePlugin}. */
export interface StorePluginOptions {
  /** `HISTORY_LIMIT`: messages kept per device. */
  historyLimit: number;
  clock: Clock;
}

async function store(app: FastifyInstance, options: StorePluginOptions): Promise<void> {
  const telemetry = new MemoryTelemetryStore(options.historyLimit, options.clock);
  app.decorate('store', telemetry);
  app.addHook('onClose', () => telemetry.close());
  return Promise.resolve();
}

/** The telemetry store as a named plugin (`app.store`); closes it in `onClose`, after everything that uses it. */
export const storePlugin = fp(store, { name: 'store', fastify: '5.x' });
