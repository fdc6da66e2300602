import { hash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sendError } from './error-reply.js';

/** Paths under `/api` that authenticate themselves (the WebSocket endpoint: key in query or first message). */
const SELF_AUTHENTICATED = new Set(['/api/ws']);

/** SHA-256 of a UTF-8 string (`crypto.hash`, one call instead of a `Hash` object per request). */
const digest = (text: string): Buffer => hash('sha256', text, 'buffer');

/**
 * A checker of presented keys against one expected key, in constant time: SHA-256 of both, then `timingSafeEqual`,
 * so neither content nor length leaks through timing. The expected key's digest is computed once, here.
 */
export function apiKeyMatcher(expected: string): (presented: string) => boolean {
  const expectedDigest = digest(expected);
  return (presented) => timingSafeEqual(digest(presented), expectedDigest);
}

/** Compares a presented key with the expected one in constant time (see {@link apiKeyMatcher}). */
export function apiKeyMatches(presented: string, expected: string): boolean {
  return apiKeyMatcher(expected)(presented);
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

function auth(app: FastifyInstance, options: { apiKey: string | null }): Promise<void> {
  const { apiKey } = options;
  if (apiKey === null) return Promise.resolve();
  const matches = apiKeyMatcher(apiKey);
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // CORS preflights carry no credentials by design (Fetch standard); they reveal no data.
    if (request.method === 'OPTIONS') return;
    const path = request.url.split('?', 1)[0] ?? '';
    if (!(path === '/api' || path.startsWith('/api/')) || SELF_AUTHENTICATED.has(path)) return;
    const presented = presentedApiKey(request);
    if (presented === undefined) {
      // `?api_key=a&api_key=b` parses to an array: ambiguous, never accepted, but not "missing" either.
      if (Array.isArray((request.query as Record<string, unknown> | undefined)?.api_key)) {
        return sendError(reply, 401, 'the api_key query parameter is given more than once: send it once');
      }
      return sendError(reply, 401, 'missing API key: send the X-API-Key header or the api_key query parameter');
    }
    if (!matches(presented)) return sendError(reply, 401, 'wrong API key');
  });
  return Promise.resolve();
}

/**
 * API-key authentication for every `/api` route except `/api/ws`: header `X-API-Key` or query `api_key`, compared
 * in constant time (CORS preflight `OPTIONS` requests pass); missing or wrong → 401 `{ error: "unauthorized" }` in `onRequest`, before body parsing, routing
 * errors or anything else. `apiKey: null` turns it off (`API_KEY=`). The key is never logged.
 */
export const authPlugin = fp(auth, { name: 'auth', fastify: '5.x' });
