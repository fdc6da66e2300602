import type { FastifyPluginCallback } from 'fastify';
import { CloseCode, closeReason } from '../../live/close-codes.js';
import { isOriginAllowed } from '../../live/origin-check.js';
import { WsConnection } from '../../live/ws-connection.js';
import { sendError } from '../../plugins/error-reply.js';
import { errorResponses } from '../../schemas/openapi.js';

/**
 * `GET /api/ws`: live telemetry over WebSocket (protocol table and close codes in the README). Needs the websocket
 * plugin (`src/plugins/websocket.ts`) and `app.live`. Authenticates itself (`api_key` query parameter or a first
 * `auth` message), so its route is public for the auth hook. `?batch=true` asks for array frames, `?devices=false` for no
 * `devices` list (see `WsConnection`). A browser `Origin` outside `CORS_ORIGINS` is closed with 4403; a plain GET without an upgrade gets 400 `{ error: "bad_request" }`.
 */
const wsRoute: FastifyPluginCallback = (app, _options, done) => {
  const { services, connections, clock } = app.live;
  const { config } = services;

  app.route({
    method: 'GET',
    url: '/api/ws',
    config: { public: true }, // authenticates itself, after the upgrade
    schema: {
      tags: ['live'], summary: 'Live telemetry over WebSocket (protocol, messages and close codes: /docs/asyncapi.json)',
      response: { 101: { description: 'Switching Protocols: the WebSocket', type: 'null' }, ...errorResponses(400) },
    },
    // A plain HTTP GET (no upgrade): RFC 6455 §4.2.2 answers a handshake it cannot use with 400.
    handler: (_request, reply) => sendError(reply, 400, 'GET /api/ws needs a WebSocket upgrade (RFC 6455)'),
    wsHandler: (socket, request) => {
      if (!isOriginAllowed(request.headers.origin, request.headers.host, config.corsOrigins)) {
        socket.close(CloseCode.originNotAllowed, closeReason[CloseCode.originNotAllowed]);
        return;
      }
      const query = request.query as Record<string, unknown>;
      const queryApiKey = typeof query.api_key === 'string' ? query.api_key : undefined;
      new WsConnection(socket, services, {
        queryApiKey, queryBatch: booleanParameter('batch', query.batch),
        queryDevices: booleanParameter('devices', query.devices), admission: connections, clock,
        onAuthFailure: () => app.authThrottle.recordFailure(request.ip),
      });
    },
  });
  done();
};

/** A boolean query parameter: absent, `true` or `false`; anything else (a repeat too) is a `bad_request` message. */
function booleanParameter(name: string, value: unknown): boolean | { invalid: string } | undefined {
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  return { invalid: `"${name}" must be true or false` };
}

export default wsRoute;
