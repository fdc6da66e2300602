import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sendError } from './error-reply.js';

async function upgradeRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', (request, reply, next) => {
    if (!request.ws || request.routeOptions.config.websocket === true || request.is404 === true) return next();
    void sendError(reply, 400, `${request.method} ${request.routeOptions.url ?? 'this path'} does not take a WebSocket upgrade`);
  });
  return Promise.resolve();
}

/**
 * Refuses a WebSocket upgrade on a route without a WebSocket handler with 400 `bad_request` (@fastify/websocket would
 * complete the handshake there, then close). Registered after the Host, throttle and key checks, so those answer
 * first, as for any request.
 */
export const upgradeRoutesPlugin = fp(upgradeRoutes, { name: 'upgrade-routes', fastify: '5.x', dependencies: ['gateway-websocket'] });
