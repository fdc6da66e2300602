import Fastify, { type FastifyInstance } from 'fastify';
import { controlApi } from './control-api.js';
import { deviceApi } from './device-api.js';
import type { Emulator } from './emulator-types.js';

/**
 * The emulator's own fastify instance: the device API (raw bodies) and the control API (JSON), each in its own
 * encapsulated context. Device IDs are up to 128 characters, URL-encoded up to 3 bytes each, hence `maxParamLength`.
 */
export function buildHttpServer(emulator: Pick<Emulator, 'send' | 'stats' | 'faults'>): FastifyInstance {
  // No type coercion (typed event properties keep their JSON types); unknown fields are refused, not dropped.
  const app = Fastify({ logger: false, routerOptions: { maxParamLength: 128 * 3 }, ajv: { customOptions: { coerceTypes: false, removeAdditional: false } } });
  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    const message = status >= 500 ? 'Internal error.' : error.message;
    void reply.code(status).send({ error: error.code ?? 'error', message });
  });
  void app.register(deviceApi, { send: emulator.send });
  void app.register(controlApi, { emulator });
  return app;
}
