import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../schemas/openapi.js';

/** `GET /metrics`: the app's Prometheus metrics in text format (prom-client); no key, no telemetry data. */
export function metricsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/metrics', {
    config: { public: true },
    schema: {
      tags: ['metrics'], summary: 'Prometheus metrics (text exposition format)',
      response: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } }, ...errorResponses() },
    },
  }, async (_request, reply) => {
    const registry = app.metrics;
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  return Promise.resolve();
}
