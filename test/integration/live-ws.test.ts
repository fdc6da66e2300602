import { FakeClock } from '../support/fake-clock.js';
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode } from '../../src/live/close-codes.js';
import { startLiveFixture, positionOfResult, type LiveFixture } from './live-fixture.js';
import { eventually } from './support/eventually.js';
import { TEST_API_KEY } from './support/gateway.js';

const reading = (n: number) => ({ voltages: [230 + n, 231.5 + n, 229.25 + n], currents: [1.1 + n, 1.2, 1.3], n });

describe('WebSocket /api/ws', () => {
  let fx: LiveFixture;
  afterEach(async () => {
    await fx?.close();
  });

  it('delivers a subscribed device’s messages in order with their exact values, and stops after unsubscribe', async () => {
    fx = await startLiveFixture({}, ['dev-1', 'dev-2']);
    const client = await fx.ws({ key: TEST_API_KEY });
    const control = await fx.ws({ key: TEST_API_KEY });
    client.send({ type: 'subscribe', deviceIds: ['dev-1'] });
    control.send({ type: 'subscribe', deviceId: 'dev-1' });
    expect(await client.waitFor((m) => m.type === 'subscribed')).toEqual({
      type: 'subscribed', deviceId: 'dev-1', status: 'registered', isConnected: true, latest: null,
    });
    await control.waitFor((m) => m.type === 'subscribed');

    const bodies = [0, 1, 2, 3, 4].map(reading);
    const results = await fx.send('dev-1', bodies);
    await fx.send('dev-2', [{ other: true }]);
    await eventually(() => expect(client.ofType('telemetry')).toHaveLength(5));
    expect(client.ofType('telemetry')).toEqual(
      results.map((r, i) => ({
        type: 'telemetry', deviceId: 'dev-1', position: positionOfResult(r), enqueuedTime: r.enqueuedTime.toISOString(),
        body: bodies[i], bodyEncoding: 'json', properties: {},
      })),
    );

    client.send({ type: 'unsubscribe', deviceIds: ['dev-1'] });
    await client.roundTrip(); // the unsubscribe has been handled
    const [late] = await fx.send('dev-1', [reading(5)]);
    await control.waitFor((m) => m.type === 'telemetry' && m.position === positionOfResult(late!));
    await client.roundTrip();
    expect(client.ofType('telemetry')).toHaveLength(5);
    expect(client.ofType('telemetry', 'dev-2')).toEqual([]);
  });

  it('resumes from a position with exactly the missed messages, and answers an evicted one with reset + history', async () => {
    fx = await startLiveFixture({ historyLimit: 4 });
    const results = await fx.send('dev-1', [0, 1, 2, 3, 4, 5].map(reading));
    const first = await fx.ws({ key: TEST_API_KEY });
    first.send({ type: 'subscribe', deviceIds: ['dev-1'] });
    const subscribed = await first.waitFor((m) => m.type === 'subscribed');
    await eventually(async () => expect((await fx.gw.api('/api/devices/dev-1/telemetry').then((r) => r.json() as Promise<{ items: unknown[] }>)).items).toHaveLength(4));
    // The store may not have had every message when the first client subscribed: its `latest` is one of them or null.
    expect([null, ...results.map(positionOfResult)]).toContain((subscribed.latest as { position?: string } | null)?.position ?? null);

    const resumed = await fx.ws({ key: TEST_API_KEY });
    resumed.send({ type: 'subscribe', deviceIds: ['dev-1'], from: { 'dev-1': positionOfResult(results[3]!) } });
    await eventually(() => expect(resumed.ofType('telemetry')).toHaveLength(2));
    expect(resumed.ofType('telemetry').map((m) => m.body)).toEqual([reading(4), reading(5)]);
    expect(resumed.ofType('reset')).toEqual([]);

    const evicted = await fx.ws({ key: TEST_API_KEY });
    evicted.send({ type: 'subscribe', deviceId: 'dev-1', from: positionOfResult(results[0]!) });
    await eventually(() => expect(evicted.ofType('telemetry')).toHaveLength(4));
    // `devices` follows every lastSeen change (at most once a second): its place among the others is not fixed.
    const order = evicted.messages.map((m) => m.type).filter((type) => type !== 'devices');
    expect(order).toEqual(['status', 'subscribed', 'reset', 'telemetry', 'telemetry', 'telemetry', 'telemetry']);
    expect(evicted.ofType('reset')).toEqual([{ type: 'reset', deviceId: 'dev-1' }]);
    expect(evicted.ofType('telemetry').map((m) => m.position)).toEqual(results.slice(2).map(positionOfResult));

    const [live] = await fx.send('dev-1', [reading(6)]);
    for (const c of [resumed, evicted]) await c.waitFor((m) => m.type === 'telemetry' && m.position === positionOfResult(live!));
    expect(resumed.ofType('telemetry')).toHaveLength(3);
  });

  it('answers malformed and unknown messages with error and keeps the socket and the server up', async () => {
    fx = await startLiveFixture();
    const client = await fx.ws({ key: TEST_API_KEY });
    client.send('{"type":"subscribe",');
    client.send({ type: 'dance' });
    client.send({ nope: 1 });
    client.send({ type: 'subscribe', deviceIds: ['ghost-device'] });
    client.send({ type: 'subscribe', deviceIds: ['ghost-1', 'dev-1', 'ghost-2'] });
    client.send({ type: 'subscribe', deviceIds: ['bad id'] });
    await client.roundTrip();
    expect(client.ofType('error')).toEqual([
      { type: 'error', error: 'bad_request', message: 'malformed JSON' },
      { type: 'error', error: 'bad_request', message: 'unknown message type "dance"' },
      { type: 'error', error: 'bad_request', message: 'a message is a JSON object with a string "type"' },
      { type: 'error', error: 'not_found', message: 'device "ghost-device" is not registered', deviceId: 'ghost-device', deviceIds: ['ghost-device'] },
      { type: 'error', error: 'not_found', message: '2 devices are not registered', deviceIds: ['ghost-1', 'ghost-2'] },
      expect.objectContaining({ type: 'error', error: 'bad_request', message: expect.stringMatching(/^invalid "subscribe" message: \/deviceIds\/0/) as unknown }),
    ]);
    expect(client.closeCode).toBeUndefined();
    client.send({ type: 'subscribe', deviceIds: ['dev-1'] });
    await client.waitFor((m) => m.type === 'subscribed');
    const [r] = await fx.send('dev-1', [reading(1)]);
    await client.waitFor((m) => m.type === 'telemetry' && m.position === positionOfResult(r!));
    expect((await fx.gw.api('/healthz')).status).toBe(200);
  });

  it('limits subscriptions per connection to WS_MAX_SUBSCRIPTIONS', async () => {
    fx = await startLiveFixture({ wsMaxSubscriptions: 1 }, ['dev-1', 'dev-2']);
    const client = await fx.ws({ key: TEST_API_KEY });
    client.send({ type: 'subscribe', deviceIds: ['dev-1', 'dev-2'] });
    await client.roundTrip();
    expect(client.ofType('subscribed').map((m) => m.deviceId)).toEqual(['dev-1']);
    expect(client.ofType('error')).toEqual([
      { type: 'error', error: 'limit_exceeded', message: 'at most 1 subscriptions per connection (WS_MAX_SUBSCRIPTIONS)', deviceId: 'dev-2', deviceIds: ['dev-2'] },
    ]);
    client.send({ type: 'subscribe', deviceIds: ['ghost-a', 'ghost-b', 'ghost-c'] }); // only the first is looked up
    await client.roundTrip();
    expect(client.ofType('error').slice(1)).toEqual([
      { type: 'error', error: 'not_found', message: 'device "ghost-a" is not registered', deviceId: 'ghost-a', deviceIds: ['ghost-a'] },
      { type: 'error', error: 'limit_exceeded', message: 'at most 1 subscriptions per connection (WS_MAX_SUBSCRIPTIONS)', deviceIds: ['ghost-b', 'ghost-c'] },
    ]);
    client.send({ type: 'unsubscribe', deviceIds: ['dev-1'] });
    client.send({ type: 'subscribe', deviceIds: ['dev-2'] });
    expect((await client.waitFor((m) => m.type === 'subscribed' && m.deviceId === 'dev-2')).status).toBe('registered');
  });

  it('pushes hub-wide status changes (no deviceId): consumer closed when nothing is watched, restored on subscribe', async () => {
    const clock = new FakeClock(Date.now());
    fx = await startLiveFixture({ inactivityTimeoutS: 2 }, ['dev-1'], { waitRegistered: false, clock });
    const client = await fx.ws({ key: TEST_API_KEY });
    await client.roundTrip(); // authenticated: hub-wide changes are pushed from now on
    clock.advance(2_500);
    const closed = await client.waitFor((m) => m.type === 'status' && m.deviceId === undefined && m.status === 'closed', 15_000);
    expect(closed).toEqual({ type: 'status', status: 'closed', isConnected: false, reason: 'hub consumer closed: no device watched' });
    expect(await fx.statusOf('dev-1')).toBe('inactive');

    const mark = client.messages.length;
    client.send({ type: 'subscribe', deviceIds: ['dev-1'] });
    const restored = await client.waitFor((m) => m.type === 'status' && m.deviceId === undefined && m.isConnected === true, 20_000, mark);
    expect(restored).toEqual({ type: 'status', status: 'connected', isConnected: true, reason: 'hub connection restored' });
    const deviceStatus = await client.waitFor((m) => m.type === 'status' && m.deviceId === 'dev-1' && m.status === 'registered', 10_000, mark);
    expect(deviceStatus).toMatchObject({ isConnected: true });
  }, 45_000);

  it('closes with 4503 when the gateway shuts down', async () => {
    fx = await startLiveFixture();
    const client = await fx.ws({ key: TEST_API_KEY });
    client.send({ type: 'subscribe', deviceIds: ['dev-1'] });
    await client.waitFor((m) => m.type === 'subscribed');
    await fx.gw.app.close();
    expect(await client.closed).toBe(CloseCode.shuttingDown);
    expect(client.closeReason).toBe('server shutting down, reconnect');
  });
});
