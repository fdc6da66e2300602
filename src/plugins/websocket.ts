import websocket from '@fastify/websocket';
import fp from 'fastify-plugin';
import { CloseCode, closeReason } from '../live/close-codes.js';

/** Largest client → server frame accepted on `/api/ws`, in bytes (larger ones close the socket with 1009). */
export const WS_MAX_PAYLOAD_BYTES = 64 * 1024;

/**
 * Registers @fastify/websocket (ws underneath) for `GET /api/ws`. At shutdown (`preClose`) every client is closed
 * with 4503 "server shutting down, reconnect" (issue 4, close codes) before the HTTP server stops, instead of the
 * plugin's default close without a code.
 */
export default fp(
  async function websocketPlugin(app) {
    await app.register(websocket, {
      options: { maxPayload: WS_MAX_PAYLOAD_BYTES },
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
