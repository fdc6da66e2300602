import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { json, removeDir, startGateway, testConfig, TEST_API_KEY, type RunningGateway } from './support/gateway.js';
import { register } from './support/helpers.js';

/** A HEAD request; resolves with the status once the response ended. */
function head(url: string, headers: Record<string, string>): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'HEAD', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('hardening: live endpoints hit by plain HTTP', () => {
  let gw: RunningGateway;
  afterEach(async () => {
    await gw?.close();
    if (gw) removeDir(gw.config.stateDir);
  });

  it('answers GET /api/ws without a WebSocket upgrade with 400 in the error shape', async () => {
    gw = await startGateway(testConfig());
    for (const path of ['/api/ws', `/api/ws?api_key=${TEST_API_KEY}`]) {
      expect(await json(fetch(`${gw.url}${path}`))).toEqual({
        status: 400, body: { error: 'bad_request', message: 'GET /api/ws needs a WebSocket upgrade (RFC 6455)' },
      });
    }
  });

  it('a HEAD on the SSE endpoint holds no subscription: the device still turns inactive', async () => {
    gw = await startGateway(testConfig({ inactivityTimeoutS: 1 }));
    expect((await register(gw, 'head-1')).status).toBe(202);
    expect(await head(`${gw.url}/api/devices/head-1/events`, { 'x-api-key': TEST_API_KEY })).toBe(200);
    await eventually(() => expect(gw.app.gateway.registry.get('head-1')?.status).toBe('inactive'), { timeoutMs: 8_000 });
  });
});
