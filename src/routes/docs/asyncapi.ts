import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { asyncApiDocument } from '../../live/asyncapi-document.js';
import { API_VERSION } from '../../plugins/api-docs.js';
import { errorResponses } from '../../schemas/openapi.js';

/**
 * `GET /docs/asyncapi.json`: the AsyncAPI 3.0 document of the WebSocket and SSE protocols (see `asyncApiDocument`),
 * serialized once at start. Public, like the OpenAPI document at `/docs/json`.
 */
export function asyncApiRoutes(app: FastifyInstance): Promise<void> {
  const text = JSON.stringify(asyncApiDocument(API_VERSION));
  app.get('/docs/asyncapi.json', {
    config: { public: true },
    schema: {
      tags: ['docs'], summary: 'AsyncAPI 3.0 document of the WebSocket and SSE protocols',
      response: { 200: Type.Object({ asyncapi: Type.String() }, { additionalProperties: true }), ...errorResponses() },
    },
  }, (_request, reply) => reply.type('application/json; charset=utf-8').send(text));
  return Promise.resolve();
}
