import { STATUS_CODES } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorCodeFor, type ErrorBody } from './error-reply.js';

/** ws's message for an upgrade with a bad `Sec-WebSocket-Version`; the answer then lists the versions it speaks. */
const BAD_VERSION = 'Missing or invalid Sec-WebSocket-Version header';

/**
 * Answers a WebSocket upgrade that `ws` refused before the handshake (its `wsClientError` event: a missing or invalid
 * `Sec-WebSocket-Key`, `Sec-WebSocket-Version`, `Upgrade` or `Sec-WebSocket-Protocol` header, RFC 6455 §4.2.1) in
 * the one error shape, `{ error, message }` with ws's message, on the raw socket, which is then closed: 405 for a
 * method other than GET, else 400 (with `Sec-WebSocket-Version: 13, 8` for a bad version, RFC 6455 §4.4). No body to
 * a HEAD (RFC 9110 §9.3.2: its client reads none).
 */
export function answerRefusedUpgrade(error: Error, socket: Duplex, request?: IncomingMessage): void {
  if (socket.destroyed) return;
  const status = error.message === 'Invalid HTTP method' ? 405 : 400;
  const body = JSON.stringify({ error: errorCodeFor(status), message: error.message } satisfies ErrorBody);
  const version = error.message === BAD_VERSION ? 'Sec-WebSocket-Version: 13, 8\r\n' : '';
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n${version}\r\n${request?.method === 'HEAD' ? '' : body}`,
  );
}
