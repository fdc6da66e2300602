import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { apiKeyMatcher } from '../config/api-key-match.js';
import { sendError } from './error-reply.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `true`: the route answers without the API key (health, metrics, dashboard files, and `/api/ws`, which
     * authenticates itself). Every other route, and the 404 handler, needs the key.
     */
    public?: boolean;
  }
}

/** The key a request presents: header `X-API-Key`, else query `api_key`; `undefined` when none. */
export function presentedApiKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  if (fromHeader) return fromHeader;
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = query?.api_key;
  return typeof fromQuery === 'string' && fromQuery ? fromQuery : undefined;
}

/**
 * Whether a browser made the request for a page of another site (Fetch Metadata `Sec-Fetch-Site` `cross-site` or
 * `same-site`) whose `Origin` is not in `corsOrigins` (`*` lists every origin). Such a page cannot read the answer;
 * checking its key would only let it fill the failed-authentication throttle of the user's own address.
 */
function isUnlistedCrossSite(request: FastifyRequest, corsOrigins: readonly string[]): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== 'cross-site' && site !== 'same-site') return false;
  const origin = request.headers.origin?.toLowerCase();
  return !corsOrigins.some((entry) => entry === '*' || entry.toLowerCase().replace(/\/$/, '') === origin);
}

function auth(app: FastifyInstance, options: { apiKey: string | null; corsOrigins?: readonly string[] }): Promise<void> {
  const { apiKey, corsOrigins = [] } = options;
  if (apiKey === null) return Promise.resolve();
  const matches = apiKeyMatcher(apiKey);
  /** Why the request is refused, `undefined` when its key matches. */
  const refusalOf = (request: FastifyRequest): string | undefined => {
    if (isUnlistedCrossSite(request, corsOrigins)) return 'cross-site request from an origin not in CORS_ORIGINS: the key is not checked';
    const presented = presentedApiKey(request);
    if (presented === undefined) {
      // `?api_key=a&api_key=b` parses to an array: ambiguous, never accepted, but not "missing" either.
      if (Array.isArray((request.query as Record<string, unknown> | undefined)?.api_key)) {
        return 'the api_key query parameter is given more than once: send it once';
      }
      return 'missing API key: send the X-API-Key header or the api_key query parameter';
    }
    if (matches(presented)) return undefined;
    app.authThrottle.recordFailure(request.ip);
    return 'wrong API key';
  };
  // Callback style, not async: no promise per request. A refusal answers and ends the hooks without `done()`.
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    // Decided on the route the router matched (after percent-decoding), never on the raw URL.
    if (request.routeOptions.config.public === true) return done();
    const refusal = refusalOf(request);
    if (refusal === undefined) return done();
    void sendError(reply, 401, refusal);
  });
  return Promise.resolve();
}

/**
 * API-key authentication, deny by default: every route needs the key unless its route config says `public: true`;
 * an unmatched path (the 404 handler) needs it too, so it answers 401 without the key and 404 with it. Header
 * `X-API-Key` or query `api_key`, compared in constant time; missing or wrong → 401 `{ error: "unauthorized" }` in
 * `onRequest` (after routing), before body parsing or anything else. A wrong key (not a missing one) counts as a
 * failed authentication of `request.ip` in `app.authThrottle`. A browser request for another site's page whose `Origin`
 * is not in `corsOrigins` gets 401 before any key check and counts as nothing (see {@link isUnlistedCrossSite}), so a
 * web page cannot lock the user's address out. `apiKey: null` turns it off (`API_KEY=`). The key is never logged.
 */
export const authPlugin = fp(auth, { name: 'auth', fastify: '5.x', dependencies: ['auth-throttle'] });
