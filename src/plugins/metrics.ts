import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Registry } from 'prom-client';
import { addProcessMetrics } from '../telemetry/process-metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's own prom-client registry (`GET /metrics`): each resource registers its metrics on it. */
    metrics: Registry;
  }
}

async function metrics(app: FastifyInstance): Promise<void> {
  const registry = new Registry();
  addProcessMetrics(registry);
  app.decorate('metrics', registry);
  app.addHook('onClose', () => registry.clear());
  return Promise.resolve();
}

/** The metrics registry as a named plugin (`app.metrics`), with prom-client's process metrics. */
export const metricsPlugin = fp(metrics, { name: 'metrics', fastify: '5.x' });
