import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../support/fake-clock.js';
import { WsClient } from './live-clients.js';
import { removeDir, startGateway, testConfig, TEST_API_KEY, type RunningGateway } from './support/gateway.js';

const T0 = '2026-01-01T00:00:00.000Z';
const device = (deviceId: string, units: Record<string, string> = {}, registeredAt = T0) =>
  ({ deviceId, registeredAt, lastSeen: null, status: 'registering', isConnected: false, units });

describe('the devices message', () => {
  let gw: RunningGateway | undefined;
  let ws: WsClient | undefined;
  afterEach(async () => {
    ws?.close();
    await gw?.close();
    if (gw) removeDir(gw.config.stateDir);
    gw = undefined;
  });

  const register = async (body: unknown) => {
    const r = await gw!.api('/api/register-device', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(r.status).toBeLessThan(300);
  };
  /** Every `devices` message so far, once a ping round trip shows nothing else is on its way. */
  const devicesSeen = async () => {
    await ws!.roundTrip();
    return ws!.ofType('devices');
  };

  it('lists the devices right after auth, then each change coalesced to one message a second on the clock', async () => {
    const clock = new FakeClock();
    gw = await startGateway(testConfig({ defaultDeviceId: 'meter' }), { clock });
    ws = await WsClient.connect(`${gw.url.replace(/^http/, 'ws')}/api/ws`);
    ws.send({ type: 'auth', apiKey: TEST_API_KEY });
    expect(await devicesSeen()).toEqual([{ type: 'devices', devices: [device('meter')], defaultDevice: 'meter', patterns: [] }]);

    await register({ deviceId: 'a', units: { voltage: 'V' } });
    await register({ deviceId: 'b' });
    clock.advance(999);
    expect(await devicesSeen()).toHaveLength(1);
    clock.advance(1);
    expect((await devicesSeen()).slice(1)).toEqual([
      { type: 'devices', devices: [device('meter'), device('a', { voltage: 'V' }), device('b')], defaultDevice: 'meter', patterns: [] },
    ]);

    // Three changes within the next second: one message, a second after the last one, with the newest list.
    await register({ deviceId: 'a', units: { voltage: 'kV' } });
    clock.advance(500);
    expect(await gw.api('/api/unregister-device/b', { method: 'DELETE' }).then((r) => r.status)).toBe(200);
    await register({ deviceId: 'c' });
    clock.advance(499);
    expect(await devicesSeen()).toHaveLength(2);
    clock.advance(1);
    expect((await devicesSeen()).slice(2)).toEqual([
      { type: 'devices', devices: [device('meter'), device('a', { voltage: 'kV' }), device('c', {}, '2026-01-01T00:00:01.500Z')], defaultDevice: 'meter', patterns: [] },
    ]);

    // Nothing changed: nothing sent, however long.
    clock.advance(10_000);
    expect(await devicesSeen()).toHaveLength(3);
    // A re-registration that changes nothing is no change either.
    await register({ deviceId: 'c' });
    clock.advance(1000);
    expect(await devicesSeen()).toHaveLength(3);
  });

  it('is not sent before auth', async () => {
    gw = await startGateway(testConfig());
    ws = await WsClient.connect(`${gw.url.replace(/^http/, 'ws')}/api/ws`);
    ws.send({ type: 'ping' });
    expect(await ws.closed).toBe(4401);
    expect(ws.messages).toEqual([]);
  });
});
