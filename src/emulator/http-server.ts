import Fastify, { type FastifyInstance } from 'fastify';
import { controlApi } from './control-api.js';
import { deviceApi } from './device-api.js';
import type { Emulator } from './emulator-types.js';
import { StorageError } from './group-commit.js';

/**
 * The emulator's own fastify instance: the device API (raw bodies) and the control API (JSON), each in its own
 * encapsulated context. Device IDs are up to 128 characters, URL-encoded up to 3 bytes each, hence `maxParamLength`.
 * Errors answer `{ error, message }`; a {@link StorageError} (data file busy, failed, closing) answers 503 with its
 * code and message, `Retry-After: 1` when busy; other 5xx messages are masked. A request from a browser (an `Origin`
 * header, or `Sec-Fetch-Site` `cross-site`/`same-site`) gets 403 `forbidden` before any route.
 */
export function buildHttpServer(emulator: Pick<Emulator, 'send' | 'stats' | 'faults' | 'hubName'>): FastifyInstance {
  // No type coercion (typed event properties keep their JSON types); unknown fields are refused, not dropped.
  const app = Fastify({ logger: false, routerOptions: { maxParamLength: 128 * 3 }, ajv: { customOptions: { coerceTypes: false, removeAdditional: false } } });
  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (error instanceof StorageError && error.code === 'storage_busy') void reply.header('retry-after', '1');
    const message = status >= 500 && !(error instanceof StorageError) ? 'Internal error.' : error.message;
    void reply.code(status).send({ error: error.code ?? 'error', message });
  });
  // Devices and test tools send no `Origin`; a browser does on every POST, and marks another site's requests. Without
  // this, any web page could post telemetry with a no-cors `fetch` (and a DNS-rebinding one could inject faults).
  app.addHook('onRequest', async (request, reply) => {
    const site = request.headers['sec-fetch-site'];
    if (request.headers.origin === undefined && site !== 'cross-site' && site !== 'same-site') return;
    await reply.code(403).send({ error: 'forbidden', message: 'the emulator API takes no browser requests (Origin or Sec-Fetch-Site cross-site)' });
  });
  void app.register(deviceApi, { send: emulator.send });
  void app.register(controlApi, { emulator });
  return app;
}
