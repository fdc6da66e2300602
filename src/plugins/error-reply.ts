import type { FastifyReply } from 'fastify';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from '../schemas/error.js';

export type { ErrorBody } from '../schemas/error.js';

/** The error code for an HTTP status (`bad_request` for other 4xx, `internal_error` for other 5xx). */
export function errorCodeFor(status: number): ErrorCode {
  return (ERROR_CODES as Readonly<Record<number, ErrorCode>>)[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
}

/** Sends `{ error, message }` with `status`. */
export function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  const body: ErrorBody = { error: errorCodeFor(status), message };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}
