import type { FastifyInstance } from 'fastify';

/**
 * Health endpoints (public: no key, no data): `GET /healthz` → 200 `{ status: "ok" }` while the process runs;
 * `GET /readyz` → 200 `{ status: "ready", hubState, reason }` when the hub consumer is connected or closed on purpose
 * (no device watched), else 503 `{ status: "not_ready", hubState, reason }` (connecting, cannot connect or
 * authenticate; `reason` says why).
 */
export function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', { config: { public: true } }, () => ({ status: 'ok' }));
  app.get('/readyz', { config: { public: true } }, (_request, reply) => {
    const { state, reason } = app.gateway.hubState();
    const ready = state === 'connected' || state === 'closed';
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', hubState: state, reason });
  });
  return Promise.resolve();
}
