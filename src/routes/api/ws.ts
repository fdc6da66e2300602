import type { FastifyPluginCallback } from 'fastify';
import { CloseCode, closeReason } from '../../live/close-codes.js';
import { LiveConnections } from '../../live/live-connections.js';
import { registerLiveMetrics } from '../../live/live-metrics.js';
import { isOriginAllowed } from '../../live/origin-check.js';
import { LiveConnection } from '../../live/ws-connection.js';
import { sendError } from '../../plugins/error-reply.js';

/**
 * `GET /api/ws`: live telemetry over WebSocket (issue 4, "WebSocket"; protocol table and close codes in the README).
 * Needs the websocket plugin (`src/plugins/websocket.ts`) and `app.gateway`. Authenticates itself (the `api_key`
 * query parameter or a first `auth` message within 5 s), so the REST auth hook must not guard this path. A browser
 * `Origin` outside `CORS_ORIGINS` (default: same origin only) is closed with 4403; past `WS_MAX_CONNECTIONS`, 1013.
 * A plain GET without an upgrade gets 400 `{ error: "bad_request" }`.
 */
const wsRoute: FastifyPluginCallback = (app, _options, done) => {
  const { config } = app.gateway;
  const connections = new LiveConnections(config.wsHeartbeatIntervalS, config.wsMaxConnections);
  registerLiveMetrics(app.gatewayCore.metrics, { connections: () => connections.counts(), queuePeak: () => connections.queuePeak() });
  app.addHook('preClose', (hookDone) => {
    connections.closeAll(CloseCode.shuttingDown);
    hookDone();
  });

  app.route({
    method: 'GET',
    url: '/api/ws',
    // A plain HTTP GET (no upgrade): RFC 6455 §4.2.2 answers a handshake it cannot use with 400.
    handler: (_request, reply) => sendError(reply, 400, 'GET /api/ws needs a WebSocket upgrade (RFC 6455)'),
    wsHandler: (socket, request) => {
      if (!isOriginAllowed(request.headers.origin, request.headers.host, config.corsOrigins)) {
        socket.close(CloseCode.originNotAllowed, closeReason[CloseCode.originNotAllowed]);
        return;
      }
      if (!connections.hasRoom()) {
        socket.close(CloseCode.tryAgainLater, closeReason[CloseCode.tryAgainLater]);
        return;
      }
      const query = request.query as Record<string, unknown>;
      const apiKey = typeof query.api_key === 'string' ? query.api_key : undefined;
      const connection = new LiveConnection(socket, app.gateway, apiKey, (closed) => connections.remove(closed));
      if (connection.open) connections.add(connection);
    },
  });
  done();
};

export default wsRoute;
