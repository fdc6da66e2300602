import type { FastifyPluginCallback } from 'fastify';
import { systemClock, type Clock } from '../../config/clock.js';
import { CloseCode, closeReason } from '../../live/close-codes.js';
import { LiveConnections } from '../../live/live-connections.js';
import { registerLiveMetrics } from '../../live/live-metrics.js';
import { isOriginAllowed } from '../../live/origin-check.js';
import { LiveConnection } from '../../live/ws-connection.js';
import { sendError } from '../../plugins/error-reply.js';

/** Options of the `/api/ws` route plugin. */
export interface WsRouteOptions {
  /** Runs the auth window and the heartbeat (default: the system clock). */
  clock?: Clock;
}

/**
 * `GET /api/ws`: live telemetry over WebSocket (protocol table and close codes in the README). Needs the websocket
 * plugin (`src/plugins/websocket.ts`) and `app.gateway`. Authenticates itself (the `api_key` query parameter or a
 * first `auth` message within `WS_AUTH_TIMEOUT` s), so its route is public for the auth hook. A browser
 * `Origin` outside `CORS_ORIGINS` (default: same origin only) is closed with 4403; past `WS_MAX_PENDING_AUTH` sockets
 * waiting for `auth`, or `WS_MAX_CONNECTIONS` authenticated ones, 1013. A plain GET without an upgrade gets 400
 * `{ error: "bad_request" }`.
 */
const wsRoute: FastifyPluginCallback<WsRouteOptions> = (app, options, done) => {
  const { config } = app.gateway;
  const clock = options.clock ?? systemClock;
  const connections = new LiveConnections({
    heartbeatIntervalS: config.wsHeartbeatIntervalS,
    maxConnections: config.wsMaxConnections,
    maxPendingAuth: config.wsMaxPendingAuth,
    clock,
  });
  registerLiveMetrics(app.gatewayCore.metrics, { connections: () => connections.counts(), queuePeak: () => connections.queuePeak() });
  app.addHook('preClose', (hookDone) => {
    connections.closeAll(CloseCode.shuttingDown);
    hookDone();
  });

  app.route({
    method: 'GET',
    url: '/api/ws',
    config: { public: true }, // authenticates itself, after the upgrade
    // A plain HTTP GET (no upgrade): RFC 6455 §4.2.2 answers a handshake it cannot use with 400.
    handler: (_request, reply) => sendError(reply, 400, 'GET /api/ws needs a WebSocket upgrade (RFC 6455)'),
    wsHandler: (socket, request) => {
      if (!isOriginAllowed(request.headers.origin, request.headers.host, config.corsOrigins)) {
        socket.close(CloseCode.originNotAllowed, closeReason[CloseCode.originNotAllowed]);
        return;
      }
      const query = request.query as Record<string, unknown>;
      const queryApiKey = typeof query.api_key === 'string' ? query.api_key : undefined;
      new LiveConnection(socket, app.gateway, {
        queryApiKey, admission: connections, clock, onAuthFailure: () => app.authThrottle.recordFailure(request.ip),
      });
    },
  });
  done();
};

export default wsRoute;
