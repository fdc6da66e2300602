import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorCodeFor, sendError, type ErrorBody } from './error-reply.js';

/**
 * Fastify's `frameworkErrors` hook: errors the router raises before any route or hook runs, answered in the one error
 * shape (gateway issue, "REST API"). The default answer echoes the whole URL, `api_key` included.
 * - `FST_ERR_BAD_URL` (a path with malformed percent-encoding, RFC 3986 §2.1) → 400;
 * - `FST_ERR_MAX_PARAM_LENGTH` (a path segment over `maxParamLength`) → 400;
 * - anything else → 400 `bad request`.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const message =
    error.code === 'FST_ERR_BAD_URL' ? 'malformed URL: invalid percent-encoding in the path' :
    error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'path parameter too long' : 'bad request';
  void sendError(reply, 400, message);
}

/**
 * Fastify's `clientErrorHandler` (Node's `clientError` event: the request could not even be parsed), answered in the
 * one error shape on the raw socket, which is then closed: 431 for headers over Node's `maxHeaderSize` (RFC 6585 §5),
 * 408 for a request timeout, else 400. A reset connection gets nothing.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'request headers too large'] :
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'request timeout'] : [400, 'malformed HTTP request'];
  const body = JSON.stringify({ error: errorCodeFor(status), message } satisfies ErrorBody);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
