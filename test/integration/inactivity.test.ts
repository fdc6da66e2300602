import { storedHistory } from './support/gateway.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { eventually } from './support/eventually.js';
import { json, removeDir, startGateway, testConfig, type RunningGateway } from './support/gateway.js';
import { register } from './support/helpers.js';

describe('inactivity closes and reopens the consumer', () => {
  let emulator: Emulator;
  let gw: RunningGateway;
  beforeEach(async () => {
    emulator = await startEmulator();
    gw = await startGateway(testConfig({ connectionString: emulator.connectionString, inactivityTimeoutS: 2 }));
  });
  afterEach(async () => {
    await gw.close();
    await emulator.close();
    removeDir(gw.config.stateDir);
  });

  it('goes 1 → 0 connections when the device turns inactive, and a query brings it back', async () => {
    expect(emulator.stats().connections).toBe(0);
    await register(gw, 'sleepy');
    await eventually(() => expect(emulator.stats().connections).toBe(1));
    const inactive = await eventually(async () => {
      const d = (await json(gw.api('/api/devices'))).body.devices?.[0];
      expect(d?.status).toBe('inactive');
      return d;
    }, { timeoutMs: 15_000 });
    expect(inactive?.isConnected).toBe(false);
    await eventually(() => expect(emulator.stats().connections).toBe(0));
    expect((await json(fetch(`${gw.url}/readyz`))).body).toEqual({ status: 'ready', hubState: 'closed', reason: null });
    // Sent while nobody watches: not replayed after reactivation (the consumer reopens at latest).
    await emulator.send('sleepy', JSON.stringify({ missed: true }));
    const query = await json(gw.api('/api/telemetry?deviceId=sleepy'));
    expect(query.body).toEqual({ deviceId: 'sleepy', timestamp: null, isConnected: false });
    await eventually(() => expect(emulator.stats().connections).toBe(1));
    await eventually(() => expect(gw.app.registry.get('sleepy')?.status).toBe('registered'));
    const sent = await emulator.send('sleepy', JSON.stringify({ back: 1 }));
    const latest = await eventually(async () => {
      const r = await json(gw.api('/api/telemetry?deviceId=sleepy'));
      expect(r.body.timestamp).toBe(sent.enqueuedTime.toISOString());
      return r;
    });
    expect(latest.body).toEqual({ deviceId: 'sleepy', timestamp: sent.enqueuedTime.toISOString(), isConnected: true, back: 1 });
    expect((await storedHistory(gw.app, 'sleepy')).map((m) => m.body)).toEqual([{ back: 1 }]);
  });
});
