import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import type { FuzzRequest } from './http-arbitraries.js';
import type { RawResponse } from './raw-http.js';

/** Every file under `dir` as a URL path under `prefix` (`/app.js`, `/vendor/uplot/uPlot.iife.min.js`). */
function filePaths(dir: string, prefix: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filePaths(join(dir, entry.name), prefix, root) : [`${prefix}${relative(root, join(dir, entry.name)).split(sep).join('/')}`]);
}

const uplotDist = dirname(createRequire(import.meta.url).resolve('uplot/dist/uPlot.min.css'));
const csvStringifyEsm = join(dirname(createRequire(import.meta.url).resolve('csv-stringify')), '..', 'esm');
const clientDist = join(import.meta.dirname, '../../../client/dist');
/** The API docs' routes (public: they describe the API and hold no data). */
const DOCS_ROUTES = ['/docs', '/docs/', '/docs/json', '/docs/yaml', '/docs/asyncapi.json', '/docs/static/*', '/docs/static/index.html', '/docs/static/swagger-initializer.js'];

/**
 * Route patterns that answer without the key: health, readiness, metrics, the WebSocket route (it authenticates
 * itself), the API docs and the dashboard's static files: `/`, the files of `public/`, of uPlot's `dist/` under
 * `/vendor/uplot/`, csv-stringify's browser build and the built client's modules (read from disk, not from the app
 * under test).
 */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set([
  '/healthz', '/readyz', '/metrics', '/api/ws', '/',
  ...filePaths(join(import.meta.dirname, '../../../public'), '/'), ...filePaths(uplotDist, '/vendor/uplot/'),
  ...filePaths(csvStringifyEsm, '/vendor/csv-stringify/'),
  ...filePaths(clientDist, '/vendor/client/').filter((path) => /^\/vendor\/client\/[\w-]+\.js$/.test(path)),
  ...DOCS_ROUTES,
]);

/** One line naming a request, for failure messages (the key is replaced by `<KEY>`). */
export function describeRequest(req: FuzzRequest, apiKey: string): string {
  const headers = JSON.stringify(req.headers);
  const body = req.body === undefined ? 'no body' : `${req.body.length}-byte body`;
  return `${req.method} ${req.path} ${headers} ${body} (key: ${req.keyClass})`.split(apiKey).join('<KEY>');
}

/** Whether `text` holds the key as sent, or percent-encoded. */
function echoes(text: string, apiKey: string): boolean {
  return text.includes(apiKey) || text.includes(encodeURIComponent(apiKey));
}

/**
 * The properties every answer must have; throws an Error naming the first one broken:
 * - no 5xx (except `/readyz`'s documented 503 `{ status: "not_ready", hubState, reason }`);
 * - an error (4xx) is `application/json` and (except to HEAD) exactly `{ error: string, message: string }`;
 * - the key appears in no header and not in the body;
 * - a 2xx without a valid key comes only from a public route (`matchedRoute`: the pattern that answered, `null` for
 *   the not-found handler, `undefined` when fastify never saw the request).
 */
export function checkAnswer(req: FuzzRequest, res: RawResponse, apiKey: string, matchedRoute: string | null | undefined): void {
  const what = `${res.status} from ${String(matchedRoute)} for ${describeRequest(req, apiKey)}`;
  if (matchedRoute === '/readyz' && res.status === 503) return checkNotReady(res, what);
  if (res.status >= 500) throw new Error(`5xx: ${what}: ${res.body.slice(0, 200)}`);
  if (res.status >= 400) {
    const type = String(res.headers['content-type'] ?? '');
    if (!type.startsWith('application/json')) throw new Error(`error not application/json (${type || 'no content-type'}): ${what}: ${res.body.slice(0, 200)}`);
    if (req.method !== 'HEAD') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(res.body);
      } catch {
        throw new Error(`error body is not JSON: ${what}: ${res.body.slice(0, 200)}`);
      }
      const fields = parsed && typeof parsed === 'object' ? Object.entries(parsed).map(([k, v]) => `${k}:${typeof v}`).sort().join(',') : typeof parsed;
      if (fields !== 'error:string,message:string') throw new Error(`error shape is {${fields}}, not {error:string,message:string}: ${what}`);
    }
  }
  const headerLines = res.rawHeaders.join('\n');
  if (echoes(headerLines, apiKey)) throw new Error(`the key is echoed in a response header: ${what}`);
  if (echoes(res.body, apiKey)) throw new Error(`the key is echoed in the response body: ${what}`);
  const public_ = matchedRoute !== null && matchedRoute !== undefined && PUBLIC_ROUTES.has(matchedRoute);
  if (req.keyClass === 'none' && res.status >= 200 && res.status < 300 && !public_) {
    throw new Error(`unauthenticated ${res.status} from protected route ${String(matchedRoute)}: ${what}`);
  }
}

/** `/readyz` answers 503 by contract while the hub is not read: `{ status: "not_ready", hubState: string, reason }`. */
function checkNotReady(res: RawResponse, what: string): void {
  if (!String(res.headers['content-type'] ?? '').startsWith('application/json')) throw new Error(`readiness 503 not application/json: ${what}`);
  if (res.body === '') return; // HEAD
  const body = JSON.parse(res.body) as Record<string, unknown>;
  if (body.status !== 'not_ready' || typeof body.hubState !== 'string' || !('reason' in body)) throw new Error(`readiness 503 body ${res.body.slice(0, 200)}: ${what}`);
}
