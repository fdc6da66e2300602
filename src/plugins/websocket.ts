import websocket from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { WebSocket } from 'ws';
import { systemClock } from '../config/clock.js';
import { CloseCode, closeReason } from '../live/close-codes.js';
import { answerRefusedUpgrade } from './ws-handshake-errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by the websocket plugin on routes with a WebSocket handler: the only ones that take an upgrade. */
    websocket?: boolean;
  }
}

/** Largest client → server frame accepted on `/api/ws`, in bytes (larger ones close the socket with 1009). */
export const WS_MAX_PAYLOAD_BYTES = 64 * 1024;
/** How long (ms) a socket the gateway closes may take to finish the close handshake before it is destroyed. */
export const WS_CLOSE_TIMEOUT_MS = 5_000;
/** How long (ms) shutdown waits for clients to answer 4503 before it terminates their sockets. */
export const WS_SHUTDOWN_GRACE_MS = 1_000;

/**
 * Errors on an accepted socket. `ws` raises the peer's protocol violations (invalid UTF-8, oversized or malformed
 * frames: codes `WS_ERR_*`) after it has started closing with the right RFC 6455 code (1007, 1009, 1002); those are
 * the client's fault, logged as one info line without a stack (anyone can open a socket, key or not: a warning per
 socket would let them fill the warn log an operator watches), and the
 * close handshake is left to finish (bounded by {@link WS_CLOSE_TIMEOUT_MS}): terminating here could drop the close
 * frame still waiting behind earlier replies, and the client would see 1006. Anything else is a server error and the
 * socket is terminated.
 */
function onSocketError(error: Error & { code?: string }, socket: WebSocket, request: FastifyRequest): void {
  if (error.code?.startsWith('WS_ERR_')) return request.log.info(`websocket client sent an invalid frame: ${error.message}`);
  request.log.error({ err: error }, 'websocket failed');
  socket.terminate();
}

/** Resolves once every socket closed, terminating those still open after `graceMs` (system time: shutdown is real). */
function settle(sockets: readonly WebSocket[], graceMs: number): Promise<void> {
  const open = sockets.filter((s) => s.readyState !== WebSocket.CLOSED);
  if (open.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    let left = open.length;
    const timer = systemClock.setTimeout(() => {
      for (const socket of open) socket.terminate();
      resolve();
    }, graceMs);
    for (const socket of open) {
      socket.once('close', () => {
        if (--left > 0) return;
        timer.cancel();
        resolve();
      });
    }
  });
}

/**
 * Registers @fastify/websocket (ws underneath) for `GET /api/ws`: frames up to {@link WS_MAX_PAYLOAD_BYTES}, a
 * bounded close handshake, refused upgrades answered in the JSON error shape. At shutdown (`preClose`) every client
 * is closed with 4503 "server shutting down, reconnect" before the HTTP server stops; sockets that have not finished
 * the close handshake after {@link WS_SHUTDOWN_GRACE_MS} are terminated, so no peer can hold the process open.
 */
export default fp(
  async function websocketPlugin(app) {
    // `closeTimeout` (ws 8.23; default 30 s) is not in @types/ws yet, hence a variable rather than a literal.
    const options = { maxPayload: WS_MAX_PAYLOAD_BYTES, closeTimeout: WS_CLOSE_TIMEOUT_MS };
    await app.register(websocket, {
      options,
      errorHandler: onSocketError,
      preClose(done) {
        const clients = [...app.websocketServer.clients];
        for (const client of clients) client.close(CloseCode.shuttingDown, closeReason[CloseCode.shuttingDown]);
        app.websocketServer.close();
        void settle(clients, WS_SHUTDOWN_GRACE_MS).then(() => done());
      },
    });
    app.websocketServer.on('wsClientError', answerRefusedUpgrade);
    app.addHook('onRoute', (route) => {
      if (route.wsHandler || route.websocket) route.config = { ...route.config, websocket: true };
    });
  },
  { name: 'gateway-websocket', fastify: '5.x' },
);
