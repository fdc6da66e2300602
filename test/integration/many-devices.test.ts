import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { eventually } from './support/eventually.js';
import { json, removeDir, startGateway, testConfig, type RunningGateway } from './support/gateway.js';
import { register } from './support/helpers.js';

describe('100 registered devices on one consumer', () => {
  let emulator: Emulator;
  let gw: RunningGateway;
  beforeEach(async () => {
    emulator = await startEmulator();
    gw = await startGateway(testConfig({ connectionString: emulator.connectionString, logLevel: 'warn' }));
  });
  afterEach(async () => {
    await gw.close();
    await emulator.close();
    removeDir(gw.config.stateDir);
  });

  it('delivers each device its own message over one connection and one receiver per partition', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `device-${String(i).padStart(3, '0')}`);
    for (const id of ids) expect((await register(gw, id)).status).toBe(202);
    await eventually(async () => expect((await json(fetch(`${gw.url}/readyz`))).status).toBe(200));
    await eventually(() => expect(gw.app.registry.list().every((d) => d.status === 'registered')).toBe(true));
    for (const [i, id] of ids.entries()) await emulator.send(id, JSON.stringify({ n: i, id }));
    await eventually(async () => expect((await Promise.all(ids.map((id) => gw.app.store.latest(id)))).every((m) => m !== undefined)).toBe(true), { timeoutMs: 15_000 });
    for (const [i, id] of ids.entries()) {
      const r = await json(gw.api(`/api/telemetry?deviceId=${id}`));
      expect(r.body).toMatchObject({ deviceId: id, isConnected: true, n: i, id });
    }
    const stats = emulator.stats();
    expect(stats.connections).toBe(1);
    expect(stats.receivers.map((r) => r.partitionId).sort()).toEqual([...emulator.partitionIds].sort());
    expect(stats.receivers.every((r) => r.consumerGroup === '$Default')).toBe(true);
  });
});
