import { afterEach, describe, expect, it } from 'vitest';
import { startLiveFixture, type LiveFixture } from './live-fixture.js';
import type { LiveMessage } from './live-clients.js';
import { eventually } from './support/eventually.js';
import { json, type ApiBody } from './support/gateway.js';
import { metric } from './support/helpers.js';

const T1 = '2026-03-01T10:00:00.000Z';
const T2 = '2026-03-01T10:05:00.000Z';
const SEQ_OLD = '000000000000000001D7F744182052190000000000000000000000000000000A';
const SEQ_NEW = '000000000000000001D7F744182052190000000000000000000000000000000B';

interface Injected { partitionId: string; sequenceNumber: number; properties: Record<string, string>; body: unknown }

/** Injects a hub event through the emulator's control API. */
async function inject(fx: LiveFixture, deviceId: string, request: Record<string, unknown>): Promise<Injected> {
  const response = await fetch(`http://127.0.0.1:${fx.emulator.httpPort}/_emulator/devices/${deviceId}/hub-events`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Injected;
}

const hubEvents = async (fx: LiveFixture, query = '', deviceId = 'dev-1') => json(fx.gw.api(`/api/devices/${deviceId}/hub-events${query}`));
const itemsOf = (body: ApiBody) => body.items as unknown as Array<Record<string, unknown>>;
const deviceOf = async (fx: LiveFixture, deviceId = 'dev-1') => (await json(fx.gw.api('/api/devices'))).body.devices?.find((d) => d.deviceId === deviceId);

describe('hub events and connection state', () => {
  let fx: LiveFixture;
  afterEach(async () => {
    await fx?.close();
  });

  it('an injected deviceDisconnected turns connectionState to disconnected in /api/devices and reaches WebSocket and SSE subscribers as status', async () => {
    fx = await startLiveFixture();
    expect(await deviceOf(fx)).toMatchObject({ deviceId: 'dev-1', connectionState: null, connectionStateUpdatedAt: null });
    const ws = await fx.ws();
    ws.send({ type: 'auth', apiKey: fx.gw.config.apiKey });
    ws.send({ type: 'subscribe', deviceIds: ['dev-1'] });
    await ws.waitFor((m) => m.type === 'subscribed');
    const sse = await fx.sse('dev-1');
    await eventually(() => expect(sse.named('status').length).toBeGreaterThanOrEqual(1));

    await inject(fx, 'dev-1', { kind: 'deviceDisconnected', operationTimestamp: T1, body: { sequenceNumber: SEQ_OLD } });
    const expected = {
      deviceId: 'dev-1', status: 'registered', isConnected: true, reason: 'device disconnected',
      connectionState: 'disconnected', connectionStateUpdatedAt: T1,
    };
    expect(await ws.waitFor((m) => m.type === 'status' && m.deviceId === 'dev-1')).toEqual({ type: 'status', ...expected });
    await eventually(() => expect(sse.named('status').map((e) => JSON.parse(e.data) as unknown)).toContainEqual(expected));
    expect(await deviceOf(fx)).toMatchObject({ connectionState: 'disconnected', connectionStateUpdatedAt: T1 });
    await eventually(() => expect(ws.ofType('devices').at(-1)).toMatchObject({ devices: [{ deviceId: 'dev-1', connectionState: 'disconnected', connectionStateUpdatedAt: T1 }] }));
  });

  it('orders connection state by sequenceNumber as a string: an older event arriving late does not override', async () => {
    fx = await startLiveFixture();
    await inject(fx, 'dev-1', { kind: 'deviceConnected', operationTimestamp: T2, body: { sequenceNumber: SEQ_NEW } });
    await inject(fx, 'dev-1', { kind: 'deviceDisconnected', operationTimestamp: T1, body: { sequenceNumber: SEQ_OLD } });
    await eventually(async () => expect(itemsOf((await hubEvents(fx)).body)).toHaveLength(2));
    expect(await deviceOf(fx)).toMatchObject({ connectionState: 'connected', connectionStateUpdatedAt: T2 });
    expect(itemsOf((await hubEvents(fx)).body).map((e) => e.opType)).toEqual(['deviceDisconnected', 'deviceConnected']);
  });

  it('keeps twin changes out of telemetry history and latest, and lists them in hub-events with opType and the patch', async () => {
    fx = await startLiveFixture();
    const patch = { version: 3, properties: { desired: { fanSpeed: 2, $version: 3 } } };
    const twin = await inject(fx, 'dev-1', { kind: 'updateTwin', operationTimestamp: T1, body: patch });
    await eventually(async () => expect(itemsOf((await hubEvents(fx)).body)).toHaveLength(1));
    expect((await hubEvents(fx)).body).toEqual({
      deviceId: 'dev-1',
      items: [{
        deviceId: 'dev-1', moduleId: null, eventType: 'twinChangeEvents', opType: 'updateTwin',
        position: `${twin.partitionId}:${twin.sequenceNumber}`, enqueuedTime: expect.stringMatching(/Z$/) as unknown,
        properties: {
          hubName: fx.emulator.hubName, deviceId: 'dev-1', opType: 'updateTwin',
          'iothub-message-schema': 'twinChangeNotification', operationTimestamp: T1,
        },
        body: patch,
      }],
    });
    await fx.send('dev-1', [{ voltage: 230 }]);
    await eventually(async () => expect((await json(fx.gw.api('/api/devices/dev-1/telemetry'))).body.items).toHaveLength(1));
    expect((await json(fx.gw.api('/api/devices/dev-1/telemetry'))).body.items?.map((m) => m.body)).toEqual([{ voltage: 230 }]);
    expect((await json(fx.gw.api('/api/telemetry?deviceId=dev-1'))).body).toMatchObject({ voltage: 230 });
    expect(await metric(fx.gw, 'gateway_hub_events_total')).toBe(1);
    expect(await metric(fx.gw, 'gateway_events_stored_total')).toBe(1);
  });

  it('filters by type=, since= and limit=, newest first, and refuses bad values', async () => {
    fx = await startLiveFixture();
    await inject(fx, 'dev-1', { kind: 'createDeviceIdentity' });
    await inject(fx, 'dev-1', { kind: 'deviceConnected' });
    await inject(fx, 'dev-1', { kind: 'replaceTwin' });
    await inject(fx, 'dev-1', { kind: 'deleteDeviceIdentity' });
    await eventually(async () => expect(itemsOf((await hubEvents(fx)).body)).toHaveLength(4));
    const all = itemsOf((await hubEvents(fx)).body);
    expect(all.map((e) => e.opType)).toEqual(['deleteDeviceIdentity', 'replaceTwin', 'deviceConnected', 'createDeviceIdentity']);
    expect(all.map((e) => e.eventType)).toEqual(['deviceLifecycleEvents', 'twinChangeEvents', 'deviceConnectionStateEvents', 'deviceLifecycleEvents']);
    expect(all[3]?.body).toMatchObject({ deviceId: 'dev-1', status: 'enabled', authenticationType: 'sas' });
    expect(itemsOf((await hubEvents(fx, '?type=deviceLifecycleEvents')).body).map((e) => e.opType)).toEqual(['deleteDeviceIdentity', 'createDeviceIdentity']);
    expect(itemsOf((await hubEvents(fx, '?limit=2')).body).map((e) => e.opType)).toEqual(['deleteDeviceIdentity', 'replaceTwin']);
    const since = all[1]?.enqueuedTime as string;
    expect(itemsOf((await hubEvents(fx, `?since=${since}`)).body).every((e) => (e.enqueuedTime as string) >= since)).toBe(true);
    expect(itemsOf((await hubEvents(fx, '?since=2999-01-01T00:00:00Z')).body)).toEqual([]);
    for (const query of ['?type=Telemetry', '?limit=0', '?limit=101', '?since=yesterday']) {
      expect(await hubEvents(fx, query)).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    }
    expect(await hubEvents(fx, '', 'ghost')).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  it('streams hubEvent messages only to subscriptions with hubEvents: true', async () => {
    fx = await startLiveFixture();
    const [withEvents, without] = [await fx.ws(), await fx.ws()];
    for (const [client, options] of [[withEvents, { hubEvents: true }], [without, {}]] as const) {
      client.send({ type: 'auth', apiKey: fx.gw.config.apiKey });
      client.send({ type: 'subscribe', deviceIds: ['dev-1'], ...options });
      await client.waitFor((m) => m.type === 'subscribed');
    }
    const twin = await inject(fx, 'dev-1', { kind: 'updateTwin', body: { version: 2, properties: { desired: { a: 1 } } } });
    await fx.send('dev-1', [{ voltage: 231 }]);
    const hubEvent = await withEvents.waitFor((m) => m.type === 'hubEvent');
    expect(hubEvent).toMatchObject({
      type: 'hubEvent', deviceId: 'dev-1', eventType: 'twinChangeEvents', opType: 'updateTwin',
      position: `${twin.partitionId}:${twin.sequenceNumber}`, body: { version: 2, properties: { desired: { a: 1 } } },
    });
    await without.waitFor((m) => m.type === 'telemetry');
    await without.roundTrip();
    expect(without.ofType('hubEvent')).toEqual([]);
    const order = (m: LiveMessage) => m.type;
    expect(withEvents.messages.filter((m) => m.deviceId === 'dev-1').map(order)).toEqual(['subscribed', 'hubEvent', 'telemetry']);
  });

  it('keeps no event of an unregistered device, and at most HUB_EVENTS_LIMIT per device', async () => {
    fx = await startLiveFixture({ hubEventsLimit: 3 });
    await inject(fx, 'ghost', { kind: 'deviceConnected' });
    for (let i = 1; i <= 5; i += 1) await inject(fx, 'dev-1', { kind: 'updateTwin', body: { version: i } });
    await eventually(async () => expect(await metric(fx.gw, 'gateway_hub_events_total')).toBe(5));
    expect(await metric(fx.gw, 'gateway_events_non_telemetry_total')).toBe(1);
    expect(itemsOf((await hubEvents(fx)).body).map((e) => e.body)).toEqual([{ version: 5 }, { version: 4 }, { version: 3 }]);
    expect(await hubEvents(fx, '?limit=4')).toMatchObject({ status: 400 });
    expect((await json(fx.gw.api('/api/register-device', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"deviceId":"ghost"}' }))).status).toBe(202);
    expect((await hubEvents(fx, '', 'ghost')).body).toEqual({ deviceId: 'ghost', items: [] });
    expect(await deviceOf(fx, 'ghost')).toMatchObject({ connectionState: null, connectionStateUpdatedAt: null });
  });
});
