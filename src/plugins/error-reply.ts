import type { FastifyReply } from 'fastify';

/** The error codes of the REST API, by HTTP status. */
export const ERROR_CODES: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  421: 'misdirected_request',
  429: 'too_many_requests',
  500: 'internal_error',
};

/** The one error body: `{ error: <code>, message: <what is wrong> }`. */
export interface ErrorBody {
  error: string;
  message: string;
}

/** The error code for an HTTP status (`bad_request` for other 4xx, `internal_error` for other 5xx). */
export function errorCodeFor(status: number): string {
  return ERROR_CODES[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
}

/** Sends `{ error, message }` with `status`. */
export function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  const body: ErrorBody = { error: errorCodeFor(status), message };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}
