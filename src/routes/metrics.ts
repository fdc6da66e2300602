import type { FastifyInstance } from 'fastify';

/** `GET /metrics`: the app's Prometheus metrics in text format (prom-client); no key, no telemetry data. */
export function metricsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/metrics', { config: { public: true } }, async (_request, reply) => {
    const registry = app.metrics;
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  return Promise.resolve();
}
