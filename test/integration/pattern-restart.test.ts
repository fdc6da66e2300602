import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutRedis, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { eventually } from './support/eventually.js';
import { json, removeDir, startGateway, tempStateDir, testConfig, type RunningGateway } from './support/gateway.js';

describe.each(['memory', 'embedded'] as const)('device ID patterns across a restart (STORE=%s)', (engine) => {
  let stateDir: string;
  let gw: RunningGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    removeDir(stateDir);
    gw = undefined;
  });
  const restart = async () => {
    await gw?.close();
    gw = await startGateway(testConfig({ stateDir, store: engine, logLevel: 'fatal' }));
    return gw;
  };
  const patterns = async (g: RunningGateway) => (await json(g.api('/api/devices'))).body;

  it('keeps a registered pattern, apart from the devices, until it is unregistered', async () => {
    stateDir = tempStateDir();
    let g = await restart();
    const created = await json(g.api('/api/register-device', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceIdPattern: 'line-?-*', units: { t: '°C' } }),
    }));
    expect(created.status).toBe(201);
    g = await restart();
    expect(await patterns(g)).toEqual({ devices: [], defaultDevice: null, patterns: [{ deviceIdPattern: 'line-?-*', registeredAt: created.body.registeredAt }] });
    expect((await g.api(`/api/unregister-pattern/${encodeURIComponent('line-?-*')}`, { method: 'DELETE' })).status).toBe(200);
    g = await restart();
    expect(await patterns(g)).toEqual({ devices: [], defaultDevice: null, patterns: [] });
  });
});

describe.skipIf(skipWithoutRedis)('device ID patterns in a shared Redis store', () => {
  let server: RedisServer;
  const gateways: RunningGateway[] = [];
  beforeAll(async () => {
    server = await startRedisServer({});
  });
  afterEach(async () => {
    for (const g of gateways.splice(0)) {
      await g.close();
      removeDir(g.config.stateDir);
    }
  });
  afterAll(async () => {
    await server?.stop();
  });
  const start = async () => {
    const g = await startGateway(testConfig({ store: 'redis', redisUrl: `redis://127.0.0.1:${server.port}`, logLevel: 'fatal' }));
    gateways.push(g);
    return g;
  };

  it('shows a pattern on another instance at once and after a restart, and forgets it everywhere', async () => {
    const [a, b] = [await start(), await start()];
    const created = await json(a.api('/api/register-device', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceIdPattern: 'shared-*' }),
    }));
    const listed = [{ deviceIdPattern: 'shared-*', registeredAt: created.body.registeredAt }];
    await eventually(async () => expect((await json(b.api('/api/devices'))).body.patterns).toEqual(listed));
    const c = await start();
    expect((await json(c.api('/api/devices'))).body.patterns).toEqual(listed);
    expect((await c.api('/api/unregister-pattern/shared-*', { method: 'DELETE' })).status).toBe(200);
    await eventually(async () => expect((await json(a.api('/api/devices'))).body.patterns).toEqual([]));
  });
});
