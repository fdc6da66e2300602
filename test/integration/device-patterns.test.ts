import { afterEach, describe, expect, it } from 'vitest';
import { startLiveFixture, positionOfResult, type LiveFixture } from './live-fixture.js';
import { eventually } from './support/eventually.js';
import { json, TEST_API_KEY, type RunningGateway } from './support/gateway.js';
import { logMessages, metric, register } from './support/helpers.js';

const post = (gw: RunningGateway, body: unknown) =>
  json(gw.api('/api/register-device', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
const deviceIds = async (gw: RunningGateway) => (await json(gw.api('/api/devices'))).body.devices?.map((d) => d.deviceId).sort();
const bodiesOf = async (gw: RunningGateway, path: string) =>
  ((await json(gw.api(path))).body.items ?? []).map((m) => m.body).reverse();

describe('device ID patterns', () => {
  let fx: LiveFixture;
  afterEach(async () => {
    await fx?.close();
  });

  it('registers the devices matching a pattern on their first message (stored), not others, and unregisters them with it', async () => {
    fx = await startLiveFixture({}, ['anchor']);
    const { gw } = fx;
    expect((await register(gw, 'household-keep')).status).toBe(202);
    const created = await post(gw, { deviceIdPattern: 'household-*' });
    expect(created).toEqual({
      status: 201,
      body: { deviceIdPattern: 'household-*', registeredAt: expect.stringMatching(/Z$/) as unknown, status: 'registered', message: 'Device ID pattern registered' },
    });
    expect((await post(gw, { deviceIdPattern: 'household-*' })).status).toBe(200);

    await fx.send('household-1', [{ v: 1 }]);
    await fx.send('Household-1', [{ v: 2 }]);
    await fx.send('xhousehold-1', [{ v: 3 }]);
    await fx.send('household-2', [{ v: 4 }, { v: 5 }]);
    await eventually(async () => expect(await bodiesOf(gw, '/api/devices/household-2/telemetry')).toEqual([{ v: 4 }, { v: 5 }]));
    expect(await bodiesOf(gw, '/api/devices/household-1/telemetry')).toEqual([{ v: 1 }]);
    expect(await deviceIds(gw)).toEqual(['anchor', 'household-1', 'household-2', 'household-keep']);
    expect((await json(gw.api('/api/devices/Household-1/telemetry'))).status).toBe(404);
    expect((await json(gw.api('/api/devices/xhousehold-1/telemetry'))).status).toBe(404);
    expect((await json(gw.api('/api/devices'))).body.patterns).toEqual([{ deviceIdPattern: 'household-*', registeredAt: created.body.registeredAt }]);

    const removed = await json(gw.api(`/api/unregister-pattern/${encodeURIComponent('household-*')}`, { method: 'DELETE' }));
    expect(removed.status).toBe(200);
    expect({ ...removed.body, unregisteredDevices: (removed.body.unregisteredDevices as string[]).sort() }).toEqual({
      deviceIdPattern: 'household-*', registeredAt: created.body.registeredAt, status: 'unregistered',
      message: 'Device ID pattern unregistered', unregisteredDevices: ['household-1', 'household-2'],
    });
    expect(await deviceIds(gw)).toEqual(['anchor', 'household-keep']);
    expect((await json(gw.api('/api/devices'))).body.patterns).toEqual([]);
    expect(await json(gw.api('/api/unregister-pattern/household-*', { method: 'DELETE' }))).toEqual({
      status: 404, body: { error: 'not_found', message: 'device ID pattern "household-*" is not registered' },
    });
  });

  it('registers at most MAX_PATTERN_DEVICES devices through patterns, counts the rest and logs once', async () => {
    fx = await startLiveFixture({ maxPatternDevices: 2 }, ['anchor']);
    const { gw } = fx;
    expect((await post(gw, { deviceIdPattern: 'm-?' })).status).toBe(201);
    for (const id of ['m-1', 'm-2']) {
      await fx.send(id, [{ id }]);
      await eventually(async () => expect(await bodiesOf(gw, `/api/devices/${id}/telemetry`)).toEqual([{ id }]));
    }
    await fx.send('m-3', [{ id: 'm-3' }]);
    await eventually(async () => expect(await metric(gw, 'gateway_pattern_devices_refused_total')).toBe(1));
    await fx.send('m-3', [{ id: 'm-3' }]);
    await fx.send('m-10', [{ id: 'm-10' }]);
    await eventually(async () => expect(await metric(gw, 'gateway_events_dropped_total{reason="not_watched"}')).toBe(3));
    expect(await metric(gw, 'gateway_pattern_devices_refused_total')).toBe(2);
    expect(await deviceIds(gw)).toEqual(['anchor', 'm-1', 'm-2']);
    expect(logMessages(gw).filter((m) => m.includes('MAX_PATTERN_DEVICES'))).toEqual([
      'device m-3 matches a device ID pattern but is not registered: MAX_PATTERN_DEVICES (2) reached (logged once)',
    ]);
  });

  it('refuses deviceId with deviceIdPattern, neither, and invalid patterns with 400', async () => {
    fx = await startLiveFixture({}, ['anchor']);
    const exactlyOne = { status: 400, body: { error: 'bad_request', message: 'give exactly one of deviceId and deviceIdPattern' } };
    expect(await post(fx.gw, { deviceId: 'a', deviceIdPattern: 'a*' })).toEqual(exactlyOne);
    expect(await post(fx.gw, { units: { v: 'V' } })).toEqual(exactlyOne);
    expect((await post(fx.gw, { deviceIdPattern: 'a/b*' })).status).toBe(400);
    expect((await post(fx.gw, { deviceIdPattern: 'a'.repeat(129) })).status).toBe(400);
    expect((await post(fx.gw, { deviceIdPattern: 7 })).status).toBe(400);
    expect((await json(fx.gw.api('/api/devices'))).body.patterns).toEqual([]);
  });

  it('subscribes a WebSocket to devices matching its deviceIdPattern, including one registered later', async () => {
    fx = await startLiveFixture({}, ['anchor', 'plant-1']);
    const { gw } = fx;
    expect((await post(gw, { deviceIdPattern: 'plant-*' })).status).toBe(201);
    const client = await fx.ws({ key: TEST_API_KEY });
    client.send({ type: 'subscribe', deviceIdPattern: 'plant-*' });
    await client.waitFor((m) => m.type === 'subscribed' && m.deviceId === 'plant-1');
    const [later] = await fx.send('plant-2', [{ t: 21.5 }]);
    await fx.send('anchor', [{ t: 0 }]);
    const telemetry = await client.waitFor((m) => m.type === 'telemetry' && m.deviceId === 'plant-2');
    expect(telemetry).toEqual({
      type: 'telemetry', deviceId: 'plant-2', position: positionOfResult(later!), enqueuedTime: later!.enqueuedTime.toISOString(),
      body: { t: 21.5 }, bodyEncoding: 'json', properties: {},
    });
    await client.roundTrip();
    expect(client.ofType('subscribed').map((m) => m.deviceId)).toEqual(['plant-1', 'plant-2']);
    expect(client.ofType('telemetry', 'anchor')).toEqual([]);
  });

  it('keeps only one module’s messages in history, SSE and WebSocket', async () => {
    fx = await startLiveFixture({}, ['edge']);
    const { gw, emulator } = fx;
    const client = await fx.ws({ key: TEST_API_KEY });
    client.send({ type: 'subscribe', deviceId: 'edge', moduleId: 'sensor' });
    await client.waitFor((m) => m.type === 'subscribed');
    const sse = await fx.sse('edge', { 'x-api-key': TEST_API_KEY }, '?moduleId=sensor');
    const sends: Array<[unknown, string | undefined]> = [[{ n: 1 }, undefined], [{ n: 2 }, 'sensor'], [{ n: 3 }, 'other'], [{ n: 4 }, 'sensor']];
    for (const [body, moduleId] of sends) {
      await emulator.send('edge', JSON.stringify(body), { contentType: 'application/json', ...(moduleId ? { moduleId } : {}) });
    }
    await eventually(async () => expect(await bodiesOf(gw, '/api/devices/edge/telemetry')).toHaveLength(4));
    expect(await bodiesOf(gw, '/api/devices/edge/telemetry?moduleId=sensor')).toEqual([{ n: 2 }, { n: 4 }]);
    expect(await bodiesOf(gw, '/api/devices/edge/telemetry?moduleId=other&limit=1')).toEqual([{ n: 3 }]);
    expect(await bodiesOf(gw, '/api/devices/edge/telemetry?moduleId=sensor&limit=1')).toEqual([{ n: 4 }]);
    await eventually(() => expect(sse.named('telemetry')).toHaveLength(2));
    expect(sse.named('telemetry').map((e) => (JSON.parse(e.data) as { body: unknown; moduleId: unknown }))
      .map(({ body, moduleId }) => ({ body, moduleId }))).toEqual([{ body: { n: 2 }, moduleId: 'sensor' }, { body: { n: 4 }, moduleId: 'sensor' }]);
    await eventually(() => expect(client.ofType('telemetry')).toHaveLength(2));
    await client.roundTrip();
    expect(client.ofType('telemetry').map((m) => [m.body, m.moduleId])).toEqual([[{ n: 2 }, 'sensor'], [{ n: 4 }, 'sensor']]);
  });
});
