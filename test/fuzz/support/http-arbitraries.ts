import fc from 'fast-check';
import type { RegisteredRoute } from './fuzz-gateway.js';
import { encodedPath, pathVariant, percent, PRINTABLE, randomPath } from './path-encodings.js';

/** How a generated request carries the key: `valid` must authenticate, `none` must not, `maybe` is not judged. */
export type KeyClass = 'valid' | 'none' | 'maybe';

/** One generated HTTP request, with what the checks need to judge its answer. */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body: Buffer | undefined;
  keyClass: KeyClass;
}

/** What the generator needs to know about the app under test. */
export interface FuzzTarget {
  routes: readonly RegisteredRoute[];
  port: number;
  apiKey: string;
  /** Device IDs the app has registered (the rest of the generated IDs are unknown or invalid). */
  deviceIds: readonly string[];
}

const STATIC_FILES = ['index.html', 'app.js', 'components.css', 'live.js', 'api.js', 'uPlot.min.css', 'uPlot.iife.min.js', '.env', '../package.json'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND', 'SEARCH', 'FUZZ'];
const text = (maxLength = 24) => fc.string({ unit: PRINTABLE, maxLength });

/** A device ID for a `:deviceId` parameter: registered, valid but unknown, or invalid for IoT Hub. */
function deviceId(target: FuzzTarget): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...target.deviceIds),
    fc.stringMatching(/^[A-Za-z0-9\-.%_*!(),:=@$'+;]{1,20}$/),
    fc.constantFrom('', 'a'.repeat(129), '..', '%', 'dev/1', 'dév', '%E2%80%AE'),
  ).map((id) => encodeURIComponent(id));
}

/** A concrete path for a registered route: parameters and wildcards filled in. */
function routePath(route: RegisteredRoute, target: FuzzTarget): fc.Arbitrary<string> {
  const parts = route.url.split('/').map((segment) =>
    segment.startsWith(':') ? deviceId(target) : segment === '*' ? fc.oneof(fc.constantFrom(...STATIC_FILES), text(12)) : fc.constant(segment));
  return fc.tuple(...parts).map((segments) => segments.join('/') || '/');
}

/** A query string: parameter names the routes read, the key's names, and random ones; values random or typical. */
function query(target: FuzzTarget): fc.Arbitrary<string> {
  const name = fc.constantFrom('since', 'until', 'limit', 'deviceId', 'lastEventId', 'apiKey', 'api-key', 'x', 'api_key%00');
  const value = fc.oneof(text(), fc.integer().map(String), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    fc.constantFrom('2024-02-30', '0', '-1', '1e400', '0:1', `${target.deviceIds[0]}`, '%', '%zz', '[]', '{}'));
  return fc.array(fc.tuple(name, value), { maxLength: 4 }).map((pairs) =>
    pairs.map(([n, v]) => `${n}=${v.replace(/[#&]/g, (c) => percent(c, false))}`).join('&'));
}

/** Where the key goes (or a near miss), with its class: only an exact key in `X-API-Key` or `api_key` authenticates. */
function keyCarrier(key: string): fc.Arbitrary<{ header?: [string, string]; query?: string; keyClass: KeyClass }> {
  return fc.constantFrom(
    { keyClass: 'none' as const },
    { header: ['X-API-Key', key] as [string, string], keyClass: 'valid' as const },
    { header: ['x-api-key', key] as [string, string], keyClass: 'valid' as const },
    { query: `api_key=${key}`, keyClass: 'valid' as const },
    { query: `api_key=${[...key].map((c) => percent(c, false)).join('')}`, keyClass: 'valid' as const },
    { header: ['X-API-Key', `${key}x`] as [string, string], keyClass: 'none' as const },
    { header: ['X-API-Key', key.toLowerCase()] as [string, string], keyClass: 'none' as const },
    { header: ['X-API-Key', key.slice(0, -1)] as [string, string], keyClass: 'none' as const },
    { header: ['Authorization', `Bearer ${key}`] as [string, string], keyClass: 'none' as const },
    { header: ['X-API-Key', ''] as [string, string], keyClass: 'none' as const },
    { query: `api_key=${key}&api_key=${key}`, keyClass: 'none' as const },
    { query: `api_key=wrong-key-0123456789`, keyClass: 'none' as const },
    { query: `apikey=${key}`, keyClass: 'none' as const },
    { query: `api%5Fkey=${key}`, keyClass: 'maybe' as const },
  );
}

/** Extra headers: Host, Content-Type, Content-Encoding, Origin, upgrade attempts and random ones. */
function extraHeaders(target: FuzzTarget): fc.Arbitrary<Array<[string, string]>> {
  const port = target.port;
  const header = fc.oneof(
    fc.constantFrom(`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'evil.example', `rebind.example:${port}`, '127.0.0.1', '', `LOCALHOST:${port}`)
      .map((v): [string, string] => ['Host', v]),
    fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x', 'application/octet-stream', 'application/json;', '*/*', 'nonsense')
      .map((v): [string, string] => ['Content-Type', v]),
    fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'gzip, identity', 'x-unknown').map((v): [string, string] => ['Content-Encoding', v]),
    fc.constantFrom(`http://127.0.0.1:${port}`, 'https://evil.example', 'null').map((v): [string, string] => ['Origin', v]),
    fc.constantFrom('text/event-stream', 'application/json', '*/*', 'text/html').map((v): [string, string] => ['Accept', v]),
    fc.constantFrom('websocket', 'h2c').map((v): [string, string] => ['Upgrade', v]),
    fc.constantFrom('upgrade', 'close', 'keep-alive').map((v): [string, string] => ['Connection', v]),
    fc.tuple(fc.constantFrom('Last-Event-ID', 'X-Forwarded-For', 'X-Forwarded-Host', 'Sec-WebSocket-Version', 'Range', 'If-None-Match', 'X-Random'), text(40)),
  );
  return fc.array(header, { maxLength: 5 });
}

/** A body: none, JSON with a device ID, any JSON value, raw bytes, or one byte over the 1 MiB limit. */
function body(target: FuzzTarget): fc.Arbitrary<Buffer | undefined> {
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 3 },
    { arbitrary: fc.oneof(deviceId(target).map(decodeURIComponent), fc.jsonValue()).map((id) => Buffer.from(JSON.stringify({ deviceId: id }))), weight: 2 },
    { arbitrary: fc.json().map((j) => Buffer.from(j)), weight: 1 },
    { arbitrary: fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b)), weight: 1 },
    { arbitrary: fc.constant(Buffer.alloc(1024 * 1024 + 1, 0x20)), weight: 1 },
  );
}

/**
 * Random requests against `target`: one of the registered routes (method as registered or another one, path filled in
 * and then percent-encoded and varied) or a random path, with a query, a key carrier, extra headers and a body.
 */
export function fuzzRequest(target: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  const routed = fc.constantFrom(...target.routes).chain((route) =>
    fc.tuple(fc.oneof({ arbitrary: fc.constant(route.method), weight: 4 }, { arbitrary: fc.constantFrom(...METHODS), weight: 1 }),
      routePath(route, target).chain((p) => fc.oneof(encodedPath(p), pathVariant(p)))));
  const anyPath = fc.tuple(fc.constantFrom(...METHODS), randomPath.chain(encodedPath));
  return fc
    .record({
      target: fc.oneof({ arbitrary: routed, weight: 4 }, { arbitrary: anyPath, weight: 1 }),
      query: query(target),
      key: keyCarrier(target.apiKey),
      extra: extraHeaders(target),
      body: body(target),
    })
    .map(({ target: [method, path], query: q, key, extra, body: b }) => {
      const search = [q, key.query].filter(Boolean).join('&');
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of [...extra, ...(key.header ? [key.header] : [])]) headers[name] = value;
      return { method, path: search ? `${path}?${search}` : path, headers, body: b, keyClass: key.keyClass };
    });
}
