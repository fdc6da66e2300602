import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer, type Server, type TLSSocket } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';

/** The path the Event Hubs SDKs dial for AMQP over WebSocket (`wss://<host>:<port>/$servicebus/websocket`). */
export const WEBSOCKET_PATH = '/$servicebus/websocket';
/** The WebSocket subprotocol of AMQP 1.0 over WebSocket (OASIS AMQP WebSocket Binding 1.0). */
export const WEBSOCKET_PROTOCOL = 'AMQPWSB10';
/** Longest TLS handshake, and longest wait for a client's first bytes after it (ms). */
const HANDSHAKE_TIMEOUT_MS = 10_000;
/** Largest WebSocket message accepted (bytes): well above an AMQP frame of a 256 KiB event. */
const MAX_WS_PAYLOAD = 8 * 1024 * 1024;

/** Where a TLS connection goes once its first bytes say what it speaks. */
export interface TlsEntryHandlers {
  /** Every TLS socket, right after its handshake (the server tracks and pauses sockets). */
  socket(socket: TLSSocket): void;
  /** A paused socket whose first bytes are the AMQP protocol header (`AMQP...`); the handler resumes it. */
  amqp(socket: TLSSocket): void;
  /** An accepted AMQP-over-WebSocket connection. */
  webSocket(ws: WebSocket): void;
}

/**
 * A TLS server speaking AMQPS and AMQP over WebSocket on one port, as the Event Hubs SDKs expect of one endpoint
 * (they dial `wss://` on the connection string's port): after the handshake, a client whose first byte is `A` (the
 * AMQP header) goes to `amqp`; anything else is HTTP, where only a WebSocket upgrade of `/$servicebus/websocket`
 * offering `AMQPWSB10` is accepted (others: 404, 400 or 426). Handshake and first bytes within 10 s.
 */
export function createTlsListener(material: { cert: string; key: string }, handlers: TlsEntryHandlers): Server {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_PAYLOAD, handleProtocols: () => WEBSOCKET_PROTOCOL });
  const http = createHttpServer({ headersTimeout: HANDSHAKE_TIMEOUT_MS, requestTimeout: HANDSHAKE_TIMEOUT_MS });
  http.on('request', (_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain', connection: 'close', upgrade: 'websocket' });
    res.end(`AMQP over WebSocket only: upgrade ${WEBSOCKET_PATH} with subprotocol ${WEBSOCKET_PROTOCOL}\n`);
  });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (path !== WEBSOCKET_PATH) return refuse(socket, 404, `not found: AMQP over WebSocket is served at ${WEBSOCKET_PATH}`);
    if (!offered.includes(WEBSOCKET_PROTOCOL)) return refuse(socket, 400, `the WebSocket subprotocol must be ${WEBSOCKET_PROTOCOL}`);
    wss.handleUpgrade(req, socket, head, (ws) => handlers.webSocket(ws));
  });
  const server = createTlsServer({ cert: material.cert, key: material.key, handshakeTimeout: HANDSHAKE_TIMEOUT_MS });
  server.on('secureConnection', (socket: TLSSocket) => {
    handlers.socket(socket);
    socket.setTimeout(HANDSHAKE_TIMEOUT_MS, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(first);
      if (first[0] === 0x41) return handlers.amqp(socket);
      http.emit('connection', socket);
      socket.resume();
    });
  });
  server.on('tlsClientError', () => undefined);
  server.on('close', () => wss.close());
  return server;
}

function refuse(socket: Duplex, status: number, message: string): void {
  const reason = status === 404 ? 'Not Found' : 'Bad Request';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
}
