import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorCodeFor, sendError, type ErrorBody } from './error-reply.js';

/**
 * Fastify's `frameworkErrors` hook: errors the router raises before any route or hook runs, answered in the one error
 * shape. The default answer echoes the whole URL, `api_key` included.
 * - `FST_ERR_BAD_URL` (a path with malformed percent-encoding, RFC 3986 §2.1) → 400;
 * - `FST_ERR_MAX_PARAM_LENGTH` (a path segment over `maxParamLength`) → 400;
 * - anything else → 400 `bad request`.
 * The socket of an upgrade request is closed after the answer.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  // An upgrade request owns its raw socket (Node hands it over on 'upgrade'): nothing else closes it after this answer.
  if (request.headers.upgrade !== undefined) {
    void reply.header('connection', 'close');
    reply.raw.once('finish', () => request.raw.socket.destroy());
  }
  const message =
    error.code === 'FST_ERR_BAD_URL' ? 'malformed URL: invalid percent-encoding in the path' :
    error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'path parameter too long' : 'bad request';
  void sendError(reply, 400, message);
}

/** What Node keeps on a server socket about its response in flight (`_http_server.js`). */
interface ServerSocket extends Socket {
  _httpMessage?: { _headerSent?: boolean; req?: { method?: string } } | null;
}

/**
 * Fastify's `clientErrorHandler` (Node's `clientError` event: the request could not even be parsed), answered in the
 * one error shape on the raw socket, which is then closed: 431 for headers over Node's `maxHeaderSize` (RFC 6585 §5),
 * 408 for a request timeout, else 400. A reset connection gets nothing. Like Node's own handler, it writes nothing
 * when a response on this socket has already started (bytes after an answer, e.g. an unframed body, would otherwise
 * get a second answer the client cannot parse), and sends no body while the request in flight is a HEAD (its client
 * reads the answer as the HEAD's, whose body is empty by definition, RFC 9110 §9.3.2).
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: ServerSocket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket._httpMessage?._headerSent) {
    socket.destroy();
    return;
  }
  const [status, message] =
    error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'request headers too large'] :
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'request timeout'] : [400, 'malformed HTTP request'];
  const body = JSON.stringify({ error: errorCodeFor(status), message } satisfies ErrorBody);
  const headInFlight = socket._httpMessage?.req?.method === 'HEAD';
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${headInFlight ? '' : body}`,
    );
  }
  socket.destroy();
}
