import cors from '@fastify/cors';
import fp from 'fastify-plugin';

/**
 * CORS for the REST API and SSE (@fastify/cors), from `CORS_ORIGINS` (issue 4): an empty list sends no CORS headers,
 * so only the gateway's own origin (same origin) can read responses from a browser; `*` allows any origin; otherwise
 * the exact origins listed. The same list drives the WebSocket `Origin` check (`src/live/origin-check.ts`).
 * `X-API-Key` and `Last-Event-ID` are allowed request headers. Register it before the auth plugin: preflight
 * requests carry no key and are answered in this plugin's `onRequest` hook.
 */
export default fp(
  async function corsPlugin(app, options: { corsOrigins: readonly string[] }) {
    const origins = [...options.corsOrigins];
    await app.register(cors, {
      origin: origins.length === 0 ? false : origins.includes('*') ? '*' : origins,
      methods: ['GET', 'HEAD', 'POST', 'DELETE'],
      allowedHeaders: ['Content-Type', 'X-API-Key', 'Last-Event-ID'],
      maxAge: 600,
    });
  },
  { name: 'gateway-cors', fastify: '5.x' },
);
