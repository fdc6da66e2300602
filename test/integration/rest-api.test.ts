import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { captureLogger, json, removeDir, startGateway, testConfig, type RunningGateway } from './support/gateway.js';

describe('REST API without a hub', () => {
  let gw: RunningGateway;
  beforeEach(async () => {
    gw = await startGateway(testConfig({ defaultDeviceId: 'dev-default' }));
  });
  afterEach(async () => {
    await gw.close();
    removeDir(gw.config.stateDir);
  });

  it('registers, lists, reads and unregisters a device in the REST API shapes', async () => {
    const reg = await json(gw.api('/api/register-device', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId: 'dev-1' }) }));
    expect(reg).toEqual({ status: 202, body: { deviceId: 'dev-1', status: 'registering', message: 'Device registration initiated' } });
    const again = await json(gw.api('/api/register-device', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId: 'dev-1' }) }));
    expect(again).toEqual({ status: 200, body: { deviceId: 'dev-1', status: 'registering', message: 'Device already registered' } });
    const list = await json(gw.api('/api/devices'));
    expect(list.status).toBe(200);
    expect(list.body.defaultDevice).toBe('dev-default');
    expect(list.body.devices?.map((d) => d.deviceId).sort()).toEqual(['dev-1', 'dev-default']);
    for (const d of list.body.devices ?? []) {
      expect(Object.keys(d)).toEqual(['deviceId', 'registeredAt', 'lastSeen', 'status', 'isConnected', 'units', 'connectionState', 'connectionStateUpdatedAt']);
      expect(d.units).toEqual({});
      expect(d.lastSeen).toBeNull();
      expect([d.connectionState, d.connectionStateUpdatedAt]).toEqual([null, null]);
      expect(d.isConnected).toBe(false);
      expect(d.registeredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    expect(await json(gw.api('/api/telemetry?deviceId=dev-1'))).toEqual({ status: 200, body: { deviceId: 'dev-1', timestamp: null, isConnected: false } });
    expect(await json(gw.api('/api/telemetry'))).toEqual({ status: 200, body: { deviceId: 'dev-default', timestamp: null, isConnected: false } });
    expect(await json(gw.api('/api/devices/dev-1/telemetry'))).toEqual({ status: 200, body: { deviceId: 'dev-1', items: [] } });
    const del = await json(gw.api('/api/unregister-device/dev-1', { method: 'DELETE', headers: { 'content-type': 'application/json' } }));
    expect(del).toEqual({ status: 200, body: { deviceId: 'dev-1', status: 'unregistered', message: 'Device unregistered successfully' } });
    expect((await json(gw.api('/api/unregister-device/dev-1', { method: 'DELETE' }))).body.error).toBe('not_found');
    expect((await json(gw.api('/api/telemetry?deviceId=dev-1'))).status).toBe(404);
  });

  it('answers bad input with the one error shape', async () => {
    const post = (body: string, type = 'application/json') =>
      json(gw.api('/api/register-device', { method: 'POST', headers: { 'content-type': type }, body }));
    const malformed = await post('{"deviceId":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe('bad_request');
    expect(malformed.body.message).toMatch(/JSON/);
    const text = await post('dev-1', 'text/plain');
    expect(text.status).toBe(415);
    expect(text.body.error).toBe('unsupported_media_type');
    const big = await post(JSON.stringify({ deviceId: 'x', pad: 'a'.repeat(20_000) }));
    expect(big).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
    const missing = await post('{}');
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/deviceId/);
    const spaced = await post(JSON.stringify({ deviceId: 'bad id' }));
    expect(spaced.status).toBe(400);
    expect(spaced.body.message).toMatch(/not allow/);
    const unknown = await json(gw.api('/api/nope'));
    expect(unknown).toEqual({ status: 404, body: { error: 'not_found', message: 'no route GET /api/nope' } });
    const bareRoot = await json(gw.api('/nothing-here'));
    expect(bareRoot.body.error).toBe('not_found');
    expect((await json(fetch(`${gw.url}/nothing-here`))).body.error).toBe('unauthorized'); // unmatched: key first
    const limit = await json(gw.api('/api/devices/dev-default/telemetry?limit=abc'));
    expect(limit.status).toBe(400);
    const tooMany = await json(gw.api('/api/devices/dev-default/telemetry?limit=1001'));
    expect(tooMany).toMatchObject({ status: 400, body: { error: 'bad_request', message: 'limit must be at most 1000 (HISTORY_LIMIT)' } });
    const since = await json(gw.api('/api/devices/dev-default/telemetry?since=yesterday'));
    expect(since.status).toBe(400);
    expect(since.body.message).toMatch(/since/);
  });

  it('serves health and metrics without a key', async () => {
    expect(await json(fetch(`${gw.url}/healthz`))).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await json(fetch(`${gw.url}/readyz`))).toEqual({ status: 200, body: { status: 'ready', hubState: 'closed', reason: null } });
    const metrics = await fetch(`${gw.url}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain('gateway_events_dropped_total{reason="not_watched"} 0');
    expect(text).toContain('gateway_hub_consumer_state{state="closed"} 1');
    expect(text).toContain('gateway_watched_devices 1');
  });
});

describe('internal errors', () => {
  it('answers 500 internal_error without stack or detail, and logs it with the redacted URL', async () => {
    const config = testConfig();
    const { logger, lines } = captureLogger();
    const app = buildApp(config, { logger });
    app.get('/boom', { config: { public: true } }, () => {
      throw new Error('secret detail at /srv/app.js:12');
    });
    try {
      const r = await app.inject({ method: 'GET', url: '/boom?api_key=TopSecretKey' });
      expect(r.statusCode).toBe(500);
      expect(r.json()).toEqual({ error: 'internal_error', message: 'internal error' });
      expect(r.body).not.toContain('secret detail');
      const failed = lines.map((l) => JSON.parse(l) as { msg: string; url?: string }).find((l) => l.msg === 'request failed');
      expect(failed?.url).toBe('/boom?api_key=***');
      expect(lines.join('\n')).not.toContain('TopSecretKey');
    } finally {
      await app.close();
      removeDir(config.stateDir);
    }
  });
});
