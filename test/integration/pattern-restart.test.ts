import { afterEach, describe, expect, it } from 'vitest';
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
