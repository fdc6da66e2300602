import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { validateDeviceId } from '../schemas/device-id.js';
import { sendError } from './error-reply.js';
import { redactUrl } from './logger.js';

/** Explains a schema validation failure; device ID failures say which IoT Hub rule was broken. */
function validationMessage(error: FastifyError, request: FastifyRequest): string {
  const first = error.validation?.[0];
  const field = first?.instancePath.replace(/^\//, '') || (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
  if (field === 'deviceId' && first?.keyword !== 'required') {
    const source = (error.validationContext ?? 'params') as 'params' | 'querystring' | 'body';
    const bag = (source === 'querystring' ? request.query : source === 'body' ? request.body : request.params) as
      | Record<string, unknown>
      | undefined;
    const value = bag?.deviceId;
    const problem = typeof value === 'string' ? validateDeviceId(value) : 'device ID must be a string';
    if (problem) return `invalid deviceId: ${problem}`;
  }
  return `invalid ${error.validationContext ?? 'request'}: ${error.message}`;
}

function errorHandler(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error.validation) return sendError(reply, 400, validationMessage(error, request));
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error, method: request.method, url: redactUrl(request.url) }, 'request failed');
      return sendError(reply, 500, 'internal error');
    }
    if (status === 413) return sendError(reply, 413, `request body too large: ${error.message}`);
    if (status === 415) return sendError(reply, 415, `unsupported content type: send application/json (${error.message})`);
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
      return sendError(reply, 400, `malformed JSON body: ${error.message}`);
    }
    return sendError(reply, status, error.message);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?', 1)[0] ?? '';
    return sendError(reply, 404, `no route ${request.method} ${path.slice(0, 200)}`);
  });
  // JSON bodies: an empty body with `Content-Type: application/json` is accepted (as no body).
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, undefined);
    return defaultJson(request, typeof body === 'string' ? body : body.toString('utf8'), done);
  });
  return Promise.resolve();
}

/**
 * One error model for the whole app: `{ error, message }` for validation (400),
 * malformed JSON (400), 404 unknown routes, 413, 415, and 500 without stack or detail (logged with method and the
 * redacted URL). Also replaces the JSON body parser so an empty JSON body is accepted.
 */
export const errorHandlerPlugin = fp(errorHandler, { name: 'error-handler', fastify: '5.x' });
