import { afterEach, describe, expect, it } from 'vitest';
import type { TelemetryMessage } from '../../src/telemetry/telemetry-message.js';
import { startLiveFixture, positionOfResult, type LiveFixture } from './live-fixture.js';
import { eventually } from './support/eventually.js';
import { json, TEST_API_KEY } from './support/gateway.js';

const reading = (n: number) => ({ voltage: 230 + n / 10, current: 1.5 + n, n });

/** The hub-wide status an SSE stream starts with while the consumer reads every partition. */
const HUB_READS = { status: 'connected', isConnected: true, reason: 'hub consumer reads every partition' };

describe('SSE /api/devices/{deviceId}/events', () => {
  let fx: LiveFixture;
  afterEach(async () => {
    await fx?.close();
  });

  it('answers 401, 404 and 400 as JSON before any stream starts', async () => {
    fx = await startLiveFixture();
    const noKey = await fx.sse('dev-1', {});
    const wrongKey = await fx.sse('dev-1', { 'x-api-key': 'nope' });
    const unknown = await fx.sse('ghost');
    const badId = await fx.sse('bad id');
    for (const [client, status, error] of [[noKey, 401, 'unauthorized'], [wrongKey, 401, 'unauthorized'], [unknown, 404, 'not_found'], [badId, 400, 'bad_request']] as const) {
      expect(client.status).toBe(status);
      expect(client.response.headers['content-type']).toMatch(/^application\/json/);
      await eventually(() => expect(JSON.parse(client.body)).toMatchObject({ error }));
    }
    const byQuery = await fx.sse('dev-1', {}, `?api_key=${TEST_API_KEY}`);
    expect(byQuery.status).toBe(200);
  });

  it('streams each message as id: <position>, event: telemetry, data: the full message, in order', async () => {
    fx = await startLiveFixture();
    const stream = await fx.sse('dev-1');
    expect(stream.status).toBe(200);
    expect(stream.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const results = await fx.send('dev-1', [0, 1, 2].map(reading));
    await eventually(() => expect(stream.named('telemetry')).toHaveLength(3));
    const history = (await json(fx.gw.api('/api/devices/dev-1/telemetry'))).body.items ?? [];
    expect(stream.named('telemetry')).toEqual(
      [...history].reverse().map((m) => ({ id: `${m.partitionId}:${m.sequenceNumber}`, event: 'telemetry', data: JSON.stringify(m) })),
    );
    expect(stream.named('telemetry').map((e) => e.id)).toEqual(results.map(positionOfResult));
    const parsed = JSON.parse(stream.named('telemetry')[1]!.data) as TelemetryMessage;
    expect(parsed).toMatchObject({ deviceId: 'dev-1', body: reading(1), bodyEncoding: 'json', enqueuedTime: results[1]!.enqueuedTime.toISOString() });
  });

  it('resumes with Last-Event-ID with exactly the missed messages, also across an emulator disconnect fault', async () => {
    fx = await startLiveFixture();
    const first = await fx.sse('dev-1');
    const before = await fx.send('dev-1', [0, 1].map(reading));
    await eventually(() => expect(first.named('telemetry')).toHaveLength(2));
    const lastEventId = first.named('telemetry')[1]!.id!;
    expect(lastEventId).toBe(positionOfResult(before[1]!));
    first.close();

    const missed = await fx.send('dev-1', [2, 3].map(reading));
    fx.emulator.faults.disconnect();
    missed.push(...(await fx.send('dev-1', [4, 5, 6].map(reading))));
    await eventually(async () => expect((await json(fx.gw.api('/api/devices/dev-1/telemetry'))).body.items).toHaveLength(7), { timeoutMs: 25_000 });
    await eventually(async () => expect((await fx.gw.api('/readyz')).status).toBe(200), { timeoutMs: 25_000 });

    const resumed = await fx.sse('dev-1', { 'x-api-key': TEST_API_KEY, 'last-event-id': lastEventId });
    await eventually(() => expect(resumed.named('telemetry')).toHaveLength(5));
    expect(resumed.named('telemetry').map((e) => e.id)).toEqual(missed.map(positionOfResult));
    expect(resumed.named('telemetry').map((e) => (JSON.parse(e.data) as TelemetryMessage).body)).toEqual([2, 3, 4, 5, 6].map(reading));
    expect(resumed.named('reset')).toEqual([]);

    const [live] = await fx.send('dev-1', [reading(7)]);
    await eventually(() => expect(resumed.named('telemetry').at(-1)?.id).toBe(positionOfResult(live!)));
    expect(resumed.named('telemetry')).toHaveLength(6);
  }, 60_000);

  it('sends reset then the whole history when the Last-Event-ID position was evicted or is unknown', async () => {
    fx = await startLiveFixture({ historyLimit: 3 });
    const results = await fx.send('dev-1', [0, 1, 2, 3, 4].map(reading));
    await eventually(async () => expect((await json(fx.gw.api('/api/devices/dev-1/telemetry'))).body.items?.[0]?.sequenceNumber).toBe(results[4]!.sequenceNumber));
    for (const lastEventId of [positionOfResult(results[0]!), '9:12345']) {
      const stream = await fx.sse('dev-1', { 'x-api-key': TEST_API_KEY }, `?lastEventId=${encodeURIComponent(lastEventId)}`);
      await eventually(() => expect(stream.named('telemetry')).toHaveLength(3));
      expect(stream.events.map((e) => e.event)).toEqual(['status', 'reset', 'telemetry', 'telemetry', 'telemetry']);
      expect(JSON.parse(stream.events[0]!.data)).toEqual(HUB_READS);
      expect(JSON.parse(stream.named('reset')[0]!.data)).toEqual({ deviceId: 'dev-1' });
      expect(stream.named('telemetry').map((e) => e.id)).toEqual(results.slice(2).map(positionOfResult));
    }
  });

  it('sends a comment heartbeat every SSE_HEARTBEAT_INTERVAL s, a status event on unregistration, and ends at shutdown', async () => {
    fx = await startLiveFixture({ sseHeartbeatIntervalS: 1 }, ['dev-1', 'dev-2']);
    const stream = await fx.sse('dev-1');
    await eventually(() => expect(stream.comments.filter((c) => c === 'heartbeat').length).toBeGreaterThanOrEqual(2), { timeoutMs: 5_000 });

    const other = await fx.sse('dev-2');
    const ended = new Promise((resolve) => other.response.on('end', resolve));
    expect((await fx.gw.api('/api/unregister-device/dev-2', { method: 'DELETE' })).status).toBe(200);
    await ended;
    expect(other.named('status').map((e) => JSON.parse(e.data) as unknown)).toEqual([
      HUB_READS,
      { deviceId: 'dev-2', status: 'unregistered', isConnected: false, reason: 'device unregistered' },
    ]);

    const closedStream = new Promise((resolve) => stream.response.on('end', resolve));
    await fx.gw.app.close();
    await closedStream;
  });
});
