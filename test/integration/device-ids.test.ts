import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { eventually } from './support/eventually.js';
import { json, removeDir, startGateway, testConfig, type RunningGateway } from './support/gateway.js';
import { register } from './support/helpers.js';

const LONG = `${'a'.repeat(60)}-._%*?!(),:=@$'+#;${'Z9'.repeat(25)}`.padEnd(128, 'x');
const TOO_LONG = `${LONG}y`;

describe('device IDs follow IoT Hub rules in every path', () => {
  let emulator: Emulator;
  let gw: RunningGateway;
  beforeAll(async () => {
    emulator = await startEmulator();
    gw = await startGateway(testConfig({ connectionString: emulator.connectionString }));
  });
  afterAll(async () => {
    await gw.close();
    await emulator.close();
    removeDir(gw.config.stateDir);
  });

  it('registers Dev#1+a% and reads it back through URL-encoding', async () => {
    const id = 'Dev#1+a%';
    expect((await register(gw, id)).body).toEqual({ deviceId: id, status: 'registering', message: 'Device registration initiated' });
    await eventually(() => expect(gw.app.registry.get(id)?.status).toBe('registered'));
    const sent = await emulator.send(id, '{"v":1}');
    const latest = await eventually(async () => {
      const r = await json(gw.api(`/api/telemetry?deviceId=${encodeURIComponent(id)}`));
      expect(r.body.timestamp).toBe(sent.enqueuedTime.toISOString());
      return r;
    });
    expect(latest.body).toEqual({ deviceId: id, timestamp: sent.enqueuedTime.toISOString(), isConnected: true, v: 1 });
    const history = await json(gw.api(`/api/devices/${encodeURIComponent(id)}/telemetry`));
    expect(history.body.deviceId).toBe(id);
    expect(history.body.items?.map((m) => m.body)).toEqual([{ v: 1 }]);
    expect((await json(gw.api(`/api/unregister-device/${encodeURIComponent(id)}`, { method: 'DELETE' }))).status).toBe(200);
  });

  it('treats IDs case-sensitively', async () => {
    await register(gw, 'sensor-a');
    expect((await json(gw.api('/api/telemetry?deviceId=sensor-a'))).status).toBe(200);
    expect(await json(gw.api('/api/telemetry?deviceId=Sensor-A'))).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect((await json(gw.api('/api/devices/Sensor-A/telemetry'))).status).toBe(404);
  });

  it('accepts a 128-character ID everywhere and refuses 129 characters or a space with 400', async () => {
    expect(LONG).toHaveLength(128);
    const enc = encodeURIComponent(LONG);
    expect((await register(gw, LONG)).status).toBe(202);
    expect((await json(gw.api(`/api/telemetry?deviceId=${enc}`))).body).toMatchObject({ deviceId: LONG, timestamp: null });
    expect((await json(gw.api(`/api/devices/${enc}/telemetry`))).body).toEqual({ deviceId: LONG, items: [] });
    expect((await json(gw.api(`/api/unregister-device/${enc}`, { method: 'DELETE' }))).status).toBe(200);
    for (const bad of [TOO_LONG, 'bad id']) {
      const e = encodeURIComponent(bad);
      const answers = [
        await register(gw, bad),
        await json(gw.api(`/api/telemetry?deviceId=${e}`)),
        await json(gw.api(`/api/devices/${e}/telemetry`)),
        await json(gw.api(`/api/unregister-device/${e}`, { method: 'DELETE' })),
      ];
      for (const a of answers) {
        expect(a.status).toBe(400);
        expect(a.body.error).toBe('bad_request');
        expect(a.body.message).toMatch(bad === TOO_LONG ? /129 characters long; IoT Hub allows at most 128/ : /not allow/);
      }
    }
  });
});
