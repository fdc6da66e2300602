import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientMessageSchemas } from '../../src/live/client-messages.js';
import { ServerMessageSchemas } from '../../src/schemas/live-messages.js';
import { SseEventSchemas } from '../../src/schemas/sse-events.js';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/app.js';
import { captureLogger, removeDir, testConfig } from './support/gateway.js';

type Operation = { tags?: string[]; summary?: string; responses?: Record<string, unknown>; security?: unknown[] };
type OpenApi = { openapi: string; paths: Record<string, Record<string, Operation>> };

/** The routes the app registers as `onRoute` sees them: neither `schema.hide` ones nor HEAD duplicates. */
function documentedRoutes(routes: RouteOptions[]): Array<{ method: string; url: string; route: RouteOptions }> {
  return routes.flatMap((route) => {
    if ((route.schema)?.hide === true) return [];
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    return methods.filter((method) => method !== 'HEAD').map((method) => ({ method, url: route.url, route }));
  });
}

/** `/a/:b/c` → `/a/{b}/c`, as OpenAPI names a path. */
const openApiPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('API documents', () => {
  const config = testConfig();
  const app = buildApp(config, { logger: captureLogger().logger });
  const gw = { url: '' };
  const routes: RouteOptions[] = [];
  // Added before the app loads its plugins: sees every route they register, documented or not.
  app.addHook('onRoute', (route) => void routes.push(route));
  beforeAll(async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    gw.url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    removeDir(config.stateDir);
  });

  it('serves /docs/json as a valid OpenAPI 3 document listing every route with tags, a summary and responses', async () => {
    const response = await fetch(`${gw.url}/docs/json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as OpenApi;
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toMatch(/^3\./);

    const listed = documentedRoutes(routes);
    expect(listed.map((r) => `${r.method} ${r.url}`)).toEqual(expect.arrayContaining([
      'GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /api/devices', 'POST /api/register-device',
      'DELETE /api/unregister-device/:deviceId', 'GET /api/telemetry', 'GET /api/devices/:deviceId/telemetry',
      'GET /api/hub/devices', 'GET /api/ws', 'GET /api/devices/:deviceId/events', 'GET /docs/asyncapi.json',
    ]));
    for (const { method, url, route } of listed) {
      const name = `${method} ${url}`;
      const schema = (route.schema ?? {}) as { tags?: string[]; summary?: string; response?: Record<string, unknown> };
      expect(schema.tags?.length, `${name} has no schema.tags`).toBeGreaterThan(0);
      expect(schema.summary, `${name} has no schema.summary`).toBeTruthy();
      expect(Object.keys(schema.response ?? {}).length, `${name} has no schema.response`).toBeGreaterThan(0);
      const operation = doc.paths[openApiPath(url)]?.[method.toLowerCase()];
      expect(operation, `${name} is missing from /docs/json`).toBeDefined();
      expect(operation?.tags, `${name}: tags in /docs/json`).toEqual(schema.tags);
      expect(Object.keys(operation?.responses ?? {}).sort(), `${name}: responses in /docs/json`)
        .toEqual(Object.keys(schema.response ?? {}).sort());
      const isPublic = route.config?.public === true;
      expect(operation?.security, `${name}: security in /docs/json`).toEqual(isPublic ? [] : [{ apiKeyHeader: [] }, { apiKeyQuery: [] }]);
    }
    // Nothing documented that the app does not serve.
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(listed.map((r) => `${r.method} ${openApiPath(r.url)}`).sort());
  });

  it('describes the API key for header X-API-Key and query api_key', async () => {
    const doc = (await (await fetch(`${gw.url}/docs/json`)).json()) as { components: { securitySchemes: unknown } };
    expect(doc.components.securitySchemes).toEqual({
      apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      apiKeyQuery: { type: 'apiKey', in: 'query', name: 'api_key' },
    });
  });

  it('serves /docs/asyncapi.json as a valid AsyncAPI 3 document with every client, server and SSE message', async () => {
    const response = await fetch(`${gw.url}/docs/asyncapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await response.text();
    const { document, diagnostics } = await new Parser().parse(text);
    expect(diagnostics.filter((d) => Number(d.severity) === Number(DiagnosticSeverity.Error)).map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(document?.version()).toBe('3.0.0');

    const doc = JSON.parse(text) as {
      channels: Record<string, { address: string; description: string; messages: Record<string, unknown>; 'x-close-codes': Array<{ code: number }> }>;
      operations: Record<string, { action: string; channel: { $ref: string }; messages: Array<{ $ref: string }> }>;
      components: { messages: Record<string, { name: string; payload: { properties?: Record<string, { const?: string }> } }> };
    };
    expect(doc.channels.ws?.address).toBe('/api/ws');
    expect(doc.channels.sse?.address).toBe('/api/devices/{deviceId}/events');
    const names = (prefix: string): string[] =>
      Object.entries(doc.components.messages).filter(([key]) => key.startsWith(prefix)).map(([, m]) => m.name).sort();
    expect(names('ws.client.')).toEqual(Object.keys(ClientMessageSchemas).sort());
    expect(names('ws.server.')).toEqual(Object.keys(ServerMessageSchemas).sort());
    expect(names('sse.')).toEqual(Object.keys(SseEventSchemas).sort());
    const sources: Record<string, Record<string, unknown>> = { 'ws.client': ClientMessageSchemas, 'ws.server': ServerMessageSchemas, sse: SseEventSchemas };
    for (const [key, message] of Object.entries(doc.components.messages)) {
      if (key.startsWith('ws.')) expect(message.payload.properties?.type?.const, key).toBe(message.name);
      // Each payload is its TypeBox schema, whole, as JSON.
      const source = sources[key.slice(0, key.lastIndexOf('.'))]?.[message.name];
      expect(message.payload, key).toEqual(JSON.parse(JSON.stringify(source)));
    }
    // Fields generated from the schemas, not copied: the subscribe options and the resume position.
    const subscribe = doc.components.messages['ws.client.subscribe']?.payload.properties ?? {};
    expect(Object.keys(subscribe)).toEqual(Object.keys(ClientMessageSchemas.subscribe.properties));
    expect(doc.channels.ws?.['x-close-codes']).toContainEqual({ code: 4401, reason: 'unauthorized', final: true, action: expect.stringMatching(/^stop/) as string });
    expect(doc.channels.ws?.['x-close-codes'].map((c) => c.code).sort()).toEqual([1013, 4401, 4403, 4408, 4429, 4503]);
    // Batched frames: an array of the server messages, and the `batch` and `devices` query parameters.
    const ws = JSON.parse(text) as { channels: { ws: { 'x-batch-frame': { payload: { type: string; items: { oneOf: Array<{ $ref: string }> } } }; bindings: { ws: { query: { properties: Record<string, unknown> } } } } } };
    expect(ws.channels.ws['x-batch-frame'].payload.type).toBe('array');
    expect(ws.channels.ws['x-batch-frame'].payload.items.oneOf.map((r) => r.$ref))
      .toEqual(Object.keys(ServerMessageSchemas).map((t) => `#/components/messages/ws.server.${t}/payload`));
    expect(Object.keys(ws.channels.ws.bindings.ws.query.properties)).toEqual(['api_key', 'batch', 'devices']);
    expect(doc.channels.ws?.description).toMatch(/JSON array `\[message, message, …\]`/);
    expect(doc.channels.ws?.description).toMatch(/`devices: false` in `auth` or `\?devices=false`: no `devices` message/);
    // Positions and resume, in the channels' descriptions.
    expect(doc.channels.ws?.description).toMatch(/`<partitionId>:<sequenceNumber>`[\s\S]*`from`[\s\S]*4429 too slow/);
    expect(doc.channels.sse?.description).toMatch(/`id: <position>`[\s\S]*`Last-Event-ID`/);
    // One operation per message, from the gateway's side: it receives client messages and sends the others.
    const actions = Object.values(doc.operations).map((op) => `${op.action} ${op.messages[0]?.$ref.split('/').pop()}`).sort();
    expect(actions).toEqual([
      ...Object.keys(ClientMessageSchemas).map((t) => `receive ws.client.${t}`),
      ...Object.keys(ServerMessageSchemas).map((t) => `send ws.server.${t}`),
      ...Object.keys(SseEventSchemas).map((t) => `send sse.${t}`),
    ].sort());
    expect(text).not.toMatch(/"\[object|Symbol\(/);
  });

  it('serves the docs UI from the gateway itself, without the key, under its CSP', async () => {
    const page = await fetch(`${gw.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    // The dashboard's policy, unchanged: no inline script or style, nothing from elsewhere.
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toBe((await fetch(`${gw.url}/`)).headers.get('content-security-policy'));
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/https:|unsafe-|upgrade-insecure-requests/);
    const html = await page.text();
    expect(html).toContain('<div id="swagger-ui"></div>');
    expect(html).not.toMatch(/https?:\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(assets).toEqual(expect.arrayContaining(['/docs/static/swagger-ui-bundle.js', '/docs/static/swagger-initializer.js', '/docs/static/swagger-ui.css']));
    for (const asset of assets) {
      const file = await fetch(new URL(asset, `${gw.url}/docs`));
      expect(file.status, asset).toBe(200);
      expect((await file.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
    const initializer = await (await fetch(`${gw.url}/docs/static/swagger-initializer.js`)).text();
    expect(initializer).toContain("resolveUrl('./json')");
    expect(initializer).toContain('validatorUrl: null');
  });

  it('answers the three documents without a key while the API still needs one', async () => {
    for (const path of ['/docs', '/docs/json', '/docs/asyncapi.json', '/docs/static/swagger-ui.css']) {
      expect((await fetch(`${gw.url}${path}`)).status, path).toBe(200);
    }
    const refused = await fetch(`${gw.url}/api/devices`);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: 'unauthorized', message: 'missing API key: send the X-API-Key header or the api_key query parameter' });
    // Public by route, not by prefix: an unmatched path under /docs needs the key.
    expect((await fetch(`${gw.url}/docs/nothing-here`)).status).toBe(401);
  });
});
