import cors from '@fastify/cors';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sendError } from './error-reply.js';

/**
 * An `OPTIONS` without `Origin` and `Access-Control-Request-Method` is no CORS preflight (Fetch standard, "CORS
 * protocol"); @fastify/cors would refuse it with a `text/plain` 400, so it is refused here in the one error shape.
 */
async function refuseInvalidPreflight(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.method !== 'OPTIONS') return;
  if (request.headers.origin && request.headers['access-control-request-method']) return;
  await sendError(reply, 400, 'invalid CORS preflight: send Origin and Access-Control-Request-Method');
}

/**
 * CORS for the REST API and SSE (@fastify/cors), from `CORS_ORIGINS`: an empty list sends no CORS headers,
 * so only the gateway's own origin (same origin) can read responses from a browser; `*` allows any origin; otherwise
 * the exact origins listed. The same list drives the WebSocket `Origin` check (`src/live/origin-check.ts`).
 * `X-API-Key` and `Last-Event-ID` are allowed request headers. Register it before the auth plugin: preflight
 * requests carry no key and are answered in this plugin's `onRequest` hook (its `OPTIONS *` route is public); with origins configured, an `OPTIONS`
 * that is not a preflight gets 400 `{ error: "bad_request" }`.
 */
export default fp(
  async function corsPlugin(app, options: { corsOrigins: readonly string[] }) {
    const origins = [...options.corsOrigins];
    // No origins: @fastify/cors with `origin: false` would only add a per-request hook that does nothing and an
    // OPTIONS route that answers 404 like the router does without it.
    if (origins.length === 0) return;
    app.addHook('onRequest', refuseInvalidPreflight);
    // @fastify/cors's catch-all `OPTIONS *` route answers preflights (which carry no key) or 404: public.
    app.addHook('onRoute', (route) => {
      if (route.method === 'OPTIONS' && route.url === '*') route.config = { ...route.config, public: true };
    });
    await app.register(cors, {
      origin: origins.includes('*') ? '*' : origins,
      methods: ['GET', 'HEAD', 'POST', 'DELETE'],
      allowedHeaders: ['Content-Type', 'X-API-Key', 'Last-Event-ID'],
      maxAge: 600,
    });
  },
  { name: 'gateway-cors', fastify: '5.x' },
);
