import { afterEach, describe, expect, it } from 'vitest';
import type { TelemetryMessage } from '../../src/telemetry/telemetry-message.js';
import { startLiveFixture, positionOfResult, type LiveFixture } from './live-fixture.js';
import { eventually } from './support/eventually.js';
import { json, TEST_API_KEY } from './support/gateway.js';

const reading = (n: number) => ({ voltage: 230 + n, voltages: [n, 12.2 + n, 3], env: { temperature: 20 + n }, n });

async function selectionRuns(fx: LiveFixture): Promise<number> {
  const text = await (await fx.gw.api('/metrics')).text();
  const line = text.split('\n').find((l) => l.startsWith('gateway_field_selections_total '));
  return Number(line?.split(' ')[1]);
}

describe('field selection (fields=)', () => {
  let fx: LiveFixture;
  afterEach(async () => {
    await fx?.close();
  });

  it('fields=voltages[1] returns only that value on the latest and history routes, and each path as given', async () => {
    fx = await startLiveFixture();
    const results = await fx.send('dev-1', [0, 1, 2].map(reading));
    await eventually(async () => expect((await json(fx.gw.api('/api/devices/dev-1/telemetry'))).body.items).toHaveLength(3));

    const latest = await json(fx.gw.api('/api/telemetry?deviceId=dev-1&fields=voltages[1]'));
    expect(latest).toEqual({
      status: 200,
      body: { deviceId: 'dev-1', timestamp: results[2]!.enqueuedTime.toISOString(), isConnected: true, 'voltages[1]': 14.2 },
    });
    const several = await json(fx.gw.api(`/api/telemetry?deviceId=dev-1&fields=${encodeURIComponent('env.temperature,voltage,missing,voltages[7]')}`));
    expect(several.body).toEqual({
      deviceId: 'dev-1', timestamp: results[2]!.enqueuedTime.toISOString(), isConnected: true, 'env.temperature': 22, voltage: 232,
    });

    const full = (await json(fx.gw.api('/api/devices/dev-1/telemetry'))).body.items as TelemetryMessage[];
    const history = await json(fx.gw.api('/api/devices/dev-1/telemetry?fields=voltages[1]'));
    expect(history).toEqual({ status: 200, body: { deviceId: 'dev-1', items: full.map((m) => ({ ...m, body: { 'voltages[1]': m.body && (m.body as { voltages: number[] }).voltages[1] } })) } });
    expect((history.body.items as TelemetryMessage[]).map((m) => m.body)).toEqual([{ 'voltages[1]': 14.2 }, { 'voltages[1]': 13.2 }, { 'voltages[1]': 12.2 }]);
  });

  it('a text body selects nothing: body {} and its envelope unchanged', async () => {
    fx = await startLiveFixture();
    await fx.emulator.send('dev-1', 'not json', { contentType: 'text/plain' });
    await eventually(async () => expect((await json(fx.gw.api('/api/devices/dev-1/telemetry'))).body.items).toHaveLength(1));
    const history = await json(fx.gw.api('/api/devices/dev-1/telemetry?fields=voltage'));
    expect((history.body.items as TelemetryMessage[]).map((m) => [m.body, m.bodyEncoding])).toEqual([[{}, 'text']]);
    const latest = await json(fx.gw.api('/api/telemetry?deviceId=dev-1&fields=voltage'));
    expect(Object.keys(latest.body)).toEqual(['deviceId', 'timestamp', 'isConnected']);
  });

  it('a bad path is a 400 JSON error on each route', async () => {
    fx = await startLiveFixture();
    for (const path of ['/api/telemetry?deviceId=dev-1&fields=a..b', '/api/devices/dev-1/telemetry?fields=[0]', '/api/devices/dev-1/events?fields=a.']) {
      const reply = await fx.gw.api(path);
      expect(reply.status).toBe(400);
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      expect(((await reply.json()) as { error: string }).error).toBe('bad_request');
    }
    expect((await json(fx.gw.api('/api/telemetry?deviceId=dev-1&fields=a..b'))).body.message).toBe('field path "a..b" is invalid at character 3');
  });

  it('SSE with fields=voltages[1] carries only that value in each telemetry event', async () => {
    fx = await startLiveFixture();
    const stream = await fx.sse('dev-1', undefined, '?fields=voltages[1]');
    expect(stream.status).toBe(200);
    const results = await fx.send('dev-1', [0, 1].map(reading));
    await eventually(() => expect(stream.named('telemetry')).toHaveLength(2));
    const events = stream.named('telemetry').map((e) => [e.id, JSON.parse(e.data) as TelemetryMessage] as const);
    expect(events.map(([id, m]) => [id, m.body, m.deviceId, m.enqueuedTime])).toEqual(
      results.map((r, n) => [positionOfResult(r), { 'voltages[1]': 12.2 + n }, 'dev-1', r.enqueuedTime.toISOString()]),
    );
  });

  it('WebSocket clients with the same selection get byte-identical frames, the selection made once per message', async () => {
    fx = await startLiveFixture();
    const clients = await Promise.all([fx.ws({ key: TEST_API_KEY }), fx.ws({ key: TEST_API_KEY }), fx.ws({ key: TEST_API_KEY })]);
    const raw = clients.map((client) => {
      const frames: string[] = [];
      client.socket.on('message', (data: Buffer) => frames.push(data.toString('utf8')));
      return frames;
    });
    clients[0].send({ type: 'subscribe', deviceId: 'dev-1', fields: ['voltages[1]'] });
    clients[1].send({ type: 'subscribe', deviceId: 'dev-1', fields: ['voltages[1]'] });
    clients[2].send({ type: 'subscribe', deviceId: 'dev-1' });
    for (const client of clients) await client.waitFor((m) => m.type === 'subscribed');
    const before = await selectionRuns(fx);

    const results = await fx.send('dev-1', [0, 1, 2].map(reading));
    for (const client of clients) await eventually(() => expect(client.ofType('telemetry')).toHaveLength(3));
    const telemetry = raw.map((frames) => frames.filter((f) => f.includes('"type":"telemetry"')));
    expect(telemetry[0]).toEqual(telemetry[1]);
    expect(clients[0].ofType('telemetry')).toEqual(results.map((r, n) => ({
      type: 'telemetry', deviceId: 'dev-1', position: positionOfResult(r), enqueuedTime: r.enqueuedTime.toISOString(),
      body: { 'voltages[1]': 12.2 + n }, bodyEncoding: 'json', properties: {},
    })));
    expect(clients[2].ofType('telemetry').map((m) => m.body)).toEqual([0, 1, 2].map(reading));
    expect((await selectionRuns(fx)) - before).toBe(3);
  });

  it('a WebSocket subscribe with a bad path gets error bad_request, the socket stays open, and subscribed carries the selected latest', async () => {
    fx = await startLiveFixture();
    const client = await fx.ws({ key: TEST_API_KEY });
    client.send({ type: 'subscribe', deviceId: 'dev-1', fields: ['voltages[x]'] });
    expect(await client.waitFor((m) => m.type === 'error')).toEqual({
      type: 'error', error: 'bad_request', message: 'field path "voltages[x]" is invalid at character 9',
    });
    await client.roundTrip();
    expect(client.closeCode).toBeUndefined();
    client.send({ type: 'subscribe', deviceId: 'dev-1', fields: ['env.temperature'] });
    await client.waitFor((m) => m.type === 'subscribed');
    await fx.send('dev-1', [reading(5)]);
    expect((await client.waitFor((m) => m.type === 'telemetry')).body).toEqual({ 'env.temperature': 25 });
    const seen = client.messages.length;
    client.send({ type: 'subscribe', deviceId: 'dev-1', fields: ['voltages[1]'] });
    const again = await client.waitFor((m) => m.type === 'subscribed', 10_000, seen);
    expect((again.latest as { body: unknown }).body).toEqual({ 'voltages[1]': 17.2 });
  });
});
