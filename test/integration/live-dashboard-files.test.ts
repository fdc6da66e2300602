import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDir, startGateway, testConfig, type RunningGateway } from './support/gateway.js';

describe('dashboard files and CORS', () => {
  let gw: RunningGateway;
  afterEach(async () => {
    await gw?.close();
    removeDir(gw.config.stateDir);
  });

  it('serves public/ at / and uPlot from node_modules at /vendor/uplot/, without a key', async () => {
    gw = await startGateway(testConfig());
    const index = await fetch(`${gw.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toBe(readFileSync('public/index.html', 'utf8'));
    for (const [path, type] of [['/app.js', /javascript/], ['/components.css', /^text\/css/], ['/vendor/uplot/uPlot.iife.min.js', /javascript/], ['/vendor/uplot/uPlot.min.css', /^text\/css/]] as const) {
      const response = await fetch(`${gw.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toMatch(type);
    }
    expect(await (await fetch(`${gw.url}/vendor/uplot/uPlot.iife.min.js`)).text()).toBe(readFileSync('node_modules/uplot/dist/uPlot.iife.min.js', 'utf8'));
    // Only the files are public: any other path is unmatched, so it needs the key before it gets its 404.
    expect((await fetch(`${gw.url}/no-such-file.js`)).status).toBe(401);
    const missing = await gw.api('/no-such-file.js');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found', message: 'no route GET /no-such-file.js' });
  });

  it('sends no CORS headers by default (same origin only) and allows exactly the CORS_ORIGINS listed', async () => {
    gw = await startGateway(testConfig());
    const foreign = await gw.api('/api/devices', { headers: { origin: 'https://dash.example' } });
    expect(foreign.status).toBe(200);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    await gw.close();
    removeDir(gw.config.stateDir);

    gw = await startGateway(testConfig({ corsOrigins: ['https://dash.example'] }));
    const listed = await gw.api('/api/devices', { headers: { origin: 'https://dash.example' } });
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://dash.example');
    const other = await gw.api('/api/devices', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${gw.url}/api/devices`, {
      method: 'OPTIONS',
      headers: { origin: 'https://dash.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-api-key' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://dash.example');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-api-key');
  });
});
