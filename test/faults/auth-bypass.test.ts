import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { captureLogger, removeDir, testConfig, TEST_API_KEY } from '../integration/support/gateway.js';
import { exactRequest } from './support/exact-request.js';

/** One method + URL pattern the app registered, and whether its route options mark it public. */
interface WalkedRoute {
  method: string;
  url: string;
  readonly public: boolean;
}

const hex = (c: string, upper: boolean) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')[upper ? 'toUpperCase' : 'toLowerCase']()}`;
const encodeAll = (path: string, upper: boolean) => path.split('/').map((s) => [...s].map((c) => hex(c, upper)).join('')).join('/');
/** Percent-encodes the `n`th letter of the path (0-based), leaving the rest as is. */
const encodeNth = (path: string, n: number) => {
  let seen = -1;
  return [...path].map((c) => (/[a-z]/i.test(c) && ++seen === n ? hex(c, false) : c)).join('');
};

/** Spellings of `path` a router may map onto the same route, or onto none: never onto a way around the key. */
function spellings(path: string): string[] {
  const first = encodeNth(path, 0);
  return [
    path, first, encodeNth(path, 1), encodeNth(path, 2),
    encodeAll(path, false), encodeAll(path, true), first.replace('%', '%25'), `/${path}`, `${path}/`,
    path.replace(/^\/api/, '/API'), path.replace(/^\/api\//, '/api//'), path.replace(/^\/api\//, '/api/./'),
    path.replace(/^\/api\//, '/x/../api/'), `${path};x`, `${path}?`, `${path}%3F`, `${path}%00`, `/${path.slice(1).replace(/\//g, '%2F')}`,
  ];
}

/** The `error` field of a JSON error body, or `(not an error body)`. */
function errorCode(body: string): string {
  try {
    return String((JSON.parse(body) as { error?: unknown }).error);
  } catch {
    return '(not an error body)';
  }
}

describe('authentication is decided on the matched route, whatever the spelling of the path', () => {
  let app: FastifyInstance;
  let url: string;
  const routes: WalkedRoute[] = [];
  const config = testConfig({ authFailLimit: 1_000_000 }); // this walk sends hundreds of wrong keys on purpose

  beforeAll(async () => {
    app = buildApp(config, { logger: captureLogger('warn').logger });
    app.addHook('onRoute', (route: RouteOptions) => {
      // Read `public` later: onRoute hooks of a plugin's own scope run after this one and may set it.
      for (const method of [route.method].flat()) {
        routes.push({ method, url: route.url, get public() { return route.config?.public === true; } });
      }
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    removeDir(config.stateDir);
  });

  const concrete = (pattern: string) => pattern.replace(/:[A-Za-z]+/g, 'no-such-device-1');
  const protectedRoutes = () => routes.filter((r) => !r.public);

  it('walks the protected routes: every spelling without a key or with a wrong one is 401, with the key never 401', async () => {
    expect(protectedRoutes().map((r) => `${r.method} ${r.url}`)).toContain('GET /api/devices');
    expect(protectedRoutes().length).toBeGreaterThanOrEqual(12); // 7 API routes, 5 of them GET with their HEAD
    const wrongAnswers: string[] = [];
    for (const route of protectedRoutes()) {
      for (const path of spellings(concrete(route.url))) {
        const label = `${route.method} ${path} (route ${route.url})`;
        const bare = await exactRequest(url, route.method, path);
        const code = route.method === 'HEAD' ? 'unauthorized' : errorCode(bare.body);
        if (bare.status !== 401 || code !== 'unauthorized') wrongAnswers.push(`${label} without key: ${bare.status} ${code}`);
        const wrong = await exactRequest(url, route.method, path, { 'x-api-key': `${TEST_API_KEY}x` });
        if (wrong.status !== 401) wrongAnswers.push(`${label} with a wrong key: ${wrong.status}`);
        const keyed = await exactRequest(url, route.method, path, { 'x-api-key': TEST_API_KEY });
        if (keyed.status === 401) wrongAnswers.push(`${label} with the key: 401`);
      }
    }
    expect(wrongAnswers).toEqual([]);
  });

  it('marks exactly health, readiness, metrics, the WebSocket route, the dashboard files and the API docs public', async () => {
    const require = createRequire(import.meta.url);
    const uplot = readdirSync(dirname(require.resolve('uplot/dist/uPlot.min.css'))).map((f) => `/vendor/uplot/${f}`);
    const csvStringify = readdirSync(join(dirname(require.resolve('csv-stringify')), '..', 'esm')).map((f) => `/vendor/csv-stringify/${f}`);
    // The built client's modules only: its declarations (`*.d.ts`, `schemas/`) and build info get no route.
    const client = readdirSync('client/dist').filter((f) => f.endsWith('.js')).map((f) => `/vendor/client/${f}`);
    expect(client).toContain('/vendor/client/index.js');
    const files = ['/', ...readdirSync('public').map((f) => `/${f}`), ...uplot, ...csvStringify, ...client];
    const publicUrls = [...new Set(routes.filter((r) => r.public).map((r) => r.url))].sort();
    const docs = ['/docs', '/docs/', '/docs/json', '/docs/yaml', '/docs/asyncapi.json', '/docs/static/*', '/docs/static/index.html', '/docs/static/swagger-initializer.js'];
    expect(publicUrls).toEqual(['/api/ws', '/healthz', '/metrics', '/readyz', ...files, ...docs].sort());
    for (const path of ['/healthz', '/readyz', '/metrics', '/', '/app.js', '/%61pp.js', '/vendor/uplot/uPlot.iife.min.js', '/docs', '/docs/json', '/d%6fcs/asyncapi.json', '/docs/static/swagger-ui.css']) {
      expect((await exactRequest(url, 'GET', path)).status, path).toBe(200);
    }
    expect((await exactRequest(url, 'GET', '/api/ws')).status).toBe(400); // no upgrade: reachable, not 401
  });

  it('answers an unmatched path 401 without a key and 404 with it', async () => {
    for (const path of ['/no-such-file.js', '/api/no-such-route', '/%61pi/nothing', '//healthz', '/healthz/']) {
      expect((await exactRequest(url, 'GET', path)).status, path).toBe(401);
      const keyed = await exactRequest(url, 'GET', path, { 'x-api-key': TEST_API_KEY });
      expect({ path, status: keyed.status }).toEqual({ path, status: 404 });
    }
  });
});
