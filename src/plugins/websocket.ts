import websocket from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { WebSocket } from 'ws';
import { CloseCode, closeReason } from '../live/close-codes.js';

/** Largest client → server frame accepted on `/api/ws`, in bytes (larger ones close the socket with 1009). */
export const WS_MAX_PAYLOAD_BYTES = 64 * 1024;

/**
 * Errors on an accepted socket. `ws` raises the peer's protocol violations (invalid UTF-8, oversized or malformed
 * frames: codes `WS_ERR_*`) after it has already closed with the right RFC 6455 code (1007, 1009, 1002); those are the
 * client's fault and logged as one warning line without a stack, so a hostile client cannot fill the error log.
 * Anything else is a server error. The socket is terminated either way (the plugin's default).
 */
function onSocketError(error: Error & { code?: string }, socket: WebSocket, request: FastifyRequest): void {
  if (error.code?.startsWith('WS_ERR_')) request.log.warn(`websocket client sent an invalid frame: ${error.message}`);
  else request.log.error({ err: error }, 'websocket failed');
  socket.terminate();
}

/**
 * Registers @fastify/websocket (ws underneath) for `GET /api/ws`. At shutdown (`preClose`) every client is closed
 * with 4503 "server shutting down, reconnect" (issue 4, close codes) before the HTTP server stops, instead of the
 * plugin's default close without a code.
 */
export default fp(
  async function websocketPlugin(app) {
    await app.register(websocket, {
      options: { maxPayload: WS_MAX_PAYLOAD_BYTES },
      errorHandler: onSocketError,
      preClose(done) {
        for (const client of app.websocketServer.clients) {
          client.close(CloseCode.shuttingDown, closeReason[CloseCode.shuttingDown]);
        }
        app.websocketServer.close();
        done();
      },
    });
  },
  { name: 'gateway-websocket', fastify: '5.x' },
);
