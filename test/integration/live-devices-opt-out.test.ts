import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../support/fake-clock.js';
import { startLiveFixture, positionOfResult, type LiveFixture } from './live-fixture.js';
import type { WsClient } from './live-clients.js';
import { eventually } from './support/eventually.js';
import { TEST_API_KEY } from './support/gateway.js';

describe('opting out of the devices list', () => {
  let fx: LiveFixture;
  afterEach(async () => {
    await fx?.close();
  });

  const ready = async (client: WsClient): Promise<void> => {
    await client.waitFor((m) => m.type === 'status');
    client.send({ type: 'subscribe', deviceIds: ['dev-1'] });
    await client.waitFor((m) => m.type === 'subscribed');
  };

  it('sends no devices message to a client with ?devices=false or devices: false in auth, and still its telemetry', async () => {
    const clock = new FakeClock();
    fx = await startLiveFixture({}, ['dev-1'], { clock });
    const dashboard = await fx.ws({ key: TEST_API_KEY });
    const byQuery = await fx.ws({ key: TEST_API_KEY, query: 'devices=false&batch=true' });
    const byAuth = await fx.ws({ query: 'devices=true' }); // the auth message decides
    byAuth.send({ type: 'auth', apiKey: TEST_API_KEY, devices: false });
    const clients = [dashboard, byQuery, byAuth];
    for (const client of clients) await ready(client);

    const register = await fx.gw.api('/api/register-device', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId: 'dev-2' }),
    });
    expect(register.status).toBeLessThan(300);
    clock.advance(1000);
    await dashboard.waitFor((m) => m.type === 'devices' && JSON.stringify(m).includes('"dev-2"'));

    const sent = await fx.send('dev-1', [{ n: 1 }, { n: 2 }]);
    for (const client of clients) {
      await eventually(() => expect(client.ofType('telemetry')).toHaveLength(2));
      await client.roundTrip();
      expect(client.ofType('telemetry').map((m) => m.position)).toEqual(sent.map(positionOfResult));
      expect(client.ofType('error')).toEqual([]);
    }
    expect(dashboard.ofType('devices').length).toBe(2); // right after auth, then the change
    expect([byQuery.ofType('devices'), byAuth.ofType('devices')]).toEqual([[], []]);
  }, 60_000);

  it('answers ?devices= with another value than true or false with a bad_request error after auth, and sends the list', async () => {
    fx = await startLiveFixture();
    const client = await fx.ws({ key: TEST_API_KEY, query: 'devices=no' });
    await client.waitFor((m) => m.type === 'devices');
    expect(client.messages[0]).toEqual({ type: 'error', error: 'bad_request', message: '"devices" must be true or false' });
    expect(client.messages.map((m) => m.type)).toEqual(['error', 'status', 'devices']);
  }, 60_000);
});
