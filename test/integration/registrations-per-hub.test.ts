import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { json, removeDir, startGateway, tempStateDir, testConfig, type RunningGateway } from './support/gateway.js';

/** The connection string of a hub that is never reached (port 1 on loopback refuses): only its name matters here. */
const hub = (namespace: string, port: number, name: string) =>
  `Endpoint=sb://${namespace}:${port}/;SharedAccessKeyName=k;SharedAccessKey=${Buffer.from('not-a-secret').toString('base64')};` +
  `EntityPath=${name};UseDevelopmentEmulator=true`;

describe.each(['memory', 'embedded'] as const)('registrations per hub (STORE=%s)', (engine) => {
  let stateDir: string;
  let gw: RunningGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    removeDir(stateDir);
    gw = undefined;
  });

  const run = async (connectionString: string | null, register?: string): Promise<string[]> => {
    await gw?.close();
    const config: Partial<GatewayConfig> = { connectionString, stateDir, store: engine, logLevel: 'fatal' };
    gw = await startGateway(testConfig(config));
    if (register) {
      const r = await gw.api('/api/register-device', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId: register }) });
      expect(r.status).toBe(202);
    }
    return ((await json(gw.api('/api/devices'))).body.devices ?? []).map((d) => d.deviceId);
  };

  it('keeps each hub its own, the first hub taking over what an earlier version registered', async () => {
    stateDir = tempStateDir();
    expect(await run(null, 'from-before')).toEqual(['from-before']);
    expect(await run(hub('127.0.0.1', 1, 'hub-a'), 'on-a')).toEqual(['from-before', 'on-a']);
    expect(await run(hub('127.0.0.1', 1, 'hub-b'), 'my-device')).toEqual(['my-device']);
    // The port is not part of the hub: the demo's emulator listens on a new one at every start.
    expect(await run(hub('127.0.0.1', 2, 'hub-a'))).toEqual(['from-before', 'on-a']);
    expect(await run(hub('ns-b.servicebus.windows.net', 5671, 'hub-b'))).toEqual([]);
    expect(await run(hub('127.0.0.1', 1, 'hub-b'))).toEqual(['my-device']);
  });
});
