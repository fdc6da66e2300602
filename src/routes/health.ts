import type { FastifyInstance } from 'fastify';
import { HealthReply, ReadyReply } from '../schemas/health.js';
import { errorResponses } from '../schemas/openapi.js';

/**
 * Health endpoints (public: no key, no data): `GET /healthz` → 200 `{ status: "ok" }` while the process runs;
 * `GET /readyz` → 200 `{ status: "ready", hubState, reason: null }` when the hub consumer is connected or closed on
 * purpose (no device watched), else 503 `{ status: "not_ready", hubState, reason }` with `reason` from
 * `app.hub.status()`, which never names the hub's address nor carries an SDK message.
 */
export function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', {
    config: { public: true },
    schema: { tags: ['health'], summary: 'Liveness: 200 while the process runs', response: { 200: HealthReply, ...errorResponses() } },
  }, () => ({ status: 'ok' }));
  app.get('/readyz', {
    config: { public: true },
    schema: {
      tags: ['health'], summary: 'Readiness: 200 when the hub consumer is connected or closed on purpose, else 503',
      response: { 200: ReadyReply, 503: ReadyReply, ...errorResponses() },
    },
  }, (_request, reply) => {
    const { state, reason } = app.hub.status();
    const ready = state === 'connected' || state === 'closed';
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', hubState: state, reason });
  });
  return Promise.resolve();
}
